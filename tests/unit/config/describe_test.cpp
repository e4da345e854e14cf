// tests/unit/config/describe_test.cpp — the check-config summary.
#include "config/describe.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::config;
using arcrelay::config::test::contains;
using arcrelay::config::test::minimal;
using arcrelay::config::test::parse_ok;

BOOST_AUTO_TEST_SUITE(describe_config)

BOOST_AUTO_TEST_CASE(summarises_what_will_run) {
    const auto c = parse_ok(minimal + R"(
[[listener]]
name = "seal"
address = "::1"
port = 10025
stages = "split-seal"
allowed_clients = ["::1"]
[listener.limits]
max_recipients = 500
[listener.next_hop]
uri = "smtp:[::1]:10026"
[metrics]
)");
    const std::string text = describe(c);
    BOOST_TEST_INFO(text);
    BOOST_TEST(contains(text, "configuration t.toml\n"));
    BOOST_TEST(contains(text,
                        "server relay.example.org (authserv-id relay.example.org); "
                        "worker threads one per core; I/O threads one per 4 workers; state in "
                        "/var/lib/arcrelay\n"));
    BOOST_TEST(contains(text, "listener mx on 0.0.0.0:25: stages "
                              "verify,record,policy,rewrite,seal,forward; clients any; "
                              "recipients lists; STARTTLS off\n  next hop lmtp "
                              "127.0.0.1:8024, pool 4\n"));
    BOOST_TEST(contains(text, "listener seal on [::1]:10025: stages seal,forward; clients "
                              "::1/128; recipients any; STARTTLS off\n  next hop smtp "
                              "[::1]:10026, pool 4\n  limits max_recipients 500\n"));
    BOOST_TEST(contains(text, "list dev@lists.example.org: bounces to "
                              "dev-bounces@lists.example.org; subject prefix none; List-Id "
                              "<dev.lists.example.org>"));
    BOOST_TEST(contains(text, "arc key rsa-sha256: d=lists.example.org s=s1 from "
                              "/nonexistent/key.pem\n"));
    BOOST_TEST(contains(text, "dns: servers of /etc/resolv.conf; timeout 2000 ms"));
    BOOST_TEST(contains(text, "policy: reject nothing; DNS temperror: accept\n"));
    BOOST_TEST(contains(text, "metrics: http://127.0.0.1:9464/metrics\n"));
    BOOST_TEST(contains(text, "limits: defaults\n"));
}

BOOST_AUTO_TEST_CASE(lists_enabled_rejections_and_changed_limits) {
    const auto c = parse_ok(minimal + R"(
[policy]
reject_dmarc = true
reject_arc_fail = true
temperror_defer = true
[limits]
max_arc_sets = 10
[dns]
zone_file = "demo.zone"
)");
    const std::string text = describe(c);
    BOOST_TEST_INFO(text);
    BOOST_TEST(contains(text, "policy: reject DMARC p=reject (5.7.1), ARC fail (5.7.29); DNS "
                              "temperror: defer (451)\n"));
    BOOST_TEST(contains(text, "limits: max_arc_sets 10\n"));
    BOOST_TEST(contains(text, "dns: zone file demo.zone;"));
    BOOST_TEST(contains(text, "metrics: off\n"));
    // The listener inherits [limits], so it shows no override line.
    BOOST_TEST(!contains(text, "  limits "));
}

BOOST_AUTO_TEST_SUITE_END()
