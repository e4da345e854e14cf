// relay/cli_resolver.cpp — see cli_resolver.hpp.
#include "relay/cli_resolver.hpp"

#include "dns/network_resolver.hpp"
#include "dns/static_zone.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {

result<std::unique_ptr<dns::resolver>> make_cli_resolver(std::optional<std::string> zone_path,
                                                         const config::dns_settings& dns_cfg) {
    if (!zone_path && !dns_cfg.zone_file.empty()) zone_path = dns_cfg.zone_file;
    if (zone_path) {
        auto zone = dns::static_zone::load(*zone_path);
        if (!zone) return zone.error();
        return std::unique_ptr<dns::resolver>(std::make_unique<dns::static_zone>(std::move(*zone)));
    }
    dns::network_resolver_options options;
    options.timeout = dns_cfg.timeout;
    options.attempts = dns_cfg.retries + 1;
    for (const auto& s : dns_cfg.servers)
        options.servers.push_back(s.address.v6
                                      ? fmt::format("[{}]:{}", format_ip_address(s.address), s.port)
                                      : fmt::format("{}:{}", format_ip_address(s.address), s.port));
    auto net = dns::network_resolver::create(options);
    if (!net) return net.error();
    return std::unique_ptr<dns::resolver>(std::move(*net));
}

} // namespace arcrelay::relay
