// tests/integration/dns/scripted_server.hpp — a UDP "server" on 127.0.0.1 whose replies to each
// query are scripted by the test: silent, spoofed ids, other questions, garbage, SERVFAIL.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace arcrelay::dns::testing {

using datagram = std::vector<std::uint8_t>;

class scripted_server {
public:
    // script: the datagrams to send back, in order, for one received query.
    explicit scripted_server(std::function<std::vector<datagram>(const datagram& query)> script);
    ~scripted_server(); // stops and joins the thread
    scripted_server(const scripted_server&) = delete;
    scripted_server& operator=(const scripted_server&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    int queries() const { return queries_.load(); }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

struct reply_spec {
    int id_offset = 0;                  // added to the query's id
    std::string qname{};                // empty: the query's
    int rcode = 0;                      // LDNS_RCODE_*
    std::vector<std::string> answers{}; // RRs in presentation format
};

// A response to `query` shaped by `spec`.
datagram make_reply(const datagram& query, const reply_spec& spec);

} // namespace arcrelay::dns::testing
