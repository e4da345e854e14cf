// smtp/listener.hpp — accepts SMTP connections on one endpoint and runs a server_session
// for each, with limits on connections in total and per client IP (421 4.7.0 at the
// greeting, RFC 5321 3.1) and a graceful drain on stop.
#pragma once

#include <functional>
#include <string_view>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "smtp/server_session.hpp"

namespace arcrelay::smtp {

struct connection_limits {
    static constexpr std::size_t default_total = 1000;
    static constexpr std::size_t default_per_ip = 20;
    std::size_t total = default_total;
    std::size_t per_ip = default_per_ip;
};

struct listener_config {
    boost::asio::ip::tcp::endpoint endpoint;
    session_config session;
    connection_limits limits;
    // Which client addresses may connect at all; others get 554 5.7.1 at connect (RFC 5321
    // §3.1) and are closed. Empty: every client.
    std::function<bool(std::string_view ip)> admit_client;
};

class listener : public std::enable_shared_from_this<listener> {
public:
    // Binds and listens; throws boost::system::system_error when the endpoint cannot be
    // bound (start-up configuration).
    listener(boost::asio::io_context& ioc, listener_config config,
             std::shared_ptr<transaction_handler> handler);

    boost::asio::ip::tcp::endpoint local_endpoint() const;
    void start();
    // Thread-safe. Stops accepting and drains every session (current transactions
    // finish); sessions still open after `deadline` are closed.
    void stop(std::chrono::steady_clock::duration deadline);
    std::size_t connections() const;

private:
    class slot;
    static boost::asio::awaitable<void> accept_loop(std::shared_ptr<listener> self);
    static boost::asio::awaitable<void> refuse(boost::asio::ip::tcp::socket socket,
                                               std::string text);
    void admit(boost::asio::ip::tcp::socket socket);
    void release(const std::string& ip, std::uint64_t id);
    std::vector<std::shared_ptr<server_session>> open_sessions() const;

    boost::asio::io_context& ioc_;
    listener_config config_;
    std::shared_ptr<transaction_handler> handler_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer drain_timer_;

    mutable std::mutex mutex_; // guards what follows: sessions run on many threads
    std::map<std::string, std::size_t> per_ip_;
    std::map<std::uint64_t, std::weak_ptr<server_session>> sessions_;
    std::uint64_t next_id_ = 0;
    bool stopping_ = false;
};

} // namespace arcrelay::smtp
