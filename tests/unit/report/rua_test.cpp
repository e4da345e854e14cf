// tests/unit/report/rua_test.cpp — rua URIs and their "!size" suffix (RFC 7489 6.4 units,
// RFC 9989 4.7 obs-dmarc-report-size).
#include "report/rua.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::report;

BOOST_AUTO_TEST_SUITE(rua_test)

BOOST_AUTO_TEST_CASE(a_plain_mailto_has_no_limit) {
    const auto r = parse_rua("mailto:dmarc@Example.COM");
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r->uri == "mailto:dmarc@Example.COM");
    BOOST_TEST(r->address == "dmarc@Example.COM");
    BOOST_TEST(r->host == "example.com");
    BOOST_TEST(!r->max_bytes.has_value());
}

BOOST_AUTO_TEST_CASE(size_units_are_powers_of_1024) {
    BOOST_TEST(*parse_rua("mailto:a@b.example!500")->max_bytes == 500u);
    BOOST_TEST(*parse_rua("mailto:a@b.example!10k")->max_bytes == 10u * 1024);
    BOOST_TEST(*parse_rua("mailto:a@b.example!10m")->max_bytes == 10u * 1024 * 1024);
    BOOST_TEST(*parse_rua("mailto:a@b.example!2G")->max_bytes == 2ull << 30);
    BOOST_TEST(*parse_rua("mailto:a@b.example!1t")->max_bytes == 1ull << 40);
    const auto r = parse_rua("MAILTO:agg@thirdparty.example.net!10m");
    BOOST_TEST(r->uri == "MAILTO:agg@thirdparty.example.net"); // the limit is not the address
    BOOST_TEST(r->address == "agg@thirdparty.example.net");
}

BOOST_AUTO_TEST_CASE(percent_escapes_are_decoded) {
    BOOST_TEST(parse_rua("mailto:a%21b@x.example")->address == "a!b@x.example");
    BOOST_TEST(parse_rua("mailto:a@x.example?subject=hi")->address == "a@x.example");
}

BOOST_AUTO_TEST_CASE(bad_uris_are_refused_with_the_reason) {
    const auto msg = [](const char* uri) { return parse_rua(uri).error().message; };
    BOOST_TEST(msg("https://x.example/r") == "https://x.example/r: not a mailto: URI");
    BOOST_TEST(msg("mailto:nobody") == "mailto:nobody: not a mailbox (local@domain)");
    BOOST_TEST(msg("mailto:@x.example") == "mailto:@x.example: not a mailbox (local@domain)");
    BOOST_TEST(msg("mailto:a@x.example!") ==
               "mailto:a@x.example!: size must be digits and an optional unit k, m, g or t");
    BOOST_TEST(msg("mailto:a@x.example!10x") ==
               "mailto:a@x.example!10x: size must be digits and an optional unit k, m, g or t");
    BOOST_TEST(msg("mailto:a@x.example!k") ==
               "mailto:a@x.example!k: size must be digits and an optional unit k, m, g or t");
    BOOST_TEST(msg("mailto:a@x.example!99999999999999999999") ==
               "mailto:a@x.example!99999999999999999999: size overflows");
    BOOST_TEST(msg("mailto:a@x.example!99999999t") ==
               "mailto:a@x.example!99999999t: size overflows");
    BOOST_TEST(msg("mailto:a%2@x.example") == "mailto:a%2@x.example: bad %-escape");
    BOOST_TEST(msg("mailto:a%0D%0ABcc:%20e@x.example") ==
               "mailto:a%0D%0ABcc:%20e@x.example: a control character or space in the address");
    // What would break an RCPT or a To: field, or make the size-less URI mean something else.
    for (const char* uri :
         {"mailto:a@x.example/r", "mailto:a@-x.example", "mailto:a@x..example",
          "mailto:a%3Eb@x.example", "mailto:a.@x.example", "mailto:a,b@x.example"})
        BOOST_TEST(msg(uri) == std::string(uri) + ": not a mailbox (local@domain)");
    BOOST_TEST(msg("mailto:d!0x@x.example!3k") ==
               "mailto:d!0x@x.example!3k: an unescaped \"!\" (write %21)");
}

BOOST_AUTO_TEST_SUITE_END()
