// tests/unit/relay/transaction_log_test.cpp — the per-transaction log line in text and JSON
// (relay/transaction_log.hpp) and the Prometheus text (relay/metrics.hpp).
#include "relay/metrics.hpp"
#include "relay/transaction_log.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

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

// The pairs of a text line, in order: a value is bare up to the next space or a JSON string.
std::vector<std::pair<std::string, std::string>> parse_text_line(const std::string& line) {
    std::vector<std::pair<std::string, std::string>> pairs;
    const std::string head = "transaction";
    BOOST_REQUIRE(line.compare(0, head.size(), head) == 0);
    std::size_t i = head.size();
    while (i < line.size()) {
        BOOST_REQUIRE(line[i] == ' ');
        const auto eq = line.find('=', i);
        BOOST_REQUIRE(eq != std::string::npos);
        auto key = line.substr(i + 1, eq - i - 1);
        std::size_t end = eq + 1;
        std::string value;
        if (end < line.size() && line[end] == '"') {
            ++end;
            while (line.at(end) != '"')
                end += line[end] == '\\' ? 2 : 1;
            ++end;
            value = nlohmann::json::parse(line.substr(eq + 1, end - eq - 1)).get<std::string>();
        } else {
            end = std::min(line.find(' ', end), line.size());
            value = line.substr(eq + 1, end - eq - 1);
        }
        pairs.emplace_back(std::move(key), std::move(value));
        i = end;
    }
    return pairs;
}

// A JSON value as the text line spells it: lists joined by ','.
std::string as_text(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (!v.is_array()) return v.dump();
    std::string joined;
    for (const auto& e : v)
        joined += (joined.empty() ? "" : ",") + e.get<std::string>();
    return joined;
}

std::string random_text(std::mt19937& rng) {
    static const std::vector<std::string> pieces = {
        "a", "Z", "9", "@", ".", " ", "\"", "=", "\\", "\t", "\r", "\n", ",", "\xc3\xa9", "\x01"};
    std::string s;
    for (auto n = rng() % 6; n > 0; --n)
        s += pieces[rng() % pieces.size()];
    return s;
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

// Random records, awkward strings included: the text line carries the JSON line's values, in
// the documented key order.
BOOST_AUTO_TEST_CASE(text_line_carries_the_json_values) {
    const std::vector<std::string> order = {
        "id",       "listener", "client",     "helo", "from",
        "to",       "size",     "iprev",      "spf",  "dkim",
        "dmarc",    "arc",      "arc_reason", "list", "arc_sets_added",
        "next_hop", "reply",    "outcome",    "ms",   "next_hop_ms",
        "notes"};
    std::mt19937 rng(14);
    for (int round = 0; round < 2000; ++round) {
        relay::transaction_record r;
        r.id = random_text(rng);
        r.listener = random_text(rng);
        r.client_ip = random_text(rng);
        r.helo = random_text(rng);
        r.mail_from = random_text(rng);
        for (auto n = rng() % 3; n > 0; --n)
            r.rcpts.push_back(random_text(rng));
        r.size = rng();
        if (rng() % 2) {
            relay::check_report rep;
            rep.iprev = random_text(rng);
            rep.spf = random_text(rng);
            for (auto n = rng() % 3; n > 0; --n)
                rep.dkim.push_back(random_text(rng));
            rep.dmarc = random_text(rng);
            rep.arc = random_text(rng);
            rep.arc_reason = random_text(rng);
            r.report = rep;
        }
        r.list = random_text(rng);
        r.arc_sets_added = rng() % 3;
        r.notes = random_text(rng);
        if (rng() % 2) r.next_hop_reply = smtp::make_reply(250, {2, 0, 0}, random_text(rng));
        r.final_reply = smtp::make_reply(rng() % 2 ? 250 : 451, {4, 3, 0}, random_text(rng));
        r.milliseconds = rng();
        if (rng() % 2) r.next_hop_milliseconds = rng() % 1000;
        const auto text = relay::format_transaction(r, config::log_format::text);
        const auto json =
            nlohmann::json::parse(relay::format_transaction(r, config::log_format::json));
        BOOST_TEST_REQUIRE(text.find_first_of("\r\n") == std::string::npos, text);
        const auto pairs = parse_text_line(text);
        BOOST_TEST_REQUIRE(pairs.size() == json.size(), text);
        std::size_t at = 0;
        for (const auto& [key, value] : pairs) {
            while (at < order.size() && order[at] != key)
                ++at;
            BOOST_TEST_REQUIRE(at < order.size(), "key out of order: " << key << " in " << text);
            BOOST_TEST_REQUIRE(value == as_text(json.at(key)), key << " in " << text);
        }
    }
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
