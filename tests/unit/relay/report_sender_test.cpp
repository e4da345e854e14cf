// tests/unit/relay/report_sender_test.cpp — the pure parts of the report sender: the
// suppression list and the report metadata (generator from the project version).
#include "relay/cli_usage.hpp"
#include "relay/report_sender.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;

BOOST_AUTO_TEST_SUITE(report_sender_test)

BOOST_AUTO_TEST_CASE(suppression_matches_an_address_or_its_whole_domain) {
    const std::vector<std::string> list{"quiet.example", "noreports@example.net"};
    BOOST_TEST(relay::suppressed(list, "agg@quiet.example"));
    BOOST_TEST(relay::suppressed(list, "Agg@QUIET.example"));
    BOOST_TEST(relay::suppressed(list, "NoReports@Example.NET"));
    BOOST_TEST(!relay::suppressed(list, "other@example.net"));
    BOOST_TEST(!relay::suppressed(list, "agg@sub.quiet.example")); // a domain, not its subtree
    BOOST_TEST(!relay::suppressed(list, "agg@notquiet.example"));
    BOOST_TEST(!relay::suppressed({}, "agg@quiet.example"));
}

BOOST_AUTO_TEST_CASE(the_generator_is_the_project_version) {
    config::configuration c;
    c.server.hostname = "relay.example.org";
    c.reports.org_name = "Example";
    c.reports.email = "dmarc@example.org";
    const auto meta = relay::report_metadata_of(c);
    BOOST_TEST(meta.generator == "arcrelay " + std::string(relay::arcrelay_version()));
    BOOST_TEST(meta.receiver == "relay.example.org");
    BOOST_TEST(meta.email == "dmarc@example.org");
    BOOST_TEST(meta.org_name == "Example");
}

BOOST_AUTO_TEST_SUITE_END()
