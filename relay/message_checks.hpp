// relay/message_checks.hpp — the verify, record and seal stages of the pipeline (DESIGN.md
// Pipeline steps 2, 3 and 6) as plain functions over a parsed message. Shared by the CLI
// (`arcrelay verify`, `arcrelay seal`) and the daemon's transaction handler. No I/O but the
// resolver; time is an input.
#pragma once

#include "arc/validate.hpp"
#include "auth/dkim/crypto.hpp"
#include "auth/dkim/key_record_cache.hpp"
#include "auth/results/authentication_results.hpp"
#include "base/result.hpp"
#include "config/config.hpp"
#include "dns/resolver.hpp"
#include "mail/message.hpp"
#include "relay/report_rows.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::relay {

struct envelope {
    std::string client_ip; // textual IPv4/IPv6 ("" when unknown: iprev/SPF none)
    std::string helo;      // EHLO/HELO argument
    std::string mail_from; // reverse-path without <>, "" for the null sender
    std::vector<std::string> recipients;
};

// What the checks found, for the policy stage, the log line and the seal stage.
struct check_report {
    auth::results::authentication_results results; // our A-R: authserv-id + every method
    std::string iprev;                     // result keyword of each check ("pass", "fail", ...)
    std::string spf;                       // MAIL FROM identity (HELO when MAIL FROM is empty)
    std::string dmarc;                     // "pass", "fail", "none", "temperror", "permerror", ...
    std::string dmarc_policy;              // the policy that applied: "none"/"quarantine"/"reject"
    std::string dmarc_domain;              // header.from
    std::vector<std::string> dkim;         // one keyword per DKIM-Signature, in header order
    bool dkim_author_aligned_pass = false; // a passing DKIM signature aligned with From
    std::string arc;                       // "pass", "fail", "none"
    std::string arc_reason;                // why, when fail
    std::vector<std::string> arc_sealers;  // d= of every ARC-Seal on a passing chain, oldest first
    std::vector<report::arc_seal_identity> arc_seals; // the same seals with s= and i=
    std::string arc_first_client_ip; // smtp.remote-ip of the passing chain's AAR at i=1
    // DMARC aggregate report rows (RFC 9990), one per evaluation against a published record;
    // finished with the final reply (relay/report_rows.hpp).
    std::vector<report_row_draft> report_rows;
    bool temperror = false; // some check ended in temperror
    // The ARC validation (per-chain detail for --json and logs; cv and chain for seal()).
    std::shared_ptr<const arc::validation_result> arc_validation;
    // The body hashes computed while verifying (a view of the checked message's body): the
    // seal stage reuses them when it seals that same message object (headers-only edits).
    std::shared_ptr<auth::dkim::body_hash_cache> bodies;
};

struct check_settings {
    std::string authserv_id;
    config::dmarc_settings dmarc;
    config::limit_settings limits;
    std::uint64_t now = 0;                             // seconds since the epoch
    auth::dkim::key_record_cache* key_cache = nullptr; // shared by the daemon's messages
};

// Stage "verify": iprev, SPF, every DKIM signature, DMARC (virtual DMARC when no record),
// ARC. DKIM and ARC keys are fetched in one resolver round.
check_report check_message(const mail::message& m, const envelope& env, dns::resolver& resolver,
                           const check_settings& settings);

// Stage "record": removes every Authentication-Results that claims `authserv_id` (RFC 8601
// §5) and, when `trusted_ids` is not empty, every one whose authserv-id is not in it; then
// prepends ours. Returns how many fields were removed.
std::size_t record_results(mail::message& m, const check_report& report,
                           std::string_view authserv_id, std::span<const std::string> trusted_ids);

// Stage "seal" (split layout): rebuild the report from our own A-R fields already in the
// message (matched by authserv-id; never re-validating the chain Mailman modified) so that
// seal() records them in the AAR and takes cv from their arc= result.
check_report report_from_our_results(const mail::message& m, std::string_view authserv_id);

// The [[arc.key]] entries with their private keys loaded (once at start and on SIGHUP).
struct sealing_key {
    config::signing_key settings;
    auth::dkim::private_key key;
};
// One key file, read and parsed. Errors name the file and what is wrong with it
// (unreadable, not a key, wrong algorithm).
result<sealing_key> load_sealing_key(const config::signing_key& k);
// Every [[arc.key]]; errors as load_sealing_key's.
result<std::vector<sealing_key>> load_sealing_keys(const config::arc_settings& arc);
// The same for a loaded configuration, each error as "FILE:LINE: arc.key[N].private_key:
// REASON" (the line of the key that names the file; config::located_error).
result<std::vector<sealing_key>> load_sealing_keys(const config::configuration& c);

struct seal_outcome {
    std::size_t sets_added = 0; // ARC sets prepended (one per sealing algorithm)
    std::string note;           // why nothing was added, when nothing was
};

// Stage "seal": AAR + AMS + AS for every configured key continuing the longest chain(s).
// Errors: a key that cannot sign (permanent); an ARC validation that failed only because of
// DNS (temporary: the chain is not sealed as failed, the caller should defer).
result<seal_outcome> seal_message(mail::message& m, const check_report& report,
                                  const std::vector<sealing_key>& keys,
                                  const config::arc_settings& arc, std::string_view authserv_id,
                                  std::uint64_t now);

} // namespace arcrelay::relay
