// auth/iprev/iprev.cpp — RFC 8601 3 reverse-then-forward DNS check.
#include "auth/iprev/iprev.hpp"

#include "base/ip_address.hpp"
#include "dns/name.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace arcrelay::auth::iprev {

namespace {

iprev_result finish(iprev_result r, verdict v, std::string reason) {
    r.result = v;
    r.reason = std::move(reason);
    return r;
}

bool maps_back(const dns::answer& answer, const ip_address& client) {
    if (answer.result != dns::outcome::records) return false;
    return std::any_of(answer.records.begin(), answer.records.end(), [&](const std::string& text) {
        const auto address = parse_ip_address(text);
        return address && unmap_ipv4(*address) == client;
    });
}

} // namespace

std::optional<dns::question> ptr_question(std::string_view client_ip) {
    const auto parsed = parse_ip_address(client_ip);
    if (!parsed) return std::nullopt;
    auto name = dns::reverse_name(format_ip_address(unmap_ipv4(*parsed)));
    if (!name) return std::nullopt;
    return dns::question{std::move(*name), dns::rr_type::ptr};
}

iprev_result check_iprev(dns::resolver& resolver, std::string_view client_ip) {
    iprev_result r;
    const auto parsed = parse_ip_address(client_ip);
    if (!parsed)
        return finish(std::move(r), verdict::permerror,
                      fmt::format("malformed client address \"{}\"", client_ip));
    const ip_address client = unmap_ipv4(*parsed);
    r.client_ip = format_ip_address(client);
    r.properties.emplace_back("policy.iprev", r.client_ip);

    const auto ptr_name = dns::reverse_name(r.client_ip);
    if (!ptr_name)
        return finish(std::move(r), verdict::permerror, "no reverse name for " + r.client_ip);
    const auto ptr = resolver.resolve_one({*ptr_name, dns::rr_type::ptr});
    switch (ptr.result) {
    case dns::outcome::temp_failure:
        return finish(std::move(r), verdict::temperror,
                      fmt::format("PTR lookup of {} failed: {}", *ptr_name, ptr.reason));
    case dns::outcome::malformed:
        return finish(std::move(r), verdict::permerror,
                      fmt::format("malformed PTR answer for {}: {}", *ptr_name, ptr.reason));
    case dns::outcome::nxdomain:
    case dns::outcome::nodata:
        return finish(std::move(r), verdict::permerror,
                      fmt::format("no PTR record for {}", r.client_ip));
    case dns::outcome::records:
        break;
    }

    // RFC 8601 3: bound the forward lookups.
    for (const auto& name : ptr.records) {
        if (r.names.size() == max_ptr_names) break;
        if (!name.empty()) r.names.push_back(dns::canonical_name(name));
    }
    if (r.names.empty())
        return finish(std::move(r), verdict::permerror,
                      fmt::format("empty PTR name for {}", r.client_ip));
    const std::string skipped = ptr.records.size() > r.names.size()
                                    ? fmt::format(" (only the first {} of {} names checked)",
                                                  r.names.size(), ptr.records.size())
                                    : std::string();

    std::vector<dns::question> questions;
    for (const auto& name : r.names)
        questions.push_back({name, client.v6 ? dns::rr_type::aaaa : dns::rr_type::a});
    const auto answers = resolver.resolve(questions);
    bool temporary = false;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (maps_back(answers[i], client)) {
            r.matched_name = r.names[i];
            r.comment = r.names[i];
            return finish(std::move(r), verdict::pass,
                          fmt::format("{} maps back to {}", r.names[i], r.client_ip));
        }
        temporary = temporary || answers[i].result == dns::outcome::temp_failure;
    }
    if (temporary)
        return finish(std::move(r), verdict::temperror,
                      fmt::format("no name of {} maps back and a forward lookup failed{}",
                                  r.client_ip, skipped));
    return finish(std::move(r), verdict::fail,
                  fmt::format("none of {} maps back to {}{}", fmt::join(r.names, ", "), r.client_ip,
                              skipped));
}

std::string_view to_string(verdict v) {
    switch (v) {
    case verdict::pass:
        return "pass";
    case verdict::fail:
        return "fail";
    case verdict::temperror:
        return "temperror";
    case verdict::permerror:
        return "permerror";
    }
    return "permerror";
}

} // namespace arcrelay::auth::iprev
