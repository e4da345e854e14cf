// tests/unit/config/reports_test.cpp — the [reports] section (DMARC aggregate reports,
// RFC 9990): defaults, every key, and each refusal with its key and line.
#include "config/database_uri.hpp"
#include "config/describe.hpp"
#include "config/load.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::config;
using arcrelay::config::test::contains;
using arcrelay::config::test::minimal;
using arcrelay::config::test::parse_ok;

namespace {

// The refusal names the key and says why, at the key's line: 16, the first after `minimal`
// (14 lines) and the [reports] header.
void expect_refused(const std::string& lines, std::string_view key, std::string_view why) {
    const auto c = parse_config(minimal + "[reports]\n" + lines, "t.toml");
    BOOST_REQUIRE(!c.ok());
    BOOST_TEST_INFO(c.error().message);
    BOOST_TEST(contains(c.error().message, key));
    BOOST_TEST(contains(c.error().message, why));
    BOOST_TEST(c.error().line == 16u);
}

} // namespace

BOOST_AUTO_TEST_SUITE(reports_test)

BOOST_AUTO_TEST_CASE(defaults_are_off_in_state_dir_daily) {
    const auto c = parse_ok(minimal);
    BOOST_TEST(!c.reports.enabled);
    BOOST_TEST(c.reports.database == "/var/lib/arcrelay/reports.sqlite");
    BOOST_TEST(c.reports.queue_size == default_report_queue);
    BOOST_TEST(c.reports.period_hours == 24u);
    BOOST_TEST(c.reports.retention_hours == 168u);
    BOOST_TEST(c.reports.org_name == "relay.example.org");
    BOOST_TEST(c.reports.email == "postmaster@relay.example.org");
    BOOST_TEST(contains(describe(c), "reports: off (no DMARC rows recorded)\n"));
}

BOOST_AUTO_TEST_CASE(every_key_is_read_and_described) {
    const auto c = parse_ok(minimal + R"([reports]
enabled = true
database = "/tmp/r.sqlite"
queue_size = 50
period_hours = 6
retention_hours = 48
org_name = "Example Lists"
email = "dmarc-reports@example.org"
)");
    BOOST_TEST(c.reports.enabled);
    BOOST_TEST(c.reports.database == "/tmp/r.sqlite");
    BOOST_TEST(c.reports.queue_size == 50u);
    BOOST_TEST(c.reports.period_hours == 6u);
    BOOST_TEST(c.reports.retention_hours == 48u);
    BOOST_TEST(c.reports.org_name == "Example Lists");
    BOOST_TEST(c.reports.email == "dmarc-reports@example.org");
    const auto text = describe(c);
    BOOST_TEST(contains(text, "reports: DMARC aggregate rows (RFC 9990) to SQLite /tmp/r.sqlite "
                              "(queue 50 rows, then dropped and counted); 6 h periods from 00:00 "
                              "UTC; rows kept 48 h; reports from \"Example Lists\" "
                              "<dmarc-reports@example.org>\n"));
}

BOOST_AUTO_TEST_CASE(a_postgresql_uri_is_accepted_and_its_password_never_shown) {
    const auto c = parse_ok(minimal + R"([reports]
enabled = true
database = "postgresql://arcrelay:s3cret-pw@db.example.org:5433/reports?sslmode=require"
)");
    BOOST_TEST(c.reports.database ==
               "postgresql://arcrelay:s3cret-pw@db.example.org:5433/reports?sslmode=require");
    BOOST_TEST(c.reports.database_shown == "postgresql://arcrelay@db.example.org:5433/reports");
    const auto text = describe(c);
    BOOST_TEST(contains(text, "to PostgreSQL postgresql://arcrelay@db.example.org:5433/reports "
                              "(shared: every instance naming it writes there)"));
    BOOST_TEST(!contains(text, "s3cret"));
    BOOST_TEST(
        parse_ok(minimal + "[reports]\ndatabase = \"postgres://h/db\"\n").reports.database_shown ==
        "postgresql://h/db");
}

BOOST_AUTO_TEST_CASE(a_malformed_uri_is_refused_without_its_password) {
    // libpq quotes the offending part; here that is the password itself, or a host next to it.
    for (const std::string uri : {"postgresql://u:s3cr%zzet@h/db", "postgresql://u:s3cret@[::1/db",
                                  "postgresql://u@h/db?password=s3cret&foo=1"}) {
        const auto c = parse_config(minimal + "[reports]\ndatabase = \"" + uri + "\"\n", "t.toml");
        BOOST_REQUIRE(!c.ok());
        BOOST_TEST_INFO(c.error().message);
        BOOST_TEST(contains(c.error().message, "t.toml:16: reports.database: "));
        BOOST_TEST(!contains(c.error().message, "s3cr"));
    }
    BOOST_TEST(mask_password("postgresql://u:pw@h/db?password=x&sslmode=require") ==
               "postgresql://u:***@h/db?password=***&sslmode=require");
    BOOST_TEST(mask_password("postgresql://u@h/db") == "postgresql://u@h/db");
}

BOOST_AUTO_TEST_CASE(every_divisor_of_a_day_is_a_period) {
    for (unsigned h : {1u, 2u, 3u, 4u, 6u, 8u, 12u, 24u}) {
        const auto c = parse_ok(minimal + "[reports]\nperiod_hours = " + std::to_string(h) + "\n");
        BOOST_TEST(c.reports.period_hours == h);
    }
}

BOOST_AUTO_TEST_CASE(bad_values_are_refused_with_key_and_line) {
    expect_refused("period_hours = 5\n", "reports.period_hours", "must divide 24");
    expect_refused("period_hours = 48\n", "reports.period_hours", "1..24");
    expect_refused("period_hours = 0\n", "reports.period_hours", "1..24");
    expect_refused("queue_size = 0\n", "reports.queue_size", "1..");
    expect_refused("retention_hours = 2\nperiod_hours = 24\n", "reports.retention_hours",
                   "at least period_hours");
    expect_refused("database = \"postgresql://u@db.example/arcrelay?foo=bar\"\n",
                   "reports.database",
                   "not a PostgreSQL URI libpq accepts: invalid URI query parameter: \"foo\"");
    expect_refused("database = \"postgresql://u@db.example:99999/arcrelay\"\n", "reports.database",
                   "port \"99999\" is not in 1-65535");
    expect_refused("database = \"postgresql://u@[::1/arcrelay\"\n", "reports.database",
                   "matching \"]\" in IPv6 host address");
    expect_refused("email = \"nobody\"\n", "reports.email", "must be an email address");
    expect_refused("enabled = \"yes\"\n", "reports.enabled", "");
    expect_refused("sendd = true\n", "reports.sendd", "");
}

BOOST_AUTO_TEST_CASE(sending_defaults_and_every_sending_key) {
    const auto d = parse_ok(minimal);
    BOOST_TEST(!d.reports.send);
    BOOST_TEST(d.reports.next_hop.uri == "smtp:127.0.0.1:25");
    BOOST_TEST(d.reports.max_report_bytes == 10u * 1024 * 1024);
    BOOST_TEST(d.reports.dkim_sign);
    BOOST_TEST(d.reports.max_attempts == 8u);
    const auto c = parse_ok(minimal + R"([reports]
enabled = true
email = "dmarc-reports@lists.example.org"
send = true
send_interval_s = 60
next_hop = "smtp:[::1]:2526"
max_report_bytes = 100000
suppress = ["Quiet.Example", "noreports@example.net"]
retry_first_s = 30
retry_max_s = 3600
max_attempts = 5
)");
    BOOST_TEST(c.reports.send);
    BOOST_TEST(c.reports.send_interval.count() == 60);
    BOOST_TEST(c.reports.next_hop.host == "::1");
    BOOST_TEST(c.reports.next_hop.port == 2526u);
    BOOST_TEST(c.reports.max_report_bytes == 100000u);
    BOOST_TEST(
        (c.reports.suppress == std::vector<std::string>{"quiet.example", "noreports@example.net"}));
    BOOST_TEST(c.reports.retry_first.count() == 30);
    BOOST_TEST(c.reports.retry_max.count() == 3600);
    BOOST_TEST(c.reports.max_attempts == 5u);
    BOOST_TEST(contains(describe(c),
                        "reports mailing: serve sends every 60 s through smtp:[::1]:2526 "
                        "(STARTTLS when offered); at most 100000 octets a mail (and each rua "
                        "!size), larger reports split by record count; DKIM-signed with the "
                        "[[arc.key]] keys of lists.example.org; retries after a 4xx from 30 s "
                        "doubling to 3600 s, 5 attempts, none after a 5xx; never to "
                        "quiet.example, noreports@example.net\n"));
}

BOOST_AUTO_TEST_CASE(bad_sending_values_are_refused_with_key_and_line) {
    expect_refused("next_hop = \"lmtp:127.0.0.1:24\"\n", "reports.next_hop",
                   "must be smtp:HOST:PORT");
    expect_refused("next_hop = \"smtp:nohost\"\n", "reports.next_hop", "");
    expect_refused("max_report_bytes = 1000\n", "reports.max_report_bytes", "4096..");
    expect_refused("suppress = [\"a@b@c\"]\n", "reports.suppress",
                   "\"a@b@c\" is neither a domain nor an address");
    expect_refused("suppress = [\"bad domain\"]\n", "reports.suppress", "neither");
    expect_refused("retry_max_s = 10\nretry_first_s = 20\n", "reports.retry_max_s",
                   "at least retry_first_s");
    expect_refused("max_attempts = 0\n", "reports.max_attempts", "1..");
    expect_refused("send_interval_s = 1\n", "reports.send_interval_s", "10..");
    // send = true signs with a key of the reporting domain (postmaster@relay.example.org
    // here): lists.example.org's key does not cover it.
    const auto c = parse_config(minimal + "[reports]\nsend = true\n", "t.toml");
    BOOST_TEST_REQUIRE(!c.ok());
    BOOST_TEST(contains(c.error().message, "reports.dkim_sign"));
    BOOST_TEST(contains(c.error().message, "no [[arc.key]] has domain relay.example.org or a "
                                           "parent of it; add one or set dkim_sign = false"));
    parse_ok(minimal + "[reports]\nsend = true\ndkim_sign = false\n");
}

BOOST_AUTO_TEST_SUITE_END()
