// mail/base64.hpp — base64 (RFC 4648 §4, the encoding of RFC 2045 §6.8): the b=, bh= and p=
// tags of DKIM and ARC (RFC 6376 §2.4), RFC 2047 "B" encoded words, and the report mail's
// attachment. A table-driven codec of our own: the b= and bh= of every DKIM signature and ARC
// set are decoded on each message, and Botan's decoder (a secure_vector per call) was 2 % of
// a 20 KB job.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::mail {

// Padded, without line breaks.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Decodes base64, ignoring SP, HTAB, CR and LF (the FWS of RFC 6376 §2.4) and '=' except
// after the last complete quantum; a last partial quantum of 2 or 3 characters gives 1 or 2
// bytes, of 1 character none. nullopt for any other character, or padding after a complete
// last quantum. These are exactly the rules of Botan 2's base64_decode, which this replaced
// (tests/unit/mail/base64_test.cpp holds the two to the same answers).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

} // namespace arcrelay::mail
