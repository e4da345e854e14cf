// auth/results/removal.cpp — RFC 8601 5 removal and trust checks on field values.
#include "auth/results/removal.hpp"

#include "auth/results/authentication_results.hpp"
#include "auth/results/lexer.hpp"

#include <algorithm>

namespace arcrelay::auth::results {

namespace {

bool is_id_char(char c) {
    return detail::is_token_char(c) || static_cast<unsigned char>(c) >= 0x80;
}

// `id` occurs in `value` with no token octet right before or after it.
bool mentions_as_word(std::string_view value, std::string_view id) {
    if (id.empty()) return false;
    std::string hay = detail::to_lower(value);
    std::string needle = detail::to_lower(id);
    for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) {
        std::size_t end = at + needle.size();
        bool starts_word = at == 0 || !is_id_char(hay[at - 1]);
        bool ends_word = end == hay.size() || !is_id_char(hay[end]);
        if (starts_word && ends_word) return true;
    }
    return false;
}

} // namespace

bool claims_authserv_id(std::string_view field_value, std::string_view our_id) {
    if (field_value.size() <= max_field_size) {
        auto id = parse_authserv_id(field_value);
        if (id) return detail::iequals(*id, our_id);
    }
    return mentions_as_word(field_value, our_id);
}

bool is_trusted(std::string_view field_value, std::span<const std::string> trusted_ids) {
    if (field_value.size() > max_field_size) return false;
    auto id = parse_authserv_id(field_value);
    if (!id) return false;
    return std::any_of(trusted_ids.begin(), trusted_ids.end(),
                       [&](const std::string& t) { return detail::iequals(*id, t); });
}

} // namespace arcrelay::auth::results
