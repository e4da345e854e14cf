// auth/spf/ascii.hpp — ASCII character classes and case folding for SPF records and domain
// names (RFC 5234 B.1 ALPHA / DIGIT; DNS names compare ASCII case-insensitively, RFC 4343).
// Locale-free on purpose: <cctype> depends on the C locale. Internal to auth/spf.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace arcrelay::auth::spf::detail {

inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}
inline char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return to_lower(c); });
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return to_lower(x) == to_lower(y);
           });
}

} // namespace arcrelay::auth::spf::detail
