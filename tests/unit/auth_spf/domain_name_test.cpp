// tests/unit/auth_spf/domain_name_test.cpp — SPF domain-name rules: the identity domain
// (RFC 7208 4.3), toplabels (7.1), target names after expansion (7.3 truncation).
#include "auth/spf/domain_name.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace spf = arcrelay::auth::spf;

BOOST_AUTO_TEST_SUITE(domain_name_test)

BOOST_AUTO_TEST_CASE(identity_domain) {
    const std::string label63(spf::max_label_length, 'a');
    const std::string good[] = {"example.com",      "Mail.Example.COM.",
                                "_spf.example.com", "xn--bcher-kva.example",
                                "a-b.c1",           label63 + ".example.com"};
    for (const auto& name : good)
        BOOST_TEST(spf::valid_identity_domain(name), name);
    const std::string bad[] = {"",
                               ".",
                               "localhost",
                               "example..com",
                               ".example.com",
                               "[192.0.2.1]",
                               "192.0.2.1",
                               "example.123",
                               "ex ample.com",
                               "b\xc3\xbc"
                               "cher.example",
                               label63 + "a.example.com"};
    for (const auto& name : bad)
        BOOST_TEST(!spf::valid_identity_domain(name), name);
    // At most 253 octets (a trailing dot not counted).
    std::string name;
    while (name.size() < spf::max_domain_length - 4)
        name += "abc.";
    name.resize(spf::max_domain_length - 3);
    name += "com";
    BOOST_REQUIRE_EQUAL(name.size(), spf::max_domain_length);
    BOOST_TEST(spf::valid_identity_domain(name));
    BOOST_TEST(spf::valid_identity_domain(name + "."));
    BOOST_TEST(!spf::valid_identity_domain("a" + name));
}

BOOST_AUTO_TEST_CASE(toplabel) {
    for (std::string_view good : {"com", "xn--zckzah", "1-2", "c0m", "a"})
        BOOST_TEST(spf::valid_toplabel(good), good);
    for (std::string_view bad : {"", "123", "-com", "com-", "co_m", "com/24", "c%m"})
        BOOST_TEST(!spf::valid_toplabel(bad), bad);
}

BOOST_AUTO_TEST_CASE(query_name_truncates_from_the_left) {
    BOOST_TEST(*spf::query_name("Example.com.") == "Example.com");
    std::string long_name;
    for (int i = 0; i < 40; ++i)
        long_name += "label" + std::to_string(i) + ".";
    long_name += "example.com";
    const auto name = spf::query_name(long_name);
    BOOST_REQUIRE(name);
    BOOST_REQUIRE_GT(long_name.size(), spf::max_domain_length);
    BOOST_REQUIRE_LT(name->size(), long_name.size());
    BOOST_TEST(name->size() <= spf::max_domain_length);
    BOOST_TEST(name->size() > spf::max_domain_length - 8); // no more labels than needed
    BOOST_TEST(long_name.ends_with(*name));
    BOOST_TEST(long_name[long_name.size() - name->size() - 1] == '.'); // whole labels removed
    BOOST_TEST(!spf::query_name(""));
    BOOST_TEST(!spf::query_name("a..example.com"));
    BOOST_TEST(!spf::query_name(std::string(spf::max_label_length + 1, 'a') + ".example.com"));
    BOOST_TEST(!spf::query_name(std::string(300, 'a'))); // one label: nothing to remove
}

BOOST_AUTO_TEST_CASE(subdomains) {
    BOOST_TEST(spf::is_same_or_subdomain("mx.Example.com.", "example.COM"));
    BOOST_TEST(spf::is_same_or_subdomain("example.com", "example.com."));
    BOOST_TEST(!spf::is_same_or_subdomain("badexample.com", "example.com"));
    BOOST_TEST(!spf::is_same_or_subdomain("example.com", "mx.example.com"));
}

BOOST_AUTO_TEST_SUITE_END()
