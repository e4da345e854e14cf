// smtp/client.hpp — the SMTP/LMTP next hop with a small pool of reused connections
// (RSET between transactions, RFC 5321 4.1.1.5). Never throws for network trouble:
// every outcome is a delivery_result (see client_connection.hpp for the mapping).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "smtp/client_connection.hpp"

namespace arcrelay::smtp {

class smtp_client {
public:
    explicit smtp_client(client_config config);

    // Delivers one transaction; safe to call from many coroutines at once, each
    // using its own connection.
    boost::asio::awaitable<delivery_result> deliver(const transaction& t);

    const client_config& config() const { return config_; }
    std::size_t idle_connections() const;

private:
    struct idle_connection {
        std::unique_ptr<client_connection> connection;
        std::chrono::steady_clock::time_point since;
    };
    std::unique_ptr<client_connection> take_idle();
    void give_back(std::unique_ptr<client_connection> c);

    client_config config_;
    mutable std::mutex mutex_;
    std::vector<idle_connection> idle_;
};

} // namespace arcrelay::smtp
