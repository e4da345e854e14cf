// Tests for mail/address: RFC 5322 address lists and the DMARC author domain.
#include "mail/address.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::mail;

namespace {
std::vector<std::string> domains_of(std::string_view v) {
    auto r = parse_address_list(v);
    BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    std::vector<std::string> d;
    for (const auto& m : *r)
        d.push_back(m.domain);
    return d;
}
std::string author(std::string_view headers) {
    auto m = parse_message(std::string(headers) + "\r\nbody\r\n");
    BOOST_REQUIRE(m);
    auto d = author_domains(*m);
    return d ? d->front() : "error: " + d.error().message;
}
} // namespace

BOOST_AUTO_TEST_SUITE(address_test)

BOOST_AUTO_TEST_CASE(forms) {
    BOOST_TEST(domains_of("a@Example.COM") == std::vector<std::string>{"example.com"});
    BOOST_TEST(domains_of("\"Doe, John\" <john@example.org>") ==
               std::vector<std::string>{"example.org"});
    BOOST_TEST(domains_of("John (the (nested) man) <j@x.example> (c)") ==
               std::vector<std::string>{"x.example"});
    BOOST_TEST(domains_of("\"quoted local\"@q.example") == std::vector<std::string>{"q.example"});
    BOOST_TEST(domains_of("list: a@one.example, b@two.example;, c@three.example") ==
               (std::vector<std::string>{"one.example", "two.example", "three.example"}));
    BOOST_TEST(domains_of("undisclosed-recipients:;").empty());
    BOOST_TEST(domains_of("<@route.example:u@r.example>") == std::vector<std::string>{"r.example"});
    BOOST_TEST(domains_of("=?utf-8?q?J=C3=B6rg?= <j@de.example>") ==
               std::vector<std::string>{"de.example"});
    BOOST_TEST(domains_of("u@[192.0.2.1]") == std::vector<std::string>{"[192.0.2.1]"});
}

BOOST_AUTO_TEST_CASE(display_name_and_local_part) {
    auto r = parse_address_list("\"Jane Q. Doe\" <jane.doe@example.com>");
    BOOST_REQUIRE(r);
    BOOST_TEST(r->front().display_name == "Jane Q. Doe");
    BOOST_TEST(r->front().local_part == "jane.doe");
}

BOOST_AUTO_TEST_CASE(malformed) {
    BOOST_TEST(!parse_address_list("\"unterminated <a@b.example>"));
    BOOST_TEST(!parse_address_list("(unterminated a@b.example"));
    BOOST_TEST(!parse_address_list("Name <a@b.example"));
    BOOST_TEST(!parse_address_list("no-at-sign"));
    BOOST_TEST(!parse_address_list("a@"));
    BOOST_TEST(!parse_address_list("a@b.example c@d.example"));
    BOOST_TEST(!parse_address_list(std::string(100, '(') + "x"));
}

BOOST_AUTO_TEST_CASE(author_domain_rules) {
    BOOST_TEST(author("From: Joe <joe@Example.com>\r\n") == "example.com");
    BOOST_TEST(author("To: x@y.example\r\n") == "error: no From header field");
    BOOST_TEST(author("From: a@a.example\r\nFrom: b@b.example\r\n") ==
               "error: more than one From header field");
    BOOST_TEST(author("From: group:;\r\n") == "error: From holds no mailbox");
    BOOST_TEST(author("From: <broken@x.example\r\n") == "error: From: unterminated angle-addr");
}

BOOST_AUTO_TEST_SUITE_END()
