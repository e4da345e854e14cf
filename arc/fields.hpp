// arc/fields.hpp — the three ARC header fields, parsed (RFC 8617 §4.1).
//
// ARC-Authentication-Results (§4.1.1): "i=N;" then an Authentication-Results payload; only
// the instance is parsed here (the payload is carried as is). ARC-Message-Signature (§4.1.2):
// a DKIM-Signature with i= as the instance and no v=. ARC-Seal (§4.1.3): only i, a, b, d,
// s, t and cv; an h= tag makes the seal invalid. Unknown tags are ignored (RFC 6376 §3.2).
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"
#include "mail/canonicalization.hpp"
#include "mail/header_field.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::arc {

inline constexpr std::string_view seal_field_name = "ARC-Seal";
inline constexpr std::string_view signature_field_name = "ARC-Message-Signature";
inline constexpr std::string_view results_field_name = "ARC-Authentication-Results";

// RFC 8617 §4.2.1: instance values run from 1 to 50; §5.2 step 1: more than 50 sets fail.
inline constexpr std::uint32_t max_instance = 50;

// cv= (RFC 8617 §4.1.3).
enum class chain_status { none, pass, fail };
std::string_view chain_status_name(chain_status s);

// The algorithms ARC signs with: rsa-sha256 (RFC 8617 §4.1.3) and ed25519-sha256 (RFC 8463,
// arc-multi). rsa-sha1 and unknown names are parsed but cannot be processed.
std::optional<auth::dkim::algorithm> arc_algorithm(std::string_view a);

// The tags the seal and the message signature share: i, a, b, d, s, t.
struct signature_tags {
    std::uint32_t instance = 0;
    std::string algorithm;                    // a= as written
    std::optional<auth::dkim::algorithm> alg; // nullopt: an algorithm we cannot process
    std::vector<std::uint8_t> signature;      // decoded b=
    std::string domain;                       // d=, lower-case
    std::string selector;                     // s=
    std::optional<std::uint64_t> timestamp;   // t=
};

struct arc_seal : signature_tags {
    chain_status cv = chain_status::none;
};

struct message_signature : signature_tags {
    std::vector<std::uint8_t> body_hash; // decoded bh=
    mail::canonicalization header_canon = mail::canonicalization::simple;
    mail::canonicalization body_canon = mail::canonicalization::simple;
    std::vector<std::string> signed_headers;  // h= (may be empty)
    std::optional<std::uint64_t> body_length; // l=
    std::optional<std::uint64_t> expiration;  // x=
};

// Parses an ARC-Seal value. Permanent errors: a bad tag-list, a missing or invalid i=, a=,
// b=, d=, s= or cv=, a non-numeric t=, an h= tag (RFC 8617 §4.1.3).
result<arc_seal> parse_arc_seal(std::string_view value);

// Parses an ARC-Message-Signature value. Permanent errors: a bad tag-list, a missing or
// invalid i=, a=, b=, bh=, d=, h=, s=; an unknown c=; non-numeric l=, t=, x=; an h= that
// lists ARC-Seal (RFC 8617 §4.1.2: the seal is never in the AMS's scope).
result<message_signature> parse_message_signature(std::string_view value);

// The instance of an ARC-Authentication-Results value: it must start with "i=N;" (FWS
// allowed around the tokens, RFC 8617 §4.1.1). Permanent errors otherwise.
result<std::uint32_t> parse_results_instance(std::string_view value);

// Parses an instance tag value: 1..max_instance, digits only (RFC 8617 §4.2.1).
result<std::uint32_t> parse_instance(std::string_view text);

} // namespace arcrelay::arc
