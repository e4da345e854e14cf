// auth/dkim/signature.hpp — the DKIM-Signature field (RFC 6376 §3.5).
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"
#include "mail/canonicalization.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dkim {

struct signature {
    std::string algorithm_text;          // a= as written
    std::optional<algorithm> alg;        // nullopt: an algorithm we do not know
    std::vector<std::uint8_t> b;         // decoded signature
    std::string b_text;                  // b= without whitespace (for header.b)
    std::vector<std::uint8_t> body_hash; // decoded bh=
    mail::canonicalization header_canon = mail::canonicalization::simple;
    mail::canonicalization body_canon = mail::canonicalization::simple;
    std::string domain;                       // d=, lower-case
    std::string selector;                     // s=
    std::string identity;                     // i= (default "@" + d)
    std::vector<std::string> signed_headers;  // h=
    std::optional<std::uint64_t> body_length; // l=
    std::optional<std::uint64_t> timestamp;   // t=
    std::optional<std::uint64_t> expiration;  // x=
};

// Parses a DKIM-Signature value. Permanent errors (reported as permerror, RFC 6376 §6.1.1):
// bad tag-list, v= missing or not 1, a missing required tag (a, b, bh, d, h, s), bad
// base64 in b= or bh=, unknown c=, i= not in d=, h= without From, non-numeric l/t/x, x < t,
// q= without dns/txt.
result<signature> parse_dkim_signature(std::string_view value);

// Shared by DKIM and ARC-Message-Signature: parse c= ("simple", "relaxed/simple", ...).
result<std::pair<mail::canonicalization, mail::canonicalization>>
parse_canonicalization(std::string_view c);
// Parses a decimal tag value up to 2^63.
std::optional<std::uint64_t> parse_number(std::string_view v);

} // namespace arcrelay::auth::dkim
