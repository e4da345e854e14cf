// tests/unit/auth_spf/ip_address_test.cpp — base/ip_address.hpp: parsing, RFC 5952
// formatting, IPv4-mapped addresses, CIDR networks.
#include "base/ip_address.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using arcrelay::format_ip_address;
using arcrelay::in_network;
using arcrelay::parse_ip_address;
using arcrelay::parse_network;

namespace {

std::string round_trip(std::string_view text) {
    auto a = parse_ip_address(text);
    BOOST_REQUIRE_MESSAGE(a, "cannot parse " << text);
    return format_ip_address(*a);
}

bool contains(std::string_view network, std::string_view address) {
    auto net = parse_network(network);
    auto a = parse_ip_address(address);
    BOOST_REQUIRE(net && a);
    return in_network(*a, *net);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ip_address_test)

BOOST_AUTO_TEST_CASE(parses_ipv4) {
    auto a = parse_ip_address("192.0.2.10");
    BOOST_REQUIRE(a);
    BOOST_TEST(!a->v6);
    BOOST_TEST(a->bytes[0] == 192);
    BOOST_TEST(a->bytes[3] == 10);
    BOOST_TEST(a->bytes[4] == 0);
    BOOST_TEST(format_ip_address(*a) == "192.0.2.10");
}

BOOST_AUTO_TEST_CASE(rejects_malformed) {
    const std::string_view bad_inputs[] = {"",
                                           "1.2.3",
                                           "1.2.3.4.5",
                                           "256.1.1.1",
                                           "01.2.3.4",
                                           " 1.2.3.4",
                                           "1.2.3.4 ",
                                           "[1.2.3.4]",
                                           "2001:db8::1::2",
                                           "2001:db8::g",
                                           "fe80::1%eth0",
                                           "1.2.3.4/24",
                                           "::ffff:1.2.3",
                                           "1:2:3:4:5:6:7:8:9",
                                           std::string_view("1.2.3.4\0", 8)};
    for (std::string_view bad : bad_inputs) {
        BOOST_TEST(!parse_ip_address(bad), "accepted: " << bad);
    }
    BOOST_TEST(!parse_ip_address(std::string(100, '1')));
}

BOOST_AUTO_TEST_CASE(formats_ipv6_per_rfc5952) {
    BOOST_TEST(round_trip("2001:DB8:0:0:0:0:0:1") == "2001:db8::1");
    BOOST_TEST(round_trip("2001:0db8::0001") == "2001:db8::1");
    // A single zero group is not compressed (RFC 5952 4.2.2).
    BOOST_TEST(round_trip("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
    // The longest run wins; of equal runs the first (RFC 5952 4.2.3).
    BOOST_TEST(round_trip("2001:0:0:1:0:0:0:1") == "2001:0:0:1::1");
    BOOST_TEST(round_trip("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
    BOOST_TEST(round_trip("::") == "::");
    BOOST_TEST(round_trip("::1") == "::1");
    BOOST_TEST(round_trip("1::") == "1::");
    BOOST_TEST(round_trip("::0.0.0.2") == "::2");
    BOOST_TEST(round_trip("fe80:0:0:0:abcd:ef:0:0") == "fe80::abcd:ef:0:0");
}

BOOST_AUTO_TEST_CASE(ipv4_mapped) {
    auto a = parse_ip_address("::FFFF:192.0.2.1");
    BOOST_REQUIRE(a);
    BOOST_TEST(a->v6);
    BOOST_TEST(arcrelay::is_ipv4_mapped(*a));
    BOOST_TEST(format_ip_address(*a) == "::ffff:192.0.2.1");
    const auto v4 = arcrelay::unmap_ipv4(*a);
    BOOST_TEST(!v4.v6);
    BOOST_TEST(format_ip_address(v4) == "192.0.2.1");
    BOOST_TEST(round_trip("::ffff:c000:201") == "::ffff:192.0.2.1");
    // Compared as IPv4 against an IPv4 network, as IPv6 against an IPv6 one.
    BOOST_TEST(contains("192.0.2.0/24", "::ffff:192.0.2.1"));
    BOOST_TEST(contains("::ffff:0:0/96", "::ffff:192.0.2.1"));
    BOOST_TEST(!contains("::/0", "192.0.2.1"));
    BOOST_TEST(!arcrelay::is_ipv4_mapped(*parse_ip_address("::1")));
}

BOOST_AUTO_TEST_CASE(networks) {
    BOOST_TEST(contains("192.0.2.0/24", "192.0.2.255"));
    BOOST_TEST(!contains("192.0.2.0/24", "192.0.3.0"));
    BOOST_TEST(contains("192.0.2.128/25", "192.0.2.200"));
    BOOST_TEST(!contains("192.0.2.128/25", "192.0.2.100"));
    BOOST_TEST(contains("0.0.0.0/0", "203.0.113.9"));
    BOOST_TEST(contains("192.0.2.1", "192.0.2.1"));
    BOOST_TEST(!contains("192.0.2.1", "192.0.2.2"));
    BOOST_TEST(contains("192.0.2.77/24", "192.0.2.1")); // host bits ignored
    BOOST_TEST(contains("2001:db8::/32", "2001:db8:ffff::1"));
    BOOST_TEST(!contains("2001:db8::/33", "2001:db8:8000::1"));
    BOOST_TEST(contains("2001:db8::/127", "2001:db8::1"));
    BOOST_TEST(!contains("2001:db8::/128", "2001:db8::1"));
    BOOST_TEST(!contains("2001:db8::/32", "192.0.2.1"));
    BOOST_TEST(!contains("0.0.0.0/0", "2001:db8::1"));

    auto net = parse_network("2001:db8::/48");
    BOOST_REQUIRE(net);
    BOOST_TEST(net->prefix == 48);
    BOOST_TEST(parse_network("192.0.2.1")->prefix == 32);
    BOOST_TEST(parse_network("::1")->prefix == 128);
    const std::string_view bad_networks[] = {"192.0.2.0/33",  "::/129",        "192.0.2.0/",
                                             "192.0.2.0/024", "192.0.2.0/-1",  "192.0.2.0/2x",
                                             "/24",           "192.0.2.0/24/1"};
    for (std::string_view bad : bad_networks) {
        BOOST_TEST(!parse_network(bad), "accepted: " << bad);
    }
    // A prefix out of range never matches.
    auto a = parse_ip_address("192.0.2.1");
    BOOST_TEST(!in_network(*a, *a, 33));
    BOOST_TEST(!in_network(*a, *a, -1));
}

BOOST_AUTO_TEST_SUITE_END()
