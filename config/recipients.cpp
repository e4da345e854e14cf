// config/recipients.cpp — see recipients.hpp.
#include "config/recipients.hpp"

#include <array>
#include <strings.h>
#include <utility>

namespace arcrelay::config {
namespace {

struct service_suffix {
    std::string_view suffix;
    recipient_role role;
    bool subaddress; // "+detail" allowed after the suffix
};

constexpr std::array<service_suffix, 8> service_suffixes{{
    {"-bounces", recipient_role::bounces, true},
    {"-confirm", recipient_role::confirm, true},
    {"-join", recipient_role::join, false},
    {"-leave", recipient_role::leave, false},
    {"-owner", recipient_role::owner, false},
    {"-request", recipient_role::request, false},
    {"-subscribe", recipient_role::subscribe, false},
    {"-unsubscribe", recipient_role::unsubscribe, false},
}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::optional<recipient_role> match_local_part(std::string_view local, const mailing_list& l) {
    if (iequals(local, l.local_part)) return recipient_role::post;
    if (!istarts_with(local, l.local_part)) return std::nullopt;
    const auto rest = local.substr(l.local_part.size());
    for (const auto& s : service_suffixes) {
        if (iequals(rest, s.suffix)) return s.role;
        if (s.subaddress && istarts_with(rest, s.suffix) && rest.size() > s.suffix.size() + 1 &&
            rest[s.suffix.size()] == '+')
            return s.role;
    }
    return std::nullopt;
}

} // namespace

std::optional<recipient_match> match_recipient(std::span<const mailing_list> lists,
                                               std::string_view address) {
    const auto at = address.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    const auto local = address.substr(0, at);
    const auto domain = address.substr(at + 1);
    for (const auto& l : lists) {
        if (!iequals(domain, l.domain)) continue;
        if (const auto role = match_local_part(local, l)) return recipient_match{&l, *role};
    }
    return std::nullopt;
}

} // namespace arcrelay::config
