// tests/unit/relay/log_time_test.cpp — [log] timestamps (relay/log_time.hpp): RFC 3339 UTC
// with milliseconds, the journald rule, the stamp in text and JSON lines.
#include "relay/log_time.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

using namespace arcrelay;
using namespace std::chrono;

BOOST_AUTO_TEST_SUITE(log_time_test)

BOOST_AUTO_TEST_CASE(rfc_3339_utc_with_milliseconds) {
    // 2026-12-02T15:17:06.123456Z: sub-milliseconds truncated, not rounded
    const sys_time<microseconds> t = sys_days{2026y / December / 2} + 15h + 17min + 6s + 123456us;
    BOOST_TEST(relay::format_log_time(time_point_cast<system_clock::duration>(t)) ==
               "2026-12-02T15:17:06.123Z");
    BOOST_TEST(relay::format_log_time(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
    // a leap day, the last millisecond of a year
    BOOST_TEST(relay::format_log_time(sys_days{2028y / February / 29} + 9h + 5min + 7ms) ==
               "2028-02-29T09:05:00.007Z");
    BOOST_TEST(relay::format_log_time(sys_days{2027y / January / 1} - 1ms) ==
               "2026-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_CASE(journal_stream_must_name_stderr) {
    BOOST_TEST(relay::stderr_is_journal("8:12345", 8, 12345));
    BOOST_TEST(!relay::stderr_is_journal(nullptr, 8, 12345));   // not set
    BOOST_TEST(!relay::stderr_is_journal("8:12346", 8, 12345)); // inherited, elsewhere
    BOOST_TEST(!relay::stderr_is_journal("9:12345", 8, 12345));
    for (const char* bad : {"", "8", "8:", ":12345", "8:12345x", "-8:12345", "8:1:2"})
        BOOST_TEST(!relay::stderr_is_journal(bad, 8, 12345), bad);
}

BOOST_AUTO_TEST_CASE(default_on_unless_under_journald_explicit_wins) {
    BOOST_TEST(relay::log_timestamps(std::nullopt, false));
    BOOST_TEST(!relay::log_timestamps(std::nullopt, true));
    BOOST_TEST(relay::log_timestamps(true, true));
    BOOST_TEST(!relay::log_timestamps(false, false));
}

BOOST_AUTO_TEST_CASE(stamp_leads_text_and_json_lines) {
    const std::string ts = "2026-12-02T15:17:06.123Z";
    BOOST_TEST(relay::stamp_log_line("level=info msg=started", ts, config::log_format::text) ==
               "ts=2026-12-02T15:17:06.123Z level=info msg=started");
    const auto json =
        relay::stamp_log_line(R"({"level":"info","msg":"a \"b\""})", ts, config::log_format::json);
    BOOST_TEST(json == R"({"ts":"2026-12-02T15:17:06.123Z","level":"info","msg":"a \"b\""})");
    const auto parsed = nlohmann::json::parse(json);
    BOOST_TEST(parsed.at("ts").get<std::string>() == ts);
    BOOST_TEST(parsed.at("msg").get<std::string>() == "a \"b\"");
    BOOST_TEST(relay::stamp_log_line("{}", ts, config::log_format::json) ==
               R"({"ts":"2026-12-02T15:17:06.123Z"})");
}

BOOST_AUTO_TEST_SUITE_END()
