// tests/unit/bad_input/verdicts.hpp — runs one catalog case through the code its kind names
// and describes the outcome as a set of tokens, which the manifest's expectations must match.
//
// Tokens per kind:
//  message         "parse-error", or "parsed", "arc=<none|pass|fail>" (arc::validate_message
//                  over the benchmark zone) and "dkim=<result of the first signature|none>";
//                  every Authentication-Results field and the From: addresses are parsed too
//  authres, aar, dkim-signature, key-record, tag-list, address-list, spf-record, config
//                  "ok" or "error" from the parser
//  spf-check       the file is a zone; the result name of check_mail_from for
//                  user@spf.bad.test from 192.0.2.1, or "zone-error"
//  dns-zone        the file is a zone; the outcome for q.bad.test TXT ("records", "nxdomain",
//                  "nodata", "temp_failure", "malformed"), or "error"
//  dns-wire        the file answers q.bad.test TXT id 0x5a17: "not_ours", "garbled", or the
//                  outcome of read_response plus "next-name" when it asks to follow a CNAME
//  smtp            client bytes fed at once (STARTTLS offered, default limits): "has=CODE" and
//                  "has=CODE/x.y.z" per reply, "replies=N", "delivered=N", "closed" or "open"
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace arcrelay::bad_input {

// The tokens for `input` run as `kind`; throws std::invalid_argument for an unknown kind.
std::set<std::string> run_case(std::string_view kind, std::string_view input);

} // namespace arcrelay::bad_input
