// tests/integration/dns/nsd_server.hpp — runs NSD (nsd -d) on 127.0.0.1 and a free high port,
// authoritative for the given zones, in its own temporary directory. The destructor stops it by
// PID (SIGTERM, then SIGKILL), reaps the processes NSD forked, and removes the directory; the
// child also gets SIGKILL if this process dies first (PR_SET_PDEATHSIG).
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace arcrelay::dns::testing {

class nsd_server {
public:
    // zones: (origin, master-file text). Throws std::runtime_error when nsd cannot be started
    // or does not answer within a few seconds (its log is in the message).
    explicit nsd_server(const std::vector<std::pair<std::string, std::string>>& zones);
    ~nsd_server();
    nsd_server(const nsd_server&) = delete;
    nsd_server& operator=(const nsd_server&) = delete;

    std::uint16_t port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

private:
    void stop();
    std::string log() const;

    std::string directory_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

// A port that is free for both UDP and TCP on 127.0.0.1 right now.
std::uint16_t free_port();

} // namespace arcrelay::dns::testing
