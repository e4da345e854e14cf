// auth/dkim/signing_input.hpp — the data a DKIM-style signature covers, shared by
// DKIM-Signature and ARC-Message-Signature (RFC 6376 §3.7, §5.4.2; RFC 8617 §4.1.2).
#pragma once

#include "mail/canonicalization.hpp"
#include "mail/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dkim {

// The raw signature field with the value of its b= tag removed (RFC 6376 §3.7: "with the
// value of the b= tag (including all surrounding whitespace) deleted").
std::string remove_b_value(std::string_view raw_field);

// Header part of the signing input: for each name in `signed_headers`, the last not yet
// used instance of that field, bottom-up (RFC 6376 §5.4.2); names without an instance
// left contribute nothing (oversigning). Then the signature field itself, b= emptied,
// canonicalized, without its final CRLF. `exclude` is the signature field (never selected
// for h=, it is appended last).
std::string header_signing_input(const mail::message& m,
                                 const std::vector<std::string>& signed_headers,
                                 const mail::header_field& signature_field,
                                 mail::canonicalization c);

} // namespace arcrelay::auth::dkim
