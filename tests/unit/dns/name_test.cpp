// Tests for dns/name: canonical lookup names and reverse names for PTR queries.
#include "dns/name.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::dns;

BOOST_AUTO_TEST_SUITE(name_test)

BOOST_AUTO_TEST_CASE(canonical_names) {
    BOOST_TEST(canonical_name("Example.COM.") == "example.com");
    BOOST_TEST(canonical_name("example.com") == "example.com");
    BOOST_TEST(canonical_name(".") == "");
    BOOST_TEST(canonical_name("") == "");
    BOOST_TEST(canonical_name("\xC3\x89.test") == "\xC3\x89.test"); // only ASCII folds
}

BOOST_AUTO_TEST_CASE(ipv4_reverse_names) {
    BOOST_TEST(reverse_name("192.0.2.10").value() == "10.2.0.192.in-addr.arpa");
    BOOST_TEST(reverse_name("0.0.0.0").value() == "0.0.0.0.in-addr.arpa");
    BOOST_TEST(reverse_name("255.255.255.255").value() == "255.255.255.255.in-addr.arpa");
}

BOOST_AUTO_TEST_CASE(ipv6_reverse_names) {
    BOOST_TEST(reverse_name("2001:db8::1").value() ==
               "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    BOOST_TEST(reverse_name("2001:DB8:FF0:100::2").value() ==
               "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.f.f.0.8.b.d.0.1.0.0.2.ip6.arpa");
    BOOST_TEST(reverse_name("::").value().size() == 64u + 8u);
}

BOOST_AUTO_TEST_CASE(not_addresses) {
    for (const char* text : {"", "example.com", "192.0.2", "192.0.2.256", "192.0.2.1 ",
                             "2001:db8::1::2", "1.2.3.4/24", "[::1]"}) {
        BOOST_TEST(!reverse_name(text).has_value(), text);
    }
    // Embedded NUL must not truncate the address.
    BOOST_TEST(!reverse_name(std::string_view("192.0.2.1\0x", 11)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
