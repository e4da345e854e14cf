// auth/spf/domain_name.cpp — domain-name checks of RFC 7208 4.3, 7.1 and 7.3.
#include "auth/spf/domain_name.hpp"

#include "auth/spf/ascii.hpp"

#include <algorithm>

namespace arcrelay::auth::spf {
namespace {

using detail::iequals;
using detail::is_alnum;
using detail::is_alpha;
using detail::is_digit;

std::string_view without_trailing_dot(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    return name;
}

// Labels 1..63 octets each, the whole at most 253 octets.
bool valid_label_sizes(std::string_view name) {
    if (name.empty() || name.size() > max_domain_length) return false;
    std::size_t start = 0;
    while (true) {
        const auto dot = name.find('.', start);
        const auto end = dot == std::string_view::npos ? name.size() : dot;
        if (end == start || end - start > max_label_length) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

} // namespace

bool valid_identity_domain(std::string_view domain) {
    domain = without_trailing_dot(domain);
    if (!valid_label_sizes(domain)) return false;
    const auto last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos) return false; // not multi-label
    if (!std::all_of(domain.begin(), domain.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; }))
        return false;
    const auto top = domain.substr(last_dot + 1);
    return !std::all_of(top.begin(), top.end(), is_digit);
}

bool valid_toplabel(std::string_view label) {
    if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
    bool alpha_or_hyphen = false;
    for (char c : label) {
        if (!is_alnum(c) && c != '-') return false;
        alpha_or_hyphen = alpha_or_hyphen || is_alpha(c) || c == '-';
    }
    return alpha_or_hyphen;
}

std::optional<std::string> query_name(std::string_view expanded) {
    std::string_view name = without_trailing_dot(expanded);
    // RFC 7208 7.3: remove whole labels from the left until it fits.
    while (name.size() > max_domain_length) {
        const auto dot = name.find('.');
        if (dot == std::string_view::npos) return std::nullopt;
        name.remove_prefix(dot + 1);
    }
    if (!valid_label_sizes(name)) return std::nullopt;
    return std::string(name);
}

bool is_same_or_subdomain(std::string_view name, std::string_view parent) {
    name = without_trailing_dot(name);
    parent = without_trailing_dot(parent);
    if (iequals(name, parent)) return true;
    return name.size() > parent.size() && name[name.size() - parent.size() - 1] == '.' &&
           iequals(name.substr(name.size() - parent.size()), parent);
}

} // namespace arcrelay::auth::spf
