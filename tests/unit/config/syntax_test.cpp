// tests/unit/config/syntax_test.cpp — value syntaxes of the configuration file.
#include "config/syntax.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace arcrelay;
using namespace arcrelay::config;

BOOST_AUTO_TEST_SUITE(syntax)

BOOST_AUTO_TEST_CASE(domain_names) {
    BOOST_TEST(is_domain_name("lists.example.org", true));
    BOOST_TEST(is_domain_name("xn--bcher-kva.example", true));
    BOOST_TEST(is_domain_name("localhost", false));
    BOOST_TEST(!is_domain_name("localhost", true));
    BOOST_TEST(!is_domain_name("example.org.", true));
    BOOST_TEST(!is_domain_name("-a.example.org", true));
    BOOST_TEST(!is_domain_name("a..example.org", true));
    BOOST_TEST(!is_domain_name("", false));
    BOOST_TEST(is_domain_name(std::string(max_label_length, 'a') + ".org", true));
    BOOST_TEST(!is_domain_name(std::string(max_label_length + 1, 'a') + ".org", true));
    std::string long_name;
    while (long_name.size() <= max_domain_length)
        long_name += "abcdefghi.";
    long_name += "org";
    BOOST_TEST(!is_domain_name(long_name, true));
}

BOOST_AUTO_TEST_CASE(mailboxes) {
    const auto m = parse_mailbox("Dev.Team@Lists.Example.ORG");
    BOOST_REQUIRE(m.ok());
    BOOST_TEST(m->local_part == "dev.team");
    BOOST_TEST(m->domain == "lists.example.org");
    BOOST_TEST(m->address() == "dev.team@lists.example.org");
    BOOST_TEST(!parse_mailbox("@lists.example.org").ok());
    BOOST_TEST(!parse_mailbox("a b@lists.example.org").ok());
    BOOST_TEST(!parse_mailbox("\"quoted\"@lists.example.org").ok());
    BOOST_TEST(parse_mailbox(std::string(max_local_part_length, 'a') + "@x.org").ok());
    const auto long_local = parse_mailbox(std::string(max_local_part_length + 1, 'a') + "@x.org");
    BOOST_REQUIRE(!long_local.ok());
    BOOST_TEST(long_local.error().message == "local part longer than 64 octets");
}

BOOST_AUTO_TEST_CASE(tokens_and_field_names) {
    BOOST_TEST(is_token("lists.example.org"));
    BOOST_TEST(!is_token("a b"));
    BOOST_TEST(!is_token("a;b"));
    BOOST_TEST(!is_token(""));
    BOOST_TEST(is_field_name("DKIM-Signature"));
    BOOST_TEST(!is_field_name("Subject:"));
    BOOST_TEST(!is_field_name("x y"));
}

BOOST_AUTO_TEST_CASE(ports) {
    BOOST_TEST(parse_port("1").value() == 1);
    BOOST_TEST(parse_port("65535").value() == 65535);
    BOOST_TEST(!parse_port("0").has_value());
    BOOST_TEST(!parse_port("65536").has_value());
    BOOST_TEST(!parse_port("025").has_value());
    BOOST_TEST(!parse_port("+25").has_value());
    BOOST_TEST(!parse_port("").has_value());
}

BOOST_AUTO_TEST_CASE(next_hop_uris) {
    next_hop_settings hop;
    BOOST_TEST(parse_next_hop_uri("smtp:[2001:db8::1]:25", hop).ok());
    BOOST_TEST((hop.protocol == next_hop_protocol::smtp));
    BOOST_TEST(hop.host == "2001:db8::1");
    BOOST_TEST(hop.port == 25);
    BOOST_TEST(parse_next_hop_uri("maildir:relative/dir", hop).ok());
    BOOST_TEST((hop.protocol == next_hop_protocol::maildir));
    BOOST_TEST(hop.path == "relative/dir");
    BOOST_TEST(hop.host.empty());
    BOOST_TEST(parse_next_hop_uri("lmtp:localhost:8024", hop).ok());
    BOOST_TEST(hop.path.empty());
    BOOST_TEST(!parse_next_hop_uri("lmtp", hop).ok());
    BOOST_TEST(!parse_next_hop_uri("LMTP:localhost:8024", hop).ok());
    BOOST_TEST(!parse_next_hop_uri("lmtp:2001:db8::1:25", hop).ok());
    BOOST_TEST(!parse_next_hop_uri("lmtp::25", hop).ok());
}

BOOST_AUTO_TEST_CASE(dns_servers) {
    BOOST_TEST(parse_dns_server("[::1]").value().port == 53);
    BOOST_TEST(!parse_dns_server("[::1").has_value());
    BOOST_TEST(!parse_dns_server("[::1]53").has_value());
    BOOST_TEST(!parse_dns_server("[192.0.2.1]:53").has_value());
    BOOST_TEST(!parse_dns_server("192.0.2.1:0").has_value());
    BOOST_TEST(!parse_dns_server("ns.example.org").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
