// tests/integration/smtp/loopback.hpp — helpers for loopback tests: run a coroutine on an
// io_context with a hard deadline, talk raw SMTP, a scripted fake next hop, temp dirs.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include "smtp/client.hpp"

#include <fmt/format.h>

namespace arcrelay::smtp::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Runs `body` to completion within `limit`; fails the test on timeout or exception.
template <class F>
void run_bounded(asio::io_context& ioc, F body, std::chrono::seconds limit = 20s) {
    bool done = false;
    std::exception_ptr error;
    asio::co_spawn(ioc, std::move(body), [&](std::exception_ptr e) {
        error = e;
        done = true;
    });
    const auto start = std::chrono::steady_clock::now();
    while (!done && std::chrono::steady_clock::now() - start < limit && !ioc.stopped())
        ioc.run_for(100ms);
    BOOST_REQUIRE_MESSAGE(done, "test coroutine did not finish in time");
    if (error) std::rethrow_exception(error);
}

inline asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

// Connects, sends `input` and returns everything the server sends until it closes.
inline asio::awaitable<std::string> talk(tcp::endpoint ep, std::string input) {
    tcp::socket s(co_await asio::this_coro::executor);
    co_await s.async_connect(ep, asio::use_awaitable);
    if (!input.empty()) co_await asio::async_write(s, asio::buffer(input), asio::use_awaitable);
    std::string out;
    boost::system::error_code ec;
    for (;;) {
        char buf[4096];
        auto n = co_await s.async_read_some(asio::buffer(buf),
                                            asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        out.append(buf, n);
    }
    co_return out;
}

// Reads from `s` into `buf` until `needle` appears.
inline asio::awaitable<void> read_until(tcp::socket& s, std::string& buf, std::string_view needle) {
    co_await asio::async_read_until(s, asio::dynamic_buffer(buf), std::string(needle),
                                    asio::use_awaitable);
}

// A scripted next hop: answers each command line with on_command(line) and the end of
// DATA with after_data; records what it saw. on_command returning close_now closes the
// connection unanswered; close_after_data closes it once the message's reply is sent.
struct fake_hop {
    static constexpr const char* close_now = "<close>";
    std::string greeting = "220 hop.test ESMTP\r\n";
    std::function<std::string(const std::string&)> on_command;
    std::string after_data = "250 2.0.0 queued\r\n";
    bool close_after_data = false;
    std::string after_data_later; // sent 50 ms after the message's reply, when not empty
    // RFC 2920 check: answers no MAIL or RCPT until the DATA line has arrived, then every
    // reply in order (a client waiting for the MAIL reply before sending RCPT never gets one).
    bool hold_until_data = false;
    int connections = 0;
    // The most complete command lines that were already waiting when one was read: 0 for a
    // lock-step client, more when commands were pipelined.
    std::size_t max_waiting_lines = 0;
    std::vector<std::string> commands;
    std::vector<std::string> messages;
};

inline asio::awaitable<void> serve_connection(tcp::socket s, fake_hop& hop) {
    boost::system::error_code ec;
    co_await asio::async_write(s, asio::buffer(hop.greeting),
                               asio::redirect_error(asio::use_awaitable, ec));
    std::string buf, held;
    while (!ec) {
        auto n = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n",
                                                 asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        std::string line = buf.substr(0, n - 2);
        buf.erase(0, n);
        hop.commands.push_back(line);
        std::size_t waiting = 0;
        for (auto p = buf.find("\r\n"); p != std::string::npos; p = buf.find("\r\n", p + 2))
            ++waiting;
        hop.max_waiting_lines = std::max(hop.max_waiting_lines, waiting);
        const std::string reply = hop.on_command(line);
        if (reply == fake_hop::close_now) break;
        held += reply;
        const bool hold =
            hop.hold_until_data && (line.starts_with("MAIL") || line.starts_with("RCPT"));
        if (hold) continue;
        std::string answer = std::exchange(held, {});
        co_await asio::async_write(s, asio::buffer(answer),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (line == "DATA" && reply.starts_with("354")) {
            // the message starts right after the DATA line
            auto m = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n.\r\n",
                                                     asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            hop.messages.push_back(buf.substr(0, m));
            buf.erase(0, m);
            co_await asio::async_write(s, asio::buffer(hop.after_data),
                                       asio::redirect_error(asio::use_awaitable, ec));
            if (hop.close_after_data) break;
            if (!hop.after_data_later.empty()) {
                asio::steady_timer later(s.get_executor(), 50ms);
                co_await later.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                co_await asio::async_write(s, asio::buffer(hop.after_data_later),
                                           asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        if (line == "QUIT") break;
    }
}

inline asio::awaitable<void> serve_fake(tcp::acceptor& acceptor, fake_hop& hop) {
    for (;;) {
        boost::system::error_code ec;
        auto s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        ++hop.connections;
        asio::co_spawn(acceptor.get_executor(), serve_connection(std::move(s), hop),
                       asio::detached);
    }
}

// Replies of a plain, accepting next hop (ESMTP unless lmtp).
inline std::string standard_reply(const std::string& line) {
    if (line.starts_with("EHLO") || line.starts_with("LHLO"))
        return "250-hop.test\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n";
    if (line == "DATA") return "354 go ahead\r\n";
    if (line == "QUIT") return "221 2.0.0 bye\r\n";
    return "250 2.0.0 ok\r\n";
}

// "code x.y.z" of a reply.
inline std::string status(const reply& r) {
    return fmt::format("{} {}", r.code, r.status);
}

// A scripted hop on a free loopback port and client settings for it (2 s timeouts).
struct hop_fixture {
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    fake_hop hop;

    hop_fixture() {
        hop.on_command = standard_reply;
        asio::co_spawn(ioc, serve_fake(acceptor, hop), asio::detached);
    }
    client_config config(client_protocol p = client_protocol::smtp) {
        client_config c;
        c.host = "127.0.0.1";
        c.port = acceptor.local_endpoint().port();
        c.protocol = p;
        c.timeouts.connect = c.timeouts.greeting = c.timeouts.mail = c.timeouts.rcpt = 2s;
        c.timeouts.data_initiation = c.timeouts.data_block = c.timeouts.data_final = 2s;
        return c;
    }
    // `times` deliveries through one fresh client, bounded in time; the last result.
    delivery_result deliver(const client_config& cfg, const transaction& t, std::size_t times = 1) {
        delivery_result out;
        run_bounded(ioc, [&]() -> asio::awaitable<void> {
            smtp_client c(cfg);
            for (std::size_t k = 0; k < times; ++k)
                out = co_await c.deliver(t);
        });
        return out;
    }
};

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        path = std::filesystem::temp_directory_path() /
               ("arcrelay-smtp-" + std::to_string(::getpid()) + "-" +
                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
};

inline std::size_t count_files(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return 0;
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                  std::filesystem::directory_iterator{}));
}

} // namespace arcrelay::smtp::test
