// smtp/address.hpp — syntax of MAIL/RCPT arguments: paths (RFC 5321 4.1.2, with the
// UTF-8 extension of RFC 6531 3.3) and ESMTP parameters (RFC 5321 4.1.2 esmtp-param).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace arcrelay::smtp {

// RFC 5321 4.5.3.1.1-3.
inline constexpr std::size_t max_local_part = 64;
inline constexpr std::size_t max_domain = 255;
inline constexpr std::size_t max_path = 256;

struct esmtp_param {
    std::string keyword; // as sent; compare case-insensitively
    std::string value;   // empty when the parameter has no "="
    bool has_value = false;
};

// The argument of MAIL FROM: / RCPT TO: after the colon, split into the path (without
// angle brackets and source route) and its parameters.
struct path_argument {
    std::string mailbox; // "" for the null reverse-path "<>"
    std::vector<esmtp_param> params;
};

// Parses `<path> [SP param]*`. `allow_null`: "<>" is valid (reverse-path);
// `allow_postmaster`: the bare "<Postmaster>" is valid (forward-path, RFC 5321 4.1.1.3);
// `utf8`: non-ASCII is allowed in the mailbox (RFC 6531). Errors: a permanent error
// naming what is wrong.
result<path_argument> parse_path_argument(std::string_view text, bool allow_null,
                                          bool allow_postmaster, bool utf8);

// True when any octet of `text` is outside US-ASCII.
bool has_non_ascii(std::string_view text);

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b);

} // namespace arcrelay::smtp
