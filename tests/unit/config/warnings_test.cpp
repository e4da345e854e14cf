// tests/unit/config/warnings_test.cpp — check-config's warnings (config/warnings.hpp).
#include "config/warnings.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::config;
using arcrelay::config::test::minimal;
using arcrelay::config::test::parse_ok;

BOOST_AUTO_TEST_SUITE(config_warnings)

BOOST_AUTO_TEST_CASE(an_rsa_key_gives_no_warning) {
    BOOST_TEST(warnings(parse_ok(minimal)).empty());
    BOOST_TEST(warnings(parse_ok(minimal + R"(
[[arc.key]]
algorithm = "ed25519-sha256"
domain = "lists.example.org"
selector = "e1"
private_key = "/nonexistent/e.pem"
)"))
                   .empty());
}

BOOST_AUTO_TEST_CASE(ed25519_only_warns_and_says_why) {
    std::string text = minimal;
    const std::string rsa_key = "[[arc.key]]\n";
    text.replace(text.find(rsa_key), rsa_key.size(),
                 "[[arc.key]]\nalgorithm = \"ed25519-sha256\"\n");
    const auto w = warnings(parse_ok(text));
    BOOST_REQUIRE_EQUAL(w.size(), 1u);
    BOOST_TEST(w[0].find("arc.key: no rsa-sha256 key") == 0u);
    BOOST_TEST(w[0].find("arc-multi 5.1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
