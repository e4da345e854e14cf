// dns/network_resolver.hpp — the daemon's stub resolver: ldns builds and reads the messages,
// Boost.Asio carries them (UDP, TCP when the answer is truncated) to the configured recursive
// servers on an internal I/O thread.
//
// RFC 1035 4.2 (UDP, TCP with a two-octet length), RFC 7766 (TCP after TC), RFC 6891 (EDNS0,
// 1232-byte payload as DNS Flag Day 2020 advises), RFC 5452 (random id and source port; answers
// that do not match the question and the server are ignored), RFC 1034 3.6.2 (CNAME chains).
#pragma once

#include "base/result.hpp"
#include "dns/resolv_conf.hpp"
#include "dns/resolver.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::dns {

inline constexpr std::chrono::milliseconds default_query_timeout{2000}; // per message sent
inline constexpr unsigned default_query_attempts = 2; // rounds over the server list
inline constexpr std::uint16_t default_edns_payload = 1232;

struct network_resolver_options {
    // "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:5353". Empty: the
    // nameserver lines of resolv_conf_path.
    std::vector<std::string> servers;
    std::string resolv_conf_path = default_resolv_conf_path;
    std::chrono::milliseconds timeout = default_query_timeout;
    unsigned attempts = default_query_attempts;
    std::uint16_t edns_payload = default_edns_payload; // 0: no EDNS (512-byte UDP answers)
};

class network_resolver final : public resolver {
public:
    // Starts the I/O thread. Errors: a server that is not an address with an optional port, an
    // unreadable resolv.conf when no servers are given, no attempts, or a timeout under 1 ms.
    static result<std::unique_ptr<network_resolver>> create(network_resolver_options options = {});
    ~network_resolver() override;
    network_resolver(const network_resolver&) = delete;
    network_resolver& operator=(const network_resolver&) = delete;

    // Sends every question at once and blocks until all are answered. Outcomes: NXDOMAIN ->
    // nxdomain; NOERROR without matching records -> nodata; SERVFAIL, REFUSED, timeouts and
    // network errors (after every attempt on every server) -> temp_failure; an answer that
    // cannot be parsed -> malformed. Safe to call from several threads at once; must not be
    // called while the resolver is being destroyed.
    std::vector<answer> resolve(std::span<const question> questions) override;

private:
    struct impl;
    explicit network_resolver(std::unique_ptr<impl> i);
    std::unique_ptr<impl> impl_;
};

} // namespace arcrelay::dns
