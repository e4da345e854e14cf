// Loopback tests of smtp::smtp_client against scripted next hops: LMTP per-recipient
// replies (RFC 2033 4.2), dot-stuffing, malformed or unexpected replies (451 4.3.0, text
// never passed on), next hop down (451 4.4.1), silent next hop (451 4.4.2), reuse without
// a round trip, and what a pooled connection the hop closed or timed out does.
#include <tuple>

#include "loopback.hpp"
#include "smtp/client.hpp"
#include "smtp/tls.hpp"

#include <boost/asio/this_coro.hpp>

using namespace arcrelay::smtp;
using namespace arcrelay::smtp::test;

namespace {

transaction two_recipients() {
    transaction t;
    t.env.mail_from = "bounces@lists.example";
    t.env.rcpts = {"a@lists.example", "b@lists.example"};
    t.message = "Subject: t\r\n\r\n.dot\r\n..two\r\nend";
    return t;
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_test)

BOOST_AUTO_TEST_CASE(smtp_delivery_dot_stuffs_and_terminates) {
    hop_fixture f;
    const auto r = f.deliver(f.config(), two_recipients());
    BOOST_TEST(status(r.overall) == "250 2.0.0");
    BOOST_TEST(r.recipients.size() == 2u);
    BOOST_REQUIRE_EQUAL(f.hop.messages.size(), 1u);
    BOOST_TEST(f.hop.messages[0] == "Subject: t\r\n\r\n..dot\r\n...two\r\nend\r\n.\r\n");
    BOOST_TEST(f.hop.commands[0] == "EHLO localhost");
    BOOST_TEST(f.hop.commands[1] == "MAIL FROM:<bounces@lists.example> SIZE=30");
}

BOOST_AUTO_TEST_CASE(lmtp_gives_one_reply_per_accepted_recipient) {
    hop_fixture f;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line == "RCPT TO:<gone@lists.example>") return "550 5.1.1 no such list\r\n";
        return standard_reply(line);
    };
    f.hop.after_data = "250 2.1.5 a ok\r\n452 4.2.2 b over quota\r\n";
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        smtp_client c(f.config(client_protocol::lmtp));
        auto t = two_recipients();
        t.env.rcpts.insert(t.env.rcpts.begin() + 1, "gone@lists.example");
        auto r = co_await c.deliver(t);
        BOOST_REQUIRE_EQUAL(r.recipients.size(), 3u);
        BOOST_TEST(status(r.recipients[0]) == "250 2.1.5");
        BOOST_TEST(status(r.recipients[1]) == "550 5.1.1");
        BOOST_TEST(status(r.recipients[2]) == "452 4.2.2");
        BOOST_TEST(status(r.overall) == "452 4.2.2"); // transient first
        BOOST_TEST(r.recipients[2].lines.front() == "b over quota");
    });
    BOOST_TEST(f.hop.commands[0] == "LHLO localhost");
}

BOOST_AUTO_TEST_CASE(malformed_reply_becomes_generic_451_without_its_text) {
    hop_fixture f;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line.starts_with("RCPT")) return "250-fine\r\n550 <script>leak</script>\r\n";
        return standard_reply(line);
    };
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        smtp_client c(f.config());
        const auto t = two_recipients();
        auto r = co_await c.deliver(t);
        BOOST_TEST(format_reply(r.overall) == "451 4.3.0 Unexpected reply from next hop\r\n");
        BOOST_TEST(status(r.recipients[1]) == "451 4.3.0");
        BOOST_TEST(c.idle_connections() == 0u); // out of sync: not reused
    });
}

BOOST_AUTO_TEST_CASE(reply_code_not_allowed_for_the_command_becomes_451) {
    hop_fixture f;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line.starts_with("MAIL")) return "354 2.0.0 go on\r\n";
        return standard_reply(line);
    };
    const auto r = f.deliver(f.config(), two_recipients());
    BOOST_TEST(status(r.overall) == "451 4.3.0");
}

BOOST_AUTO_TEST_CASE(final_reply_mapping) {
    // {what, greeting, reply after the data, what the sender gets}
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases{
        {"well-formed rejection passes", "220 hop\r\n", "554 5.7.1 policy says no\r\n",
         "554 5.7.1 policy says no\r\n"},
        {"no enhanced code: class default", "220 hop\r\n", "250 queued as 12345\r\n",
         "250 2.0.0 queued as 12345\r\n"},
        {"refused service hidden", "554 5.3.2 go away\r\n", "",
         "451 4.4.1 Next hop unavailable: service refused\r\n"},
        {"malformed final reply hidden", "220 hop\r\n", "250-ok\r\n354 <b>raw</b>\r\n",
         "451 4.3.0 Unexpected reply from next hop\r\n"},
    };
    for (const auto& [what, greeting, after_data, expected] : cases) {
        BOOST_TEST_CONTEXT(what) {
            hop_fixture f;
            f.hop.greeting = greeting;
            f.hop.after_data = after_data;
            const auto r = f.deliver(f.config(), two_recipients());
            BOOST_TEST(format_reply(r.overall) == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(next_hop_down_gives_451_4_4_1) {
    asio::io_context ioc;
    std::uint16_t port = 0;
    {
        tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port = probe.local_endpoint().port();
    } // closed: nothing listens there now
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        client_config cfg;
        cfg.host = "127.0.0.1";
        cfg.port = port;
        cfg.timeouts.connect = 2s;
        smtp_client c(cfg);
        const auto t = two_recipients();
        auto r = co_await c.deliver(t);
        BOOST_TEST(status(r.overall) == "451 4.4.1");
        BOOST_TEST(status(r.recipients[0]) == "451 4.4.1");
    });
}

BOOST_AUTO_TEST_CASE(silent_next_hop_times_out_with_451_4_4_2) {
    hop_fixture f;
    f.hop.greeting.clear(); // accepts, then says nothing
    auto cfg = f.config();
    cfg.timeouts.greeting = 300ms;
    const auto r = f.deliver(cfg, two_recipients());
    BOOST_TEST(status(r.overall) == "451 4.4.2");
}

// Two deliveries through one client; both results.
std::pair<delivery_result, delivery_result> deliver_twice(hop_fixture& f) {
    std::pair<delivery_result, delivery_result> out;
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        smtp_client c(f.config());
        const auto t = two_recipients();
        out.first = co_await c.deliver(t);
        out.second = co_await c.deliver(t);
    });
    return out;
}

// After one transaction and a pause for the hop's close or 421 to arrive: still_open().
bool still_open_after_a_transaction(hop_fixture& f) {
    bool open = false;
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        client_connection c(co_await asio::this_coro::executor);
        const auto hello = co_await c.open(f.config());
        BOOST_REQUIRE(hello.positive());
        const auto r = co_await c.send(f.config(), two_recipients());
        BOOST_TEST(r.overall.code == 250);
        asio::steady_timer pause(co_await asio::this_coro::executor, 200ms);
        co_await pause.async_wait(asio::use_awaitable);
        open = c.still_open();
    });
    return open;
}

BOOST_AUTO_TEST_CASE(still_open_tells_a_live_connection_from_a_closed_or_closing_one) {
    hop_fixture live;
    BOOST_TEST(still_open_after_a_transaction(live));
    hop_fixture closed;
    closed.hop.close_after_data = true;
    BOOST_TEST(!still_open_after_a_transaction(closed));
    hop_fixture closing; // 421 in a write of its own, after the transaction's reply
    closing.hop.after_data_later = "421 4.4.2 hop.test idle too long\r\n";
    BOOST_TEST(!still_open_after_a_transaction(closing));
}

// RFC 5321 4.1.4: a completed transaction leaves the hop ready for the next MAIL.
BOOST_AUTO_TEST_CASE(connection_is_reused_without_a_round_trip) {
    hop_fixture f;
    const auto [r1, r2] = deliver_twice(f);
    BOOST_TEST(r1.overall.code == 250);
    BOOST_TEST(r2.overall.code == 250);
    BOOST_TEST(f.hop.connections == 1);
    BOOST_TEST(std::count(f.hop.commands.begin(), f.hop.commands.end(), "RSET") == 0);
    BOOST_TEST(f.hop.messages.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_connection_the_hop_closed_is_not_reused) {
    hop_fixture f;
    f.hop.close_after_data = true;
    const auto [r1, r2] = deliver_twice(f);
    BOOST_TEST(r2.overall.code == 250);
    BOOST_TEST(f.hop.connections == 2);
    BOOST_TEST(f.hop.messages.size() == 2u);
}

// RFC 5321 3.8: a hop may send 421 and close when it times a session out; a connection
// holding it is not reused (its 421 would be taken for the next MAIL's reply).
BOOST_AUTO_TEST_CASE(a_connection_holding_an_unasked_421_is_not_reused) {
    hop_fixture f;
    f.hop.after_data = "250 2.0.0 queued\r\n421 4.4.2 hop.test idle too long\r\n";
    const auto [r1, r2] = deliver_twice(f);
    BOOST_TEST(r1.overall.code == 250);
    BOOST_TEST(status(r2.overall) == "250 2.0.0");
    BOOST_TEST(f.hop.connections == 2);
}

// The hop closes the reused connection as the next transaction starts, before answering
// anything: nothing was accepted, so it is sent once more on a new connection.
BOOST_AUTO_TEST_CASE(a_reused_connection_closed_before_any_reply_is_retried_once) {
    hop_fixture f;
    int mails = 0;
    f.hop.on_command = [&](const std::string& line) -> std::string {
        if (line.starts_with("MAIL") && ++mails == 2) return fake_hop::close_now;
        return standard_reply(line);
    };
    const auto [r1, r2] = deliver_twice(f);
    BOOST_TEST(r1.overall.code == 250);
    BOOST_TEST(status(r2.overall) == "250 2.0.0");
    BOOST_TEST(f.hop.connections == 2);
    BOOST_TEST(f.hop.messages.size() == 2u);
}

// On a new connection the same break is not retried: the hop itself failed (451 4.4.2).
BOOST_AUTO_TEST_CASE(a_fresh_connection_closed_before_any_reply_is_not_retried) {
    hop_fixture f;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line.starts_with("MAIL")) return fake_hop::close_now;
        return standard_reply(line);
    };
    const auto r = f.deliver(f.config(), two_recipients());
    BOOST_TEST(status(r.overall) == "451 4.4.2");
    BOOST_TEST(f.hop.connections == 1);
}

BOOST_AUTO_TEST_CASE(all_recipients_refused_skips_data) {
    hop_fixture f;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line.starts_with("RCPT")) return "550 5.1.1 unknown\r\n";
        return standard_reply(line);
    };
    const auto r = f.deliver(f.config(), two_recipients());
    BOOST_TEST(status(r.overall) == "550 5.1.1");
    BOOST_TEST(std::count(f.hop.commands.begin(), f.hop.commands.end(), "DATA") == 0);
}

BOOST_AUTO_TEST_CASE(required_tls_not_offered_gives_451_4_7_10) {
    hop_fixture f; // the scripted hop offers no STARTTLS
    auto cfg = f.config();
    cfg.tls = make_client_tls_context(false);
    cfg.require_tls = true;
    auto r = f.deliver(cfg, two_recipients());
    BOOST_TEST(status(r.overall) == "451 4.7.10");
    BOOST_TEST(std::none_of(f.hop.commands.begin(), f.hop.commands.end(),
                            [](const std::string& c) { return c.starts_with("MAIL"); }));
    cfg.require_tls = false; // opportunistic: plain text goes on
    BOOST_TEST(status(f.deliver(cfg, two_recipients()).overall) == "250 2.0.0");
}

BOOST_AUTO_TEST_CASE(smtputf8_without_support_is_refused_before_sending) {
    hop_fixture f;
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        smtp_client c(f.config());
        auto t = two_recipients();
        t.env.smtputf8 = true;
        auto r = co_await c.deliver(t);
        BOOST_TEST(status(r.overall) == "550 5.6.7");
    });
    BOOST_TEST(std::none_of(f.hop.commands.begin(), f.hop.commands.end(),
                            [](const std::string& c) { return c.starts_with("MAIL"); }));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_edge_test)

BOOST_AUTO_TEST_CASE(transaction_without_recipients_is_not_sent) {
    hop_fixture f;
    auto t = two_recipients();
    t.env.rcpts.clear();
    const auto r = f.deliver(f.config(), t);
    BOOST_TEST(status(r.overall) == "554 5.5.1");
    BOOST_TEST(r.recipients.empty());
    BOOST_TEST(std::none_of(f.hop.commands.begin(), f.hop.commands.end(),
                            [](const std::string& c) { return c.starts_with("MAIL"); }));
}

BOOST_AUTO_TEST_SUITE_END()
