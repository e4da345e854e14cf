// dns/resolv_conf.hpp — the name servers of a resolv.conf(5) file, for the default
// configuration of network_resolver.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::dns {

inline constexpr const char* default_resolv_conf_path = "/etc/resolv.conf";

// resolv.conf(5): MAXNS; later nameserver lines are ignored, as the C library does.
inline constexpr std::size_t max_resolv_conf_servers = 3;

// The addresses of the `nameserver` lines (at most max_resolv_conf_servers), in order; an IPv6
// zone suffix ("%eth0") is kept. Comments (# or ;) and other options are skipped. When there is
// no nameserver line, resolv.conf(5) says the local server is used: {"127.0.0.1"}.
std::vector<std::string> parse_resolv_conf(std::string_view text);

} // namespace arcrelay::dns
