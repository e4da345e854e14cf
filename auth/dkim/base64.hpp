// auth/dkim/base64.hpp — base64 (RFC 4648 §4) for the b=, bh= and p= tags (RFC 6376 §2.4):
// a table-driven codec of our own, as the b= and bh= of every DKIM signature and ARC set are
// decoded on each message (Botan's decoder, with its secure_vector, was 2 % of a 20 KB job).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dkim {

// Padded, without line breaks.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Decodes base64, ignoring SP, HTAB, CR and LF (the FWS of RFC 6376 §2.4) and '=' except
// after the last complete quantum; a last partial quantum of 2 or 3 characters gives 1 or 2
// bytes, of 1 character none. nullopt for any other character, or padding after a complete
// last quantum. These are exactly the rules of Botan 2's base64_decode, which this replaced
// (tests/unit/auth_dkim/base64_test.cpp holds the two to the same answers).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

} // namespace arcrelay::auth::dkim
