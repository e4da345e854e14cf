// Loopback tests of RFC 2920 PIPELINING in the next-hop client: MAIL, every RCPT and DATA
// go out as one group when the hop offers it (always for LMTP, RFC 2033 4.1), each RCPT
// reply is mapped to its recipient, and a hop without PIPELINING gets today's lock-step.
// Scripted hops prove the grouping (they answer nothing before DATA arrives); Postfix's
// smtp-sink is the real server.
#include <csignal>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "loopback.hpp"

#include <fmt/format.h>

extern char** environ;

using namespace arcrelay::smtp;
using namespace arcrelay::smtp::test;

namespace {

// Replies of an accepting hop that offers PIPELINING.
std::string pipelining_reply(const std::string& line) {
    if (line.starts_with("EHLO") || line.starts_with("LHLO"))
        return "250-hop.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
    return standard_reply(line);
}

transaction batch(std::size_t n) {
    transaction t;
    t.env.mail_from = "bench-bounces@lists.example";
    for (std::size_t i = 0; i < n; ++i)
        t.env.rcpts.push_back(fmt::format("member{}@members.example", i));
    t.message = "Subject: post\r\n\r\nbody\r\n";
    return t;
}

// member<i>: every 7th from 3 refused, every 11th from 5 deferred (7 and 11 share none
// below 77; 38 is both and is refused).
std::string rcpt_reply_for(const std::string& line) {
    const auto from = line.find("member") + 6;
    const auto i = std::stoul(line.substr(from, line.find('@') - from));
    if (i % 7 == 3) return "550 5.1.1 gone\r\n";
    if (i % 11 == 5) return "450 4.2.1 later\r\n";
    return "250 2.1.5 ok\r\n";
}

std::string expected_status(std::size_t i, std::string_view accepted) {
    if (i % 7 == 3) return "550 5.1.1";
    if (i % 11 == 5) return "450 4.2.1";
    return std::string(accepted);
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipelining_test)

BOOST_AUTO_TEST_CASE(offered_pipelining_sends_500_rcpts_in_one_group_and_maps_each_reply) {
    hop_fixture f;
    f.hop.on_command = pipelining_reply;
    f.hop.hold_until_data = true; // a lock-step client would wait for MAIL's reply: 451 4.4.2
    f.hop.on_command = [](const std::string& line) {
        return line.starts_with("RCPT") ? rcpt_reply_for(line) : pipelining_reply(line);
    };
    const auto t = batch(500);
    const auto r = f.deliver(f.config(), t);
    BOOST_TEST(status(r.overall) == "250 2.0.0");
    BOOST_REQUIRE_EQUAL(r.recipients.size(), 500u);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < 500; ++i)
        wrong += status(r.recipients[i]) != expected_status(i, "250 2.0.0");
    BOOST_TEST(wrong == 0u);
    BOOST_TEST(f.hop.messages.size() == 1u);
    BOOST_TEST(f.hop.max_waiting_lines > 0u);
    // EHLO, MAIL, 500 RCPT, DATA in command order
    BOOST_REQUIRE_GE(f.hop.commands.size(), 503u);
    BOOST_TEST(f.hop.commands[1].starts_with("MAIL FROM:<bench-bounces@lists.example>"));
    BOOST_TEST(f.hop.commands[2] == "RCPT TO:<member0@members.example>");
    BOOST_TEST(f.hop.commands[501] == "RCPT TO:<member499@members.example>");
    BOOST_TEST(f.hop.commands[502] == "DATA");
}

BOOST_AUTO_TEST_CASE(lmtp_is_pipelined_and_keeps_its_per_recipient_data_replies) {
    hop_fixture f; // RFC 2033 4.1: an LMTP server must support PIPELINING, offered or not
    f.hop.hold_until_data = true;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line == "RCPT TO:<member1@members.example>") return "550 5.1.1 gone\r\n";
        return standard_reply(line); // no PIPELINING keyword
    };
    f.hop.after_data = "250 2.1.5 first ok\r\n452 4.2.2 third over quota\r\n";
    const auto r = f.deliver(f.config(client_protocol::lmtp), batch(3));
    BOOST_REQUIRE_EQUAL(r.recipients.size(), 3u);
    BOOST_TEST(status(r.recipients[0]) == "250 2.1.5");
    BOOST_TEST(status(r.recipients[1]) == "550 5.1.1");
    BOOST_TEST(status(r.recipients[2]) == "452 4.2.2");
    BOOST_TEST(status(r.overall) == "452 4.2.2");
}

BOOST_AUTO_TEST_CASE(without_pipelining_each_command_waits_for_its_reply) {
    hop_fixture f;
    f.hop.on_command = pipelining_reply;
    f.hop.on_command = [](const std::string& line) {
        return line.starts_with("RCPT") ? rcpt_reply_for(line) : standard_reply(line);
    };
    const auto r = f.deliver(f.config(), batch(40), 2);
    BOOST_TEST(status(r.overall) == "250 2.0.0");
    for (std::size_t i = 0; i < 40; ++i)
        BOOST_TEST(status(r.recipients[i]) == expected_status(i, "250 2.0.0"));
    BOOST_TEST(f.hop.max_waiting_lines == 0u);
    BOOST_TEST(f.hop.connections == 1);
}

BOOST_AUTO_TEST_CASE(pipelined_refused_mail_fails_every_recipient_and_stays_in_sync) {
    hop_fixture f;
    f.hop.on_command = pipelining_reply;
    int mails = 0;
    f.hop.on_command = [&mails](const std::string& line) -> std::string {
        if (line.starts_with("MAIL") && ++mails == 1) return "552 5.3.4 too big\r\n";
        if (mails == 1 && (line.starts_with("RCPT") || line == "DATA"))
            return "503 5.5.1 no MAIL\r\n";
        return pipelining_reply(line);
    };
    delivery_result first, second;
    run_bounded(f.ioc, [&]() -> asio::awaitable<void> {
        smtp_client c(f.config());
        const auto t = batch(3);
        first = co_await c.deliver(t);
        second = co_await c.deliver(t); // the same connection, back in sync
    });
    BOOST_TEST(status(first.overall) == "552 5.3.4");
    for (const auto& r : first.recipients)
        BOOST_TEST(status(r) == "552 5.3.4");
    BOOST_TEST(status(second.overall) == "250 2.0.0");
    BOOST_TEST(f.hop.connections == 1);
    BOOST_TEST(f.hop.messages.size() == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_all_refused_gets_data_refused_and_no_message) {
    hop_fixture f;
    f.hop.on_command = pipelining_reply;
    f.hop.on_command = [](const std::string& line) -> std::string {
        if (line.starts_with("RCPT")) return "550 5.1.1 unknown\r\n";
        if (line == "DATA") return "554 5.5.1 no valid recipients\r\n";
        return pipelining_reply(line);
    };
    const auto r = f.deliver(f.config(), batch(2), 2);
    BOOST_TEST(status(r.overall) == "550 5.1.1");
    BOOST_TEST(f.hop.messages.empty());
    BOOST_TEST(f.hop.connections == 1); // RSET, then reused
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Postfix's smtp-sink, a real server ---------------------------------------------------
namespace {

constexpr const char* smtp_sink = "/usr/sbin/smtp-sink";

struct sink_process {
    pid_t pid = -1;
    std::uint16_t port = 0;

    // smtp-sink [options] 127.0.0.1:PORT; each transaction dumped into `dir`.
    sink_process(const std::filesystem::path& dir, std::vector<std::string> options) {
        {
            asio::io_context ioc; // a free port (smtp-sink binds it right after)
            tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
            port = a.local_endpoint().port();
        }
        std::vector<std::string> args{smtp_sink, "-d", (dir / "%H%M%S.").string()};
        if (::geteuid() == 0) args.insert(args.end(), {"-u", "nobody"});
        args.insert(args.end(), options.begin(), options.end());
        args.insert(args.end(), {fmt::format("127.0.0.1:{}", port), "64"});
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        BOOST_REQUIRE(::posix_spawn(&pid, smtp_sink, nullptr, nullptr, argv.data(), environ) == 0);
        // ready when it accepts
        for (int i = 0; i < 100; ++i) {
            asio::io_context ioc;
            tcp::socket s(ioc);
            boost::system::error_code ec;
            s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
            if (!ec) return;
            std::this_thread::sleep_for(50ms);
        }
        BOOST_FAIL("smtp-sink did not start listening");
    }
    ~sink_process() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
    sink_process(const sink_process&) = delete;
    sink_process& operator=(const sink_process&) = delete;
};

std::string read_dumps(const std::filesystem::path& dir) {
    std::string all;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(e.path(), std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

std::size_t count(const std::string& text, std::string_view what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
        ++n;
    return n;
}

delivery_result deliver_to(std::uint16_t port, const transaction& t) {
    asio::io_context ioc;
    client_config c;
    c.port = port;
    c.timeouts.connect = c.timeouts.greeting = c.timeouts.mail = c.timeouts.rcpt = 5s;
    c.timeouts.data_initiation = c.timeouts.data_block = c.timeouts.data_final = 5s;
    delivery_result out;
    run_bounded(ioc, [&]() -> asio::awaitable<void> {
        smtp_client client(c);
        out = co_await client.deliver(t);
    });
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipelining_smtp_sink_test)

BOOST_AUTO_TEST_CASE(smtp_sink_takes_a_pipelined_500_recipient_transaction) {
    BOOST_REQUIRE_MESSAGE(::access(smtp_sink, X_OK) == 0,
                          "Postfix's smtp-sink is needed (scripts/deps/postfix.txt)");
    temp_dir dir;
    std::filesystem::permissions(dir.path, std::filesystem::perms::all); // -u nobody writes
    sink_process sink(dir.path, {});
    const auto r = deliver_to(sink.port, batch(500));
    BOOST_TEST(status(r.overall) == "250 2.0.0");
    BOOST_TEST(std::all_of(r.recipients.begin(), r.recipients.end(),
                           [](const reply& x) { return x.code == 250; }));
    const auto dump = read_dumps(dir.path);
    BOOST_TEST(count(dump, "X-Rcpt-Args: <member") == 500u);
    BOOST_TEST(count(dump, "<member499@members.example>") == 1u);
}

BOOST_AUTO_TEST_CASE(smtp_sink_refusing_rcpt_without_pipelining_fails_each_recipient) {
    BOOST_REQUIRE(::access(smtp_sink, X_OK) == 0);
    temp_dir dir;
    std::filesystem::permissions(dir.path, std::filesystem::perms::all);
    sink_process sink(dir.path, {"-f", "RCPT"}); // 5xx to every RCPT; implies -p (lock-step)
    const auto r = deliver_to(sink.port, batch(5));
    BOOST_TEST(r.overall.code / 100 == 5);
    BOOST_TEST(std::all_of(r.recipients.begin(), r.recipients.end(),
                           [](const reply& x) { return x.code / 100 == 5; }));
    BOOST_TEST(read_dumps(dir.path).find("X-Rcpt-Args") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
