// relay/recipient_policy.cpp — see recipient_policy.hpp.
#include "relay/recipient_policy.hpp"

#include "base/ip_address.hpp"
#include "config/recipients.hpp"
#include "mail/header_field.hpp"

#include <algorithm>

namespace arcrelay::relay {
namespace {

// The transaction group of a recipient: "post:LIST", "service:LIST", or "" (no list).
std::string group_of(std::span<const config::mailing_list> lists, std::string_view rcpt) {
    const auto m = config::match_recipient(lists, rcpt);
    if (!m) return {};
    return (m->role == config::recipient_role::post ? "post:" : "service:") + m->list->address;
}

bool serves_domain(std::span<const config::mailing_list> lists, std::string_view rcpt) {
    const auto at = rcpt.rfind('@');
    if (at == std::string_view::npos) return false;
    const auto domain = rcpt.substr(at + 1);
    return std::any_of(lists.begin(), lists.end(), [&](const config::mailing_list& l) {
        return mail::iequals(l.domain, domain);
    });
}

} // namespace

bool client_allowed(const config::listener& listener, std::string_view client_ip) {
    if (listener.allowed_clients.empty()) return true;
    const auto ip = parse_ip_address(client_ip);
    if (!ip) return false;
    const auto plain = unmap_ipv4(*ip); // ::ffff:192.0.2.1 is 192.0.2.1
    return std::any_of(listener.allowed_clients.begin(), listener.allowed_clients.end(),
                       [&](const ip_network& n) { return in_network(plain, n); });
}

smtp::reply decide_recipient(std::span<const config::mailing_list> lists,
                             const config::listener& listener, const smtp::envelope& env,
                             std::string_view rcpt) {
    if (!client_allowed(listener, env.client_ip))
        return smtp::make_reply(550, {5, 7, 1}, "Client host not allowed on this listener");
    const auto group = group_of(lists, rcpt);
    if (group.empty() && listener.recipients == config::recipient_policy::lists) {
        if (serves_domain(lists, rcpt))
            return smtp::make_reply(550, {5, 1, 1}, "No such list or address here");
        return smtp::make_reply(550, {5, 7, 1}, "Relaying denied: not a list served here");
    }
    if (!env.rcpts.empty() && group_of(lists, env.rcpts.front()) != group)
        // RFC 5321 3.3 / 4.5.3.1.10: the client sends the rest in another transaction.
        return smtp::make_reply(452, {4, 5, 3},
                                "Too many lists in one transaction, send this one separately");
    return smtp::make_reply(250, {2, 1, 5}, "Recipient ok");
}

const config::mailing_list* posted_list(std::span<const config::mailing_list> lists,
                                        std::span<const std::string> recipients) {
    const config::mailing_list* list = nullptr;
    for (const auto& r : recipients) {
        const auto m = config::match_recipient(lists, r);
        if (!m || m->role != config::recipient_role::post) return nullptr;
        if (list && list != m->list) return nullptr;
        list = m->list;
    }
    return list;
}

} // namespace arcrelay::relay
