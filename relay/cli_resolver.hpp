// relay/cli_resolver.hpp — the resolver of the one-shot commands (verify, seal, testkey).
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"
#include "dns/resolver.hpp"

#include <memory>
#include <optional>
#include <string>

namespace arcrelay::relay {

// --zone FILE (else [dns] zone_file): a static zone from that RFC 1035 master file;
// otherwise the network stub resolver with [dns] servers (or /etc/resolv.conf), timeout_ms
// and retries. Errors: an unreadable or malformed zone, no usable name server.
result<std::unique_ptr<dns::resolver>> make_cli_resolver(std::optional<std::string> zone_path,
                                                         const config::dns_settings& dns_cfg);

} // namespace arcrelay::relay
