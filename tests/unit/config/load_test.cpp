// tests/unit/config/load_test.cpp — parse_config(): defaults and every section.
#include "config/load.hpp"
#include "config/names.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <array>
#include <cctype>
#include <climits>

using namespace arcrelay;
using namespace arcrelay::config;
using arcrelay::config::test::minimal;
using arcrelay::config::test::parse_ok;

BOOST_AUTO_TEST_SUITE(load)

BOOST_AUTO_TEST_CASE(minimal_file_gets_documented_defaults) {
    const auto c = parse_ok(minimal);
    BOOST_TEST(c.source == "t.toml");
    BOOST_TEST(c.server.hostname == "relay.example.org");
    BOOST_TEST(c.server.authserv_id == "relay.example.org");
    BOOST_TEST(c.server.threads == 0u);
    BOOST_TEST(c.server.io_threads == 0u);
    BOOST_TEST(c.server.state_dir == "/var/lib/arcrelay");

    BOOST_REQUIRE_EQUAL(c.listeners.size(), 1u);
    const auto& l = c.listeners[0];
    BOOST_TEST(format_ip_address(l.address) == "0.0.0.0");
    BOOST_TEST(l.port == 25);
    BOOST_TEST(format_stages(l.stages) == "verify,record,policy,rewrite,seal,forward");
    BOOST_TEST(l.allowed_clients.empty());
    BOOST_TEST((l.recipients == recipient_policy::lists));
    BOOST_TEST(!l.tls.has_value());
    BOOST_TEST((l.limits == limit_settings{}));
    BOOST_TEST((l.next_hop == c.next_hop));

    BOOST_TEST(c.next_hop.uri == "lmtp:127.0.0.1:8024");
    BOOST_TEST((c.next_hop.protocol == next_hop_protocol::lmtp));
    BOOST_TEST(c.next_hop.host == "127.0.0.1");
    BOOST_TEST(c.next_hop.port == 8024);
    BOOST_TEST(!c.next_hop.starttls);
    BOOST_TEST(c.next_hop.pool_size == 4u);
    BOOST_TEST(c.next_hop.greeting_timeout.count() == 300);
    BOOST_TEST(c.next_hop.data_init_timeout.count() == 120);
    BOOST_TEST(c.next_hop.data_block_timeout.count() == 180);
    BOOST_TEST(c.next_hop.data_term_timeout.count() == 600);

    BOOST_TEST(c.limits.max_message_size == 10u * 1024 * 1024);
    BOOST_TEST(c.limits.max_recipients == 100u);
    BOOST_TEST(c.limits.max_arc_sets == 50u);
    BOOST_TEST(c.limits.command_timeout.count() == 300);

    BOOST_REQUIRE_EQUAL(c.lists.size(), 1u);
    BOOST_TEST(c.lists[0].address == "dev@lists.example.org");
    BOOST_TEST(c.lists[0].local_part == "dev");
    BOOST_TEST(c.lists[0].domain == "lists.example.org");
    BOOST_TEST(c.lists[0].bounce_address == "dev-bounces@lists.example.org");
    BOOST_TEST(c.lists[0].list_id == "dev.lists.example.org");
    BOOST_TEST(c.lists[0].subject_prefix.empty());
    BOOST_TEST(!c.lists[0].verp);
    BOOST_TEST(!c.lists[0].list_headers);
    BOOST_TEST(!c.lists[0].dkim_sign);

    BOOST_REQUIRE_EQUAL(c.arc.keys.size(), 1u);
    BOOST_TEST((c.arc.keys[0].algorithm == signing_algorithm::rsa_sha256));
    BOOST_TEST(c.arc.sign_headers.empty());
    BOOST_TEST((c.arc.seal_unsealed == unsealed_policy::none));
    BOOST_TEST(c.arc.trusted_sealers.empty());

    BOOST_TEST(c.dns.servers.empty());
    BOOST_TEST(c.dns.timeout.count() == 2000);
    BOOST_TEST(c.dns.retries == 2u);
    BOOST_TEST(c.dns.cache_size == 10000u);
    BOOST_TEST(c.dns.zone_file.empty());
    BOOST_TEST(c.dns.max_queries_per_message == 200u);
    BOOST_TEST((c.dmarc.org_domain == org_domain_method::tree_walk)); // RFC 9989 4.10
    BOOST_TEST((c.dmarc.virtual_policy == virtual_dmarc::property));
    BOOST_TEST(!c.policy.reject_dmarc);
    BOOST_TEST(!c.policy.temperror_defer);
    BOOST_TEST((c.log.level == log_level::info));
    BOOST_TEST((c.log.format == log_format::text));
    BOOST_TEST(!c.log.timestamps.has_value()); // on unless under journald (relay/log_time)
    BOOST_TEST(!c.metrics.has_value());
}

BOOST_AUTO_TEST_CASE(hostname_defaults_to_the_system_host_name) {
    std::array<char, HOST_NAME_MAX + 1> buffer{};
    BOOST_REQUIRE(::gethostname(buffer.data(), buffer.size() - 1) == 0);
    std::string expected = buffer.data();
    for (auto& ch : expected)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string text = minimal;
    text.replace(0, text.find("[[listener]]"), "");
    const auto c = parse_config(text, "t.toml");
    if (c.ok()) {
        BOOST_TEST(c->server.hostname == expected);
        BOOST_TEST(c->server.authserv_id == expected);
    } else {
        BOOST_TEST(c.error().message.find("(from gethostname(); set server.hostname)") !=
                   std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(server_section) {
    const auto c = parse_ok(R"([server]
hostname = "MX.Lists.Example.org"
authserv_id = "lists.example.org"
threads = 8
io_threads = 3
state_dir = "/srv/arcrelay"
[[listener]]
name = "mx"
stages = "split-verify"
[[list]]
address = "dev@lists.example.org"
)");
    BOOST_TEST(c.server.hostname == "mx.lists.example.org");
    BOOST_TEST(c.server.authserv_id == "lists.example.org");
    BOOST_TEST(c.server.threads == 8u);
    BOOST_TEST(c.server.io_threads == 3u);
    BOOST_TEST(c.server.state_dir == "/srv/arcrelay");
}

BOOST_AUTO_TEST_CASE(listener_section_with_overrides) {
    const auto c = parse_ok(minimal + R"(
[limits]
max_recipients = 50
max_message_size = 2000000

[next_hop]
uri = "smtp:mail.example.org:587"
starttls = true

[[listener]]
name = "seal-6"
address = "::1"
port = 10025
stages = ["seal", "forward"]
allowed_clients = ["::1", "127.0.0.0/8"]
tls_certificate = "/etc/c.pem"
tls_private_key = "/etc/k.pem"

[listener.limits]
max_recipients = 500

[listener.next_hop]
uri = "smtp:[::1]:10026"
starttls = false
)");
    BOOST_REQUIRE_EQUAL(c.listeners.size(), 2u);
    const auto& l = c.listeners[1];
    BOOST_TEST(l.name == "seal-6");
    BOOST_TEST(format_ip_address(l.address) == "::1");
    BOOST_TEST(l.port == 10025);
    BOOST_TEST(format_stages(l.stages) == "seal,forward");
    BOOST_REQUIRE_EQUAL(l.allowed_clients.size(), 2u);
    BOOST_TEST(l.allowed_clients[0].prefix == 128);
    BOOST_TEST(l.allowed_clients[1].prefix == 8);
    BOOST_TEST((l.recipients == recipient_policy::any)); // seal without verify
    BOOST_REQUIRE(l.tls.has_value());
    BOOST_TEST(l.tls->certificate == "/etc/c.pem");
    BOOST_TEST(l.tls->private_key == "/etc/k.pem");
    // The override changes one field; the rest comes from [limits], then the defaults.
    BOOST_TEST(l.limits.max_recipients == 500u);
    BOOST_TEST(l.limits.max_message_size == 2000000u);
    BOOST_TEST(l.limits.max_header_fields == 1000u);
    BOOST_TEST(c.listeners[0].limits.max_recipients == 50u);
    BOOST_TEST(l.next_hop.host == "::1");
    BOOST_TEST(l.next_hop.port == 10026);
    BOOST_TEST(!l.next_hop.starttls);
    BOOST_TEST(c.listeners[0].next_hop.host == "mail.example.org");
    BOOST_TEST(c.listeners[0].next_hop.port == 587);
    BOOST_TEST(c.listeners[0].next_hop.starttls);
}

BOOST_AUTO_TEST_CASE(stage_presets) {
    BOOST_TEST(format_stages(*parse_stage_preset("split-verify")) ==
               "verify,record,policy,forward");
    BOOST_TEST(format_stages(*parse_stage_preset("split-seal")) == "seal,forward");
    BOOST_TEST(format_stages(*parse_stage_preset("one-pass")) ==
               "verify,record,policy,rewrite,seal,forward");
    BOOST_TEST(!parse_stage_preset("verify").has_value());
}

BOOST_AUTO_TEST_CASE(next_hop_section) {
    const auto c = parse_ok(minimal + R"(
[next_hop]
uri = "maildir:/var/spool/arcrelay"
pool_size = 0
connect_timeout_s = 5
greeting_timeout_s = 6
mail_timeout_s = 7
rcpt_timeout_s = 8
data_init_timeout_s = 9
data_block_timeout_s = 10
data_term_timeout_s = 11
)");
    const auto& h = c.listeners[0].next_hop;
    BOOST_TEST((h.protocol == next_hop_protocol::maildir));
    BOOST_TEST(h.path == "/var/spool/arcrelay");
    BOOST_TEST(h.host.empty());
    BOOST_TEST(h.pool_size == 0u);
    BOOST_TEST(h.connect_timeout.count() == 5);
    BOOST_TEST(h.greeting_timeout.count() == 6);
    BOOST_TEST(h.mail_timeout.count() == 7);
    BOOST_TEST(h.rcpt_timeout.count() == 8);
    BOOST_TEST(h.data_init_timeout.count() == 9);
    BOOST_TEST(h.data_block_timeout.count() == 10);
    BOOST_TEST(h.data_term_timeout.count() == 11);
}

BOOST_AUTO_TEST_CASE(list_section) {
    const auto c = parse_ok(minimal + R"(
[[list]]
address = "Announce@Lists.Example.ORG"
bounce_address = "bounces@lists.example.org"
subject_prefix = "[announce] "
verp = true
list_headers = true
list_id = "Announce.example.org"
dkim_sign = true
)");
    BOOST_REQUIRE_EQUAL(c.lists.size(), 2u);
    const auto& l = c.lists[1];
    BOOST_TEST(l.address == "announce@lists.example.org");
    BOOST_TEST(l.bounce_address == "bounces@lists.example.org");
    BOOST_TEST(l.subject_prefix == "[announce] ");
    BOOST_TEST(l.verp);
    BOOST_TEST(l.list_headers);
    BOOST_TEST(l.list_id == "announce.example.org");
    BOOST_TEST(l.dkim_sign);
}

BOOST_AUTO_TEST_CASE(arc_section) {
    const auto c = parse_ok(R"([server]
hostname = "relay.example.org"
[[listener]]
name = "mx"
stages = "one-pass"
[[list]]
address = "dev@lists.example.org"
[arc]
sign_headers = ["From", "subject", "DKIM-Signature", "from"]
seal_unsealed = "new-chain"
trusted_sealers = ["Google.com", "example.net"]
trusted_authserv_ids = ["mx.example.net"]
[[arc.key]]
algorithm = "ed25519-sha256"
domain = "Lists.Example.org"
selector = "E2026"
private_key = "/k/e.pem"
[[arc.key]]
algorithm = "rsa-sha256"
domain = "lists.example.org"
selector = "r2026"
private_key = "/k/r.pem"
)");
    BOOST_REQUIRE_EQUAL(c.arc.keys.size(), 2u);
    BOOST_TEST((c.arc.keys[0].algorithm == signing_algorithm::ed25519_sha256));
    BOOST_TEST(c.arc.keys[0].domain == "lists.example.org");
    BOOST_TEST(c.arc.keys[0].selector == "e2026");
    BOOST_TEST(c.arc.keys[0].private_key == "/k/e.pem");
    BOOST_TEST((c.arc.keys[1].algorithm == signing_algorithm::rsa_sha256));
    const std::vector<std::string> headers{"from", "subject", "dkim-signature", "from"};
    BOOST_TEST(c.arc.sign_headers == headers, boost::test_tools::per_element());
    BOOST_TEST((c.arc.seal_unsealed == unsealed_policy::new_chain));
    const std::vector<std::string> sealers{"google.com", "example.net"};
    BOOST_TEST(c.arc.trusted_sealers == sealers, boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(c.arc.trusted_authserv_ids.size(), 1u);
    BOOST_TEST(c.arc.trusted_authserv_ids[0] == "mx.example.net");
}

BOOST_AUTO_TEST_CASE(dns_section) {
    const auto c = parse_ok(minimal + R"(
[dns]
servers = ["192.0.2.53", "192.0.2.54:5353", "2001:db8::53", "[2001:db8::54]:5300"]
timeout_ms = 500
retries = 0
cache_size = 0
zone_file = "zones/demo.zone"
max_queries_per_message = 50
)");
    BOOST_REQUIRE_EQUAL(c.dns.servers.size(), 4u);
    BOOST_TEST(format_ip_address(c.dns.servers[0].address) == "192.0.2.53");
    BOOST_TEST(c.dns.servers[0].port == 53);
    BOOST_TEST(c.dns.servers[1].port == 5353);
    BOOST_TEST(format_ip_address(c.dns.servers[2].address) == "2001:db8::53");
    BOOST_TEST(c.dns.servers[2].port == 53);
    BOOST_TEST(format_ip_address(c.dns.servers[3].address) == "2001:db8::54");
    BOOST_TEST(c.dns.servers[3].port == 5300);
    BOOST_TEST(c.dns.timeout.count() == 500);
    BOOST_TEST(c.dns.retries == 0u);
    BOOST_TEST(c.dns.cache_size == 0u);
    BOOST_TEST(c.dns.zone_file == "zones/demo.zone");
    BOOST_TEST(c.dns.max_queries_per_message == 50u);
}

BOOST_AUTO_TEST_CASE(dmarc_policy_log_metrics_sections) {
    const auto c = parse_ok(minimal + R"(
[dmarc]
org_domain = "psl"
virtual = "bestguesspass"
[policy]
reject_dmarc = true
reject_spf_fail = true
reject_dkim_fail = true
reject_iprev_fail = true
reject_arc_fail = true
temperror_defer = true
[log]
level = "debug"
format = "json"
timestamps = false
[metrics]
address = "::1"
port = 9100
)");
    BOOST_TEST((c.dmarc.org_domain == org_domain_method::psl));
    BOOST_TEST((c.dmarc.virtual_policy == virtual_dmarc::bestguesspass));
    BOOST_TEST(c.policy.reject_dmarc);
    BOOST_TEST(c.policy.reject_spf_fail);
    BOOST_TEST(c.policy.reject_dkim_fail);
    BOOST_TEST(c.policy.reject_iprev_fail);
    BOOST_TEST(c.policy.reject_arc_fail);
    BOOST_TEST(c.policy.temperror_defer);
    BOOST_TEST((c.log.level == log_level::debug));
    BOOST_TEST((c.log.format == log_format::json));
    BOOST_TEST((c.log.timestamps == std::optional<bool>(false)));
    BOOST_TEST((parse_ok(minimal + "[log]\ntimestamps = true\n").log.timestamps ==
                std::optional<bool>(true)));
    BOOST_REQUIRE(c.metrics.has_value());
    BOOST_TEST(format_ip_address(c.metrics->address) == "::1");
    BOOST_TEST(c.metrics->port == 9100);
}

BOOST_AUTO_TEST_CASE(empty_metrics_table_enables_loopback_default) {
    const auto c = parse_ok(minimal + "[metrics]\n");
    BOOST_REQUIRE(c.metrics.has_value());
    BOOST_TEST(format_ip_address(c.metrics->address) == "127.0.0.1");
    BOOST_TEST(c.metrics->port == 9464);
}

BOOST_AUTO_TEST_CASE(max_arc_sets_is_capped_at_rfc_8617_limit) {
    BOOST_TEST(parse_ok(minimal + "[limits]\nmax_arc_sets = 50\n").limits.max_arc_sets == 50u);
    test::expect_error(minimal + "[limits]\nmax_arc_sets = 51\n",
                       "t.toml:16: limits.max_arc_sets: must be 1..50", 16);
}

BOOST_AUTO_TEST_CASE(dkim_sign_accepts_a_key_of_a_parent_domain) {
    const auto c = parse_ok(minimal + R"(
[[list]]
address = "x@sub.lists.example.org"
dkim_sign = true
)");
    BOOST_TEST(c.lists[1].dkim_sign);
}

BOOST_AUTO_TEST_CASE(load_config_file_reports_unreadable_file) {
    const auto c = load_config_file("/nonexistent/arcrelay.toml");
    BOOST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().message ==
               "/nonexistent/arcrelay.toml: cannot read: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
