// tests/unit/relay/transaction_log_test.cpp — the per-transaction log line in text and JSON
// (relay/transaction_log.hpp) and the Prometheus text (relay/metrics.hpp).
#include "relay/metrics.hpp"
#include "relay/transaction_log.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

using namespace arcrelay;

namespace {

relay::transaction_record sample() {
    relay::transaction_record r;
    r.id = "t1";
    r.listener = "in";
    r.client_ip = "192.0.2.1";
    r.helo = "mx \"quoted\"";
    r.mail_from = "a@example.com";
    r.rcpts = {"dev@lists.example.org", "dev@lists.example.org"};
    r.size = 42;
    relay::check_report rep;
    rep.iprev = "pass";
    rep.spf = "fail";
    rep.dkim = {"pass", "fail"};
    rep.dmarc = "pass";
    rep.arc = "none";
    r.report = rep;
    r.next_hop_reply = smtp::make_reply(250, {2, 0, 0}, "ok");
    r.final_reply = *r.next_hop_reply;
    r.milliseconds = 17;
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(transaction_log_test)

BOOST_AUTO_TEST_CASE(json_line_has_every_verdict) {
    const auto j =
        nlohmann::json::parse(relay::format_transaction(sample(), config::log_format::json));
    BOOST_TEST(j.at("id") == "t1");
    BOOST_TEST(j.at("spf") == "fail");
    BOOST_TEST(j.at("dkim").size() == 2u);
    BOOST_TEST(j.at("outcome") == "delivered");
    BOOST_TEST(j.at("ms") == 17);
    BOOST_TEST(j.at("next_hop") == "250 2.0.0 ok");
    BOOST_TEST(j.at("helo") == "mx \"quoted\"");
}

BOOST_AUTO_TEST_CASE(text_line_quotes_values) {
    const auto t = relay::format_transaction(sample(), config::log_format::text);
    BOOST_TEST(
        t.find("transaction id=t1 listener=in client=192.0.2.1 helo=\"mx \\\"quoted\\\"\"") == 0u,
        t);
    BOOST_TEST(t.find(" dkim=pass,fail ") != std::string::npos, t);
    BOOST_TEST(t.find(" reply=\"250 2.0.0 ok\" outcome=delivered ms=17") != std::string::npos, t);
    BOOST_TEST(t.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(outcomes) {
    BOOST_TEST(relay::outcome_of(smtp::make_reply(250, {2, 0, 0}, "x")) == "delivered");
    BOOST_TEST(relay::outcome_of(smtp::make_reply(451, {4, 3, 0}, "x")) == "deferred");
    BOOST_TEST(relay::outcome_of(smtp::make_reply(550, {5, 7, 1}, "x")) == "rejected");
}

BOOST_AUTO_TEST_CASE(event_line_escapes_newlines) {
    const auto t =
        relay::format_event(config::log_level::error, "bad\nthing", config::log_format::text);
    BOOST_TEST(t == "level=error msg=\"bad\\nthing\"");
    const auto j = relay::format_event(config::log_level::info, "x", config::log_format::json);
    BOOST_TEST(j == R"({"level":"info","msg":"x"})");
}

BOOST_AUTO_TEST_CASE(metrics_text_format) {
    relay::metrics m;
    m.count_transaction("in", "delivered", 0.02);
    m.count_transaction("in", "deferred", 20);
    m.count_verdict("spf", "pass");
    m.count_verdict("arc", "");
    m.add_gauge("arcrelay_connections_open_in", "Open connections", [] { return 3.0; });
    const auto t = m.render();
    BOOST_TEST(t.find("arcrelay_transactions_total{listener=\"in\",outcome=\"delivered\"} 1\n") !=
                   std::string::npos,
               t);
    BOOST_TEST(t.find("arcrelay_verdicts_total{check=\"arc\",result=\"none\"} 1\n") !=
               std::string::npos);
    BOOST_TEST(t.find("arcrelay_transaction_seconds_bucket{le=\"0.01\"} 0\n") != std::string::npos);
    BOOST_TEST(t.find("arcrelay_transaction_seconds_bucket{le=\"0.025\"} 1\n") !=
               std::string::npos);
    BOOST_TEST(t.find("arcrelay_transaction_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
    BOOST_TEST(t.find("arcrelay_transaction_seconds_count 2\n") != std::string::npos);
    BOOST_TEST(t.find("arcrelay_connections_open_in 3\n") != std::string::npos);
    m.count_transaction("a\"b\\c\nd", "delivered", 0);
    BOOST_TEST(m.render().find("listener=\"a\\\"b\\\\c\\nd\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
