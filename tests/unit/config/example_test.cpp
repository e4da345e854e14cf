// tests/unit/config/example_test.cpp — examples/arcrelay.toml loads and describes the
// split layout of DESIGN.md "Mailman integration".
#include "config/describe.hpp"
#include "config/load.hpp"
#include "config/names.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;
using namespace arcrelay::config;

BOOST_AUTO_TEST_SUITE(example)

BOOST_AUTO_TEST_CASE(production_example_loads_as_split_layout) {
    const auto c = load_config_file(ARCRELAY_SOURCE_DIR "/examples/arcrelay.toml");
    BOOST_TEST_INFO("error: " << (c ? std::string() : c.error().message));
    BOOST_REQUIRE(c.ok());

    BOOST_REQUIRE_EQUAL(c->listeners.size(), 2u);
    const auto& mx = c->listeners[0];
    BOOST_TEST(mx.port == 25);
    BOOST_TEST(format_stages(mx.stages) == "verify,record,policy,forward");
    BOOST_TEST(mx.tls.has_value());
    BOOST_TEST((mx.recipients == recipient_policy::lists));
    BOOST_TEST(mx.next_hop.uri == "lmtp:127.0.0.1:8024");

    const auto& seal = c->listeners[1];
    BOOST_TEST(format_ip_address(seal.address) == "127.0.0.1");
    BOOST_TEST(seal.port == 10025);
    BOOST_TEST(format_stages(seal.stages) == "seal,forward");
    BOOST_TEST(seal.allowed_clients.size() == 2u);
    BOOST_TEST((seal.recipients == recipient_policy::any));
    BOOST_TEST(seal.limits.max_recipients == 500u);
    BOOST_TEST(seal.next_hop.uri == "smtp:127.0.0.1:10026");
    BOOST_TEST((seal.next_hop.protocol == next_hop_protocol::smtp));

    // Production seals with rsa-sha256 only (DESIGN.md: no deployed arc-multi validator).
    BOOST_REQUIRE_EQUAL(c->arc.keys.size(), 1u);
    BOOST_TEST((c->arc.keys[0].algorithm == signing_algorithm::rsa_sha256));
    // The key file is named as `arcrelay keygen` writes it: DIR/DOMAIN.SELECTOR.rsa.pem.
    const auto& key = c->arc.keys[0];
    BOOST_TEST(key.private_key.ends_with("/" + key.domain + "." + key.selector + ".rsa.pem"));
    // One list, also to be created in Mailman; no second list a copy would half-configure.
    BOOST_TEST(c->lists.size() == 1u);
    BOOST_TEST(c->arc.handover_max_age == arc_settings{}.handover_max_age);
    BOOST_TEST(c->metrics.has_value());
}

BOOST_AUTO_TEST_CASE(example_states_the_defaults_it_claims) {
    // Every value the example spells out for [limits], [dns], [next_hop] is the default.
    const auto c = load_config_file(ARCRELAY_SOURCE_DIR "/examples/arcrelay.toml");
    BOOST_REQUIRE(c.ok());
    BOOST_TEST((c->limits == limit_settings{}));
    const next_hop_settings defaults;
    BOOST_TEST((c->next_hop == defaults));
    const dns_settings dns;
    BOOST_TEST(c->dns.timeout == dns.timeout);
    BOOST_TEST(c->dns.retries == dns.retries);
    BOOST_TEST(c->dns.cache_size == dns.cache_size);
    BOOST_TEST(c->dns.max_queries_per_message == dns.max_queries_per_message);
    BOOST_TEST((c->dmarc.org_domain == dmarc_settings{}.org_domain)); // RFC 9989 tree walk
    BOOST_TEST(!c->log.timestamps.has_value()); // stamped unless under journald
    const reports_settings reports;
    BOOST_TEST(c->reports.enabled == reports.enabled);
    BOOST_TEST(c->reports.queue_size == reports.queue_size);
    BOOST_TEST(c->reports.period_hours == reports.period_hours);
    BOOST_TEST(c->reports.retention_hours == reports.retention_hours);
}

BOOST_AUTO_TEST_SUITE_END()
