// Loopback tests of smtp::listener / server_session: delivery to a maildir handler,
// timeouts (421 4.4.2), disconnect mid-DATA, connection limits, STARTTLS, drain, and a
// handler that throws (451 4.3.0).
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "loopback.hpp"
#include "smtp/client.hpp"
#include "smtp/listener.hpp"
#include "smtp/maildir.hpp"
#include "smtp/tls.hpp"

using namespace arcrelay::smtp;
using namespace arcrelay::smtp::test;

namespace {

struct maildir_handler : transaction_handler {
    explicit maildir_handler(std::filesystem::path p) : box(std::move(p)) {}
    reply check_recipient(const envelope&, std::string_view rcpt) override {
        if (rcpt.ends_with("@lists.example")) return make_reply(250, {2, 1, 5}, "OK");
        return make_reply(550, {5, 1, 1}, "No such list");
    }
    asio::awaitable<reply> deliver(transaction t) override {
        ++delivered;
        last_tls = t.env.tls;
        if (throw_on_deliver) throw std::runtime_error("handler failure");
        co_return box.deliver(t);
    }
    maildir box;
    std::atomic<int> delivered = 0;
    std::atomic<bool> last_tls = false;
    bool throw_on_deliver = false;
};

listener_config loopback_config() {
    listener_config c;
    c.endpoint = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);
    c.session.protocol.hostname = "mx.test";
    return c;
}

transaction sample(std::string body = "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n") {
    transaction t;
    t.env.mail_from = "poster@example.org";
    t.env.rcpts = {"list@lists.example"};
    t.message = std::move(body);
    return t;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

client_config client_for(const listener& l) {
    client_config c;
    c.host = "127.0.0.1";
    c.port = l.local_endpoint().port();
    c.helo_name = "client.test";
    c.timeouts.connect = 5s;
    c.timeouts.greeting = c.timeouts.mail = c.timeouts.rcpt = 5s;
    c.timeouts.data_initiation = c.timeouts.data_block = c.timeouts.data_final = 5s;
    return c;
}

asio::awaitable<void> wait_until_idle(const listener& l) {
    for (int i = 0; i < 100 && l.connections() > 0; ++i)
        co_await sleep_for(20ms);
}

// A maildir handler behind a listener on 127.0.0.1; listen() starts it.
struct session_fixture {
    temp_dir dir;
    asio::io_context ioc;
    std::shared_ptr<maildir_handler> handler = std::make_shared<maildir_handler>(dir.path);
    std::shared_ptr<listener> l;

    void listen(const listener_config& cfg = loopback_config()) {
        l = std::make_shared<listener>(ioc, cfg, handler);
        l->start();
    }

    // A client connected to the listener, its 220 greeting read.
    asio::awaitable<tcp::socket> greeted() {
        tcp::socket s(ioc);
        co_await s.async_connect(l->local_endpoint(), asio::use_awaitable);
        std::string greeting;
        co_await read_until(s, greeting, "\r\n");
        co_return s;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(server_session_test)

BOOST_FIXTURE_TEST_CASE(client_delivers_through_session_into_maildir, session_fixture) {
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        smtp_client client(client_for(*l));
        const auto first = sample();
        auto r1 = co_await client.deliver(first);
        BOOST_TEST(r1.overall.code == 250);
        BOOST_TEST(fmt::format("{}", r1.overall.status) == "2.0.0");
        BOOST_TEST(client.idle_connections() == 1u);
        auto t = sample("second\r\n");
        t.env.rcpts = {"nobody@elsewhere.test", "list@lists.example"};
        auto r2 = co_await client.deliver(t); // reuses the connection after RSET
        BOOST_TEST(r2.overall.code == 250);
        BOOST_TEST(r2.recipients[0].code == 550);
        BOOST_TEST(r2.recipients[1].code == 250);
        BOOST_TEST(l->connections() == 1u);
    });
    BOOST_TEST(handler->delivered == 2);
    BOOST_REQUIRE_EQUAL(count_files(dir.path / "new"), 2u);
    BOOST_TEST(count_files(dir.path / "tmp") == 0u);
    bool found = false;
    for (auto& e : std::filesystem::directory_iterator(dir.path / "new"))
        found |= read_file(e.path()) == "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n";
    BOOST_TEST(found);
}

BOOST_FIXTURE_TEST_CASE(silent_client_gets_421_after_timeout, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.timeouts.first_command = 300ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto out = co_await talk(l->local_endpoint(), "");
        BOOST_TEST(out ==
                   "220 mx.test ESMTP\r\n421 4.4.2 Timeout exceeded, closing connection\r\n");
    });
}

BOOST_FIXTURE_TEST_CASE(client_dribbling_a_command_gets_421, session_fixture) {
    // RFC 5321 §4.5.3.2: the timeout covers the whole command, not each byte of it.
    auto cfg = loopback_config();
    cfg.session.timeouts.first_command = 600ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto s = co_await greeted();
        std::string got;
        const auto start = std::chrono::steady_clock::now();
        boost::system::error_code ec;
        for (int i = 0; i < 20 && !ec; ++i) { // one byte every 150 ms: 3 s if never cut off
            co_await asio::async_write(s, asio::buffer("E", 1),
                                       asio::redirect_error(asio::use_awaitable, ec));
            asio::steady_timer t(ioc, 150ms);
            co_await t.async_wait(asio::use_awaitable);
            if (std::chrono::steady_clock::now() - start > 1500ms) break;
        }
        got.clear();
        co_await read_until(s, got, "\r\n");
        BOOST_TEST(got == "421 4.4.2 Timeout exceeded, closing connection\r\n");
        BOOST_TEST((std::chrono::steady_clock::now() - start < 2500ms));
    });
}

// Each command re-arms the deadline later than the watchdog's timer: the timer must find the
// new deadline when it fires, and never cut off a client that keeps talking.
BOOST_FIXTURE_TEST_CASE(client_talking_within_each_timeout_is_not_cut_off, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.timeouts.first_command = cfg.session.timeouts.mail = 300ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto s = co_await greeted();
        std::string got;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < 8; ++i) { // 1.2 s in all: four times the timeout
            co_await asio::async_write(s, asio::buffer(std::string_view("NOOP\r\n")),
                                       asio::use_awaitable);
            got.clear();
            co_await read_until(s, got, "\r\n");
            BOOST_TEST(got.starts_with("250 "), got);
            asio::steady_timer t(ioc, 150ms);
            co_await t.async_wait(asio::use_awaitable);
        }
        BOOST_TEST((std::chrono::steady_clock::now() - start >= 1200ms));
        co_await asio::async_write(s, asio::buffer(std::string_view("QUIT\r\n")),
                                   asio::use_awaitable);
        got.clear();
        co_await read_until(s, got, "\r\n");
        BOOST_TEST(got.starts_with("221 "), got);
    });
}

// A shorter timeout after a long one moves the watchdog's timer earlier (RFC 5321 4.5.3.2:
// each wait has its own timeout).
BOOST_FIXTURE_TEST_CASE(shorter_timeout_after_a_long_one_applies, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.timeouts.first_command = 30s;
    cfg.session.timeouts.mail = 300ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto out = co_await talk(l->local_endpoint(), "EHLO client.test\r\n");
        BOOST_TEST(out.ends_with("421 4.4.2 Timeout exceeded, closing connection\r\n"), out);
        BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
    });
}

BOOST_FIXTURE_TEST_CASE(client_stalling_in_data_gets_421, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.timeouts.data_block = 300ms;
    cfg.session.timeouts.data_initiation = 300ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto out = co_await talk(l->local_endpoint(),
                                 "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                                 "DATA\r\nSubject: half\r\n");
        BOOST_TEST(out.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n"
                                 "421 4.4.2 Timeout exceeded, closing connection\r\n"));
    });
    BOOST_TEST(handler->delivered == 0);
}

BOOST_FIXTURE_TEST_CASE(disconnect_mid_data_delivers_nothing, session_fixture) {
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        tcp::socket s(ioc);
        co_await s.async_connect(l->local_endpoint(), asio::use_awaitable);
        const std::string input = "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                                  "DATA\r\nSubject: cut\r\n\r\nhalf a message";
        co_await asio::async_write(s, asio::buffer(input), asio::use_awaitable);
        std::string buf;
        co_await read_until(s, buf, "354 ");
        s.close();
        co_await wait_until_idle(*l);
        BOOST_TEST(l->connections() == 0u);
    });
    BOOST_TEST(handler->delivered == 0);
    BOOST_TEST(count_files(dir.path / "new") == 0u);
}

BOOST_FIXTURE_TEST_CASE(smuggling_attempt_is_refused_over_the_wire, session_fixture) {
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto out = co_await talk(l->local_endpoint(),
                                 "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                                 "DATA\r\nhi\n.\r\nMAIL FROM:<evil@x.test>\r\n.\r\nQUIT\r\n");
        BOOST_TEST(out.find("550 5.6.0 Message refused: bare LF") != std::string::npos);
        BOOST_TEST(out.ends_with("221 2.0.0 mx.test closing connection\r\n"));
    });
    BOOST_TEST(handler->delivered == 0);
}

BOOST_FIXTURE_TEST_CASE(per_ip_limit_refuses_with_421, session_fixture) {
    auto cfg = loopback_config();
    cfg.limits.per_ip = 1;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        tcp::socket first(ioc);
        co_await first.async_connect(l->local_endpoint(), asio::use_awaitable);
        std::string buf;
        co_await read_until(first, buf, "\r\n");
        auto out = co_await talk(l->local_endpoint(), "");
        BOOST_TEST(out == "421 4.7.0 Too many connections from your IP\r\n");
        first.close();
        co_await wait_until_idle(*l);
        out = co_await talk(l->local_endpoint(), "QUIT\r\n");
        BOOST_TEST(out == "220 mx.test ESMTP\r\n221 2.0.0 mx.test closing connection\r\n");
    });
}

BOOST_FIXTURE_TEST_CASE(clients_not_admitted_get_554_at_connect, session_fixture) {
    auto cfg = loopback_config();
    std::string seen;
    cfg.admit_client = [&seen](std::string_view ip) {
        seen = ip;
        return false;
    };
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto out = co_await talk(l->local_endpoint(), "EHLO client.test\r\n");
        BOOST_TEST(out == "554 5.7.1 Client address not allowed here\r\n");
    });
    BOOST_TEST(seen == "127.0.0.1");
    BOOST_TEST(handler->delivered == 0);
}

BOOST_FIXTURE_TEST_CASE(total_limit_refuses_with_421, session_fixture) {
    auto cfg = loopback_config();
    cfg.limits.total = 2;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        tcp::socket a(ioc), b(ioc);
        std::string buf;
        co_await a.async_connect(l->local_endpoint(), asio::use_awaitable);
        co_await read_until(a, buf, "\r\n");
        co_await b.async_connect(l->local_endpoint(), asio::use_awaitable);
        buf.clear();
        co_await read_until(b, buf, "\r\n");
        auto out = co_await talk(l->local_endpoint(), "");
        BOOST_TEST(out.starts_with("421 4.7.0"));
    });
}

BOOST_FIXTURE_TEST_CASE(handler_exception_is_answered_451_and_session_goes_on, session_fixture) {
    handler->throw_on_deliver = true;
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto out = co_await talk(l->local_endpoint(),
                                 "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                                 "DATA\r\nx\r\n.\r\nNOOP\r\nQUIT\r\n");
        BOOST_TEST(out.find("451 4.3.0 Internal error, please try again later\r\n"
                            "250 2.0.0 OK\r\n221 2.0.0") != std::string::npos);
    });
}

BOOST_FIXTURE_TEST_CASE(starttls_then_delivery_marks_transaction_tls, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.tls = make_server_tls_context(ARCRELAY_TEST_DATA "/smtp/cert.pem",
                                              ARCRELAY_TEST_DATA "/smtp/key.pem");
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto ccfg = client_for(*l);
        ccfg.tls = make_client_tls_context(false);
        smtp_client client(ccfg);
        const auto t = sample();
        auto r = co_await client.deliver(t);
        BOOST_TEST(r.overall.code == 250);
    });
    BOOST_TEST(handler->delivered == 1);
    BOOST_TEST(handler->last_tls);
}

BOOST_FIXTURE_TEST_CASE(plaintext_injected_after_starttls_is_discarded, session_fixture) {
    auto cfg = loopback_config();
    cfg.session.tls = make_server_tls_context(ARCRELAY_TEST_DATA "/smtp/cert.pem",
                                              ARCRELAY_TEST_DATA "/smtp/key.pem");
    cfg.session.timeouts.tls_handshake = 500ms;
    listen(cfg);
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        // The injected commands are not TLS records: the handshake fails and the
        // session closes without having answered any of them.
        auto out = co_await talk(l->local_endpoint(),
                                 "EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@x.test>\r\nNOOP\r\n");
        BOOST_TEST(out.ends_with("250 STARTTLS\r\n220 2.0.0 Ready to start TLS\r\n"));
    });
}

BOOST_FIXTURE_TEST_CASE(stop_drains_idle_sessions_with_421, session_fixture) {
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        auto s = co_await greeted();
        std::string buf;
        l->stop(2s);
        co_await read_until(s, buf, "421 4.3.2 Service shutting down\r\n");
        co_await wait_until_idle(*l);
        BOOST_TEST(l->connections() == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(stop_lets_open_transaction_finish, session_fixture) {
    listen();
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        tcp::socket s(ioc);
        co_await s.async_connect(l->local_endpoint(), asio::use_awaitable);
        std::string buf;
        const std::string head = "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                                 "DATA\r\n";
        co_await asio::async_write(s, asio::buffer(head), asio::use_awaitable);
        co_await read_until(s, buf, "354 ");
        l->stop(5s);
        co_await sleep_for(100ms);
        const std::string rest = "Subject: late\r\n\r\nbody\r\n.\r\n";
        co_await asio::async_write(s, asio::buffer(rest), asio::use_awaitable);
        co_await read_until(s, buf, "421 4.3.2");
        BOOST_TEST(buf.find("250 2.0.0 Delivered as") != std::string::npos);
    });
    BOOST_TEST(handler->delivered == 1);
}

BOOST_FIXTURE_TEST_CASE(concurrent_clients_on_two_threads, session_fixture) {
    listen();
    constexpr int clients = 8;
    std::atomic<int> accepted = 0, finished = 0;
    for (int i = 0; i < clients; ++i)
        asio::co_spawn(
            ioc,
            [&, i]() -> asio::awaitable<void> {
                smtp_client c(client_for(*l));
                const auto t = sample(fmt::format("message {}\r\n", i));
                const auto r = co_await c.deliver(t);
                if (r.overall.code == 250) ++accepted;
                ++finished;
            },
            asio::detached);
    const auto end = std::chrono::steady_clock::now() + 20s;
    auto runner = [&] {
        while (finished < clients && std::chrono::steady_clock::now() < end)
            ioc.run_for(50ms);
    };
    std::thread other(runner);
    runner();
    other.join();
    BOOST_TEST(accepted == clients);
    BOOST_TEST(count_files(dir.path / "new") == static_cast<std::size_t>(clients));
}

BOOST_AUTO_TEST_SUITE_END()
