// relay/runtime.cpp — see runtime.hpp.
#include "relay/runtime.hpp"

#include "base/ip_address.hpp"
#include "dns/cache.hpp"
#include "dns/network_resolver.hpp"
#include "dns/static_zone.hpp"
#include "relay/handover_secrets.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {
namespace {

std::string format_server(const config::dns_server& s) {
    const auto ip = format_ip_address(s.address);
    return s.address.v6 ? fmt::format("[{}]:{}", ip, s.port) : fmt::format("{}:{}", ip, s.port);
}

} // namespace

const config::listener* runtime::find_listener(const std::string& name) const {
    for (const auto& l : config.listeners)
        if (l.name == name) return &l;
    return nullptr;
}

result<std::shared_ptr<const runtime>> runtime::build(config::configuration config) {
    auto r = std::make_shared<runtime>();
    r->config = std::move(config);
    const auto& c = r->config;
    auto keys = load_sealing_keys(c);
    if (!keys) return keys.error();
    r->keys = std::move(keys).value();
    if (uses_handover(c)) {
        auto handover = load_handover_keys(c);
        if (!handover) return handover.error();
        r->handover = std::move(handover).value();
    }

    if (!c.dns.zone_file.empty()) {
        auto zone = dns::static_zone::load(c.dns.zone_file);
        if (!zone) return zone.error();
        r->base_resolver_ = std::make_unique<dns::static_zone>(std::move(zone).value());
        r->shared_resolver_ = r->base_resolver_.get();
    } else {
        dns::network_resolver_options options;
        for (const auto& s : c.dns.servers)
            options.servers.push_back(format_server(s));
        options.timeout = c.dns.timeout;
        options.attempts = c.dns.retries + 1;
        auto net = dns::network_resolver::create(options);
        if (!net) return net.error();
        r->base_resolver_ = std::move(net).value();
        r->shared_resolver_ = r->base_resolver_.get();
        if (c.dns.cache_size > 0) {
            dns::cache_options co;
            co.max_entries = c.dns.cache_size;
            r->cache_ = std::make_unique<dns::caching_resolver>(*r->base_resolver_, co);
            r->shared_resolver_ = r->cache_.get();
        }
    }
    for (const auto& l : c.listeners)
        r->next_hops.emplace(l.name, std::make_unique<next_hop>(l.next_hop, c.server.hostname));
    return std::shared_ptr<const runtime>(std::move(r));
}

} // namespace arcrelay::relay
