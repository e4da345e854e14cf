// smtp/server_session.hpp — one inbound SMTP connection: runs server_protocol over a TCP
// socket (and TLS after STARTTLS, RFC 3207) with Asio C++20 coroutines. Every read has a
// deadline (RFC 5321 4.5.3.2); an idle client gets 421 4.4.2. Any exception is answered
// 451 4.3.0 and ends only this session.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "smtp/server_protocol.hpp"
#include "smtp/transaction_handler.hpp"

namespace arcrelay::smtp {

// RFC 5321 4.5.3.2 timeouts, applied by the server while it waits for the client.
struct server_timeouts {
    using duration = std::chrono::steady_clock::duration;
    duration first_command = std::chrono::minutes(5);   // 4.5.3.2.1, after the greeting
    duration mail = std::chrono::minutes(5);            // 4.5.3.2.2
    duration rcpt = std::chrono::minutes(5);            // 4.5.3.2.3
    duration data_initiation = std::chrono::minutes(2); // 4.5.3.2.4, first data after 354
    duration data_block = std::chrono::minutes(3);      // 4.5.3.2.5
    duration tls_handshake = std::chrono::minutes(1);
    duration write = std::chrono::minutes(5); // sending a reply (4.5.3.2.7)
};

struct session_config {
    server_config protocol; // starttls_available is set from `tls`
    server_timeouts timeouts;
    std::shared_ptr<boost::asio::ssl::context> tls; // null: no STARTTLS
};

class server_session : public std::enable_shared_from_this<server_session> {
public:
    // `slot` is kept alive as long as the session (the listener counts connections with
    // it). The socket's executor must be a strand if the io_context has several threads.
    server_session(boost::asio::ip::tcp::socket socket, const session_config& config,
                   std::shared_ptr<transaction_handler> handler, std::shared_ptr<void> slot = {});

    // Spawns the session on its socket's executor.
    static void start(std::shared_ptr<server_session> session);

    // Thread-safe. drain(): finish the current transaction, then 421 4.3.2 and close;
    // an idle session closes at once. abort(): close the connection now.
    void drain();
    void abort();

    const std::string& client_ip() const { return client_ip_; }

private:
    enum class interrupt { none, timeout, drain };

    static boost::asio::awaitable<void> run(std::shared_ptr<server_session> self);
    static boost::asio::awaitable<void> watchdog(std::shared_ptr<server_session> self);
    boost::asio::awaitable<void> serve();
    boost::asio::awaitable<void> execute(std::vector<action> actions);
    boost::asio::awaitable<std::size_t> read_some();
    boost::asio::awaitable<void> write(const std::string& bytes);
    boost::asio::awaitable<void> say_goodbye(const reply& r);
    void arm(server_timeouts::duration timeout);
    server_timeouts::duration read_timeout(protocol_phase before) const;
    bool idle() const;
    void close_socket();

    boost::asio::ip::tcp::socket socket_;
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    session_config config_;
    std::shared_ptr<transaction_handler> handler_;
    std::shared_ptr<void> slot_;
    std::string client_ip_;
    server_protocol protocol_;
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
    std::array<char, 16 * 1024> buffer_{};
    bool reading_ = false;
    bool draining_ = false;
    bool finished_ = false;
    interrupt interrupt_ = interrupt::none;
};

} // namespace arcrelay::smtp
