// tests/unit/config/embedded_defaults_test.cpp — the built-in demo configuration.
#include "config/describe.hpp"
#include "config/embedded_defaults.hpp"
#include "config/names.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace arcrelay;
using namespace arcrelay::config;

BOOST_AUTO_TEST_SUITE(embedded_defaults_suite)

BOOST_AUTO_TEST_CASE(demo_is_one_pass_on_loopback_into_a_maildir) {
    const auto c = embedded_defaults("/tmp/arcrelay-state");
    BOOST_TEST_INFO("error: " << (c ? std::string() : c.error().message));
    BOOST_REQUIRE(c.ok());
    BOOST_TEST(c->source == "<embedded>");
    BOOST_TEST(c->server.hostname == "relay.lists.example.org");
    BOOST_TEST(c->server.authserv_id == "lists.example.org");
    BOOST_TEST(c->server.state_dir == "/tmp/arcrelay-state");
    BOOST_REQUIRE_EQUAL(c->listeners.size(), 1u);
    const auto& l = c->listeners[0];
    BOOST_TEST(format_ip_address(l.address) == "127.0.0.1");
    BOOST_TEST(l.port == 2525);
    BOOST_TEST(format_stages(l.stages) == "verify,record,policy,rewrite,seal,forward");
    BOOST_TEST((l.next_hop.protocol == next_hop_protocol::maildir));
    BOOST_TEST(l.next_hop.path == "/tmp/arcrelay-state/maildir");
    BOOST_REQUIRE_EQUAL(c->lists.size(), 1u);
    BOOST_TEST(c->lists[0].address == "test@lists.example.org");
    BOOST_TEST(c->lists[0].subject_prefix == "[test] ");
    BOOST_TEST(c->dns.zone_file.empty());
    BOOST_TEST(c->dns.servers.empty());
}

BOOST_AUTO_TEST_CASE(demo_seals_with_both_algorithms_keys_under_state_dir) {
    const auto c = embedded_defaults("state/");
    BOOST_REQUIRE(c.ok());
    BOOST_REQUIRE_EQUAL(c->arc.keys.size(), 2u);
    BOOST_TEST((c->arc.keys[0].algorithm == signing_algorithm::rsa_sha256));
    BOOST_TEST(c->arc.keys[0].private_key == "state/keys/demo-rsa.pem");
    BOOST_TEST((c->arc.keys[1].algorithm == signing_algorithm::ed25519_sha256));
    BOOST_TEST(c->arc.keys[1].private_key == "state/keys/demo-ed25519.pem");
    BOOST_TEST(c->arc.keys[0].domain == "lists.example.org");
}

BOOST_AUTO_TEST_CASE(state_dir_with_toml_special_characters_survives) {
    const std::string dir = "/tmp/a \"quoted\" \\dir\t";
    const auto c = embedded_defaults(dir);
    BOOST_TEST_INFO("error: " << (c ? std::string() : c.error().message));
    BOOST_REQUIRE(c.ok());
    BOOST_TEST(c->server.state_dir == dir);
    BOOST_TEST(!describe(*c).empty());
}

BOOST_AUTO_TEST_CASE(empty_state_dir_is_an_error) {
    BOOST_TEST(!embedded_defaults("").ok());
}

BOOST_AUTO_TEST_CASE(state_dir_comes_from_the_environment) {
    ::setenv("ARCRELAY_STATE_DIR", "/srv/demo", 1);
    BOOST_TEST(demo_state_dir() == "/srv/demo");
    ::setenv("ARCRELAY_STATE_DIR", "", 1);
    BOOST_TEST(demo_state_dir() == "./state");
    ::unsetenv("ARCRELAY_STATE_DIR");
    BOOST_TEST(demo_state_dir() == "./state");
}

BOOST_AUTO_TEST_SUITE_END()
