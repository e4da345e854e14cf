// Unit tests of smtp::parse_path_argument (RFC 5321 4.1.2, 4.5.3.1; RFC 6531 3.3).
#include <boost/test/unit_test.hpp>

#include "smtp/address.hpp"

using namespace arcrelay::smtp;

namespace {
bool ok(std::string_view s, bool null = false, bool pm = false, bool utf8 = false) {
    return parse_path_argument(s, null, pm, utf8).ok();
}
} // namespace

BOOST_AUTO_TEST_SUITE(address_test)

BOOST_AUTO_TEST_CASE(valid_paths) {
    BOOST_TEST(ok("<a@b.example>"));
    BOOST_TEST(ok("<first.last+tag@sub.b-c.example>"));
    BOOST_TEST(ok("<\"quoted \\\" pair\"@b.example>"));
    BOOST_TEST(ok("<a@[IPv6:2001:db8::1]>"));
    BOOST_TEST(ok("<>", true));
    BOOST_TEST(ok("<postmaster>", false, true));
}

BOOST_AUTO_TEST_CASE(invalid_paths) {
    BOOST_TEST(!ok("<>"));
    BOOST_TEST(!ok("<postmaster>"));
    BOOST_TEST(!ok("a@b.example"));
    BOOST_TEST(!ok("<a@b.example"));
    BOOST_TEST(!ok("<.a@b.example>"));
    BOOST_TEST(!ok("<a.@b.example>"));
    BOOST_TEST(!ok("<a@b..example>"));
    BOOST_TEST(!ok("<a@b-.example>"));
    BOOST_TEST(!ok("<a b@b.example>"));
    BOOST_TEST(!ok("<a@>"));
    BOOST_TEST(!ok("<@b.example>"));
    BOOST_TEST(!ok("<\"unterminated@b.example>"));
}

BOOST_AUTO_TEST_CASE(length_limits) {
    const std::string local64(max_local_part, 'a');
    BOOST_TEST(ok("<" + local64 + "@b.example>"));
    BOOST_TEST(!ok("<" + local64 + "a@b.example>"));
    std::string domain;
    while (domain.size() < 250)
        domain += "abcdefghi.";
    domain += "ex";                         // 252 octets
    BOOST_TEST(ok("<a@" + domain + ">"));   // path of exactly 256 with brackets
    BOOST_TEST(!ok("<ab@" + domain + ">")); // 257
}

BOOST_AUTO_TEST_CASE(utf8_only_when_allowed) {
    BOOST_TEST(!ok("<j\xc3\xb6rg@b.example>"));
    BOOST_TEST(ok("<j\xc3\xb6rg@b\xc3\xa4r.example>", false, false, true));
}

BOOST_AUTO_TEST_CASE(utf8_must_be_well_formed) {
    BOOST_TEST(!ok("<\xff\xfe@b.example>", false, false, true));             // not UTF-8 at all
    BOOST_TEST(!ok("<j\xc3@b.example>", false, false, true));                // truncated sequence
    BOOST_TEST(!ok("<a@b\xc0\xae.example>", false, false, true));            // overlong "."
    BOOST_TEST(!ok("<\xed\xa0\x80@b.example>", false, false, true));         // a UTF-16 surrogate
    BOOST_TEST(ok("<\xe2\x82\xac@b\xc3\xa4r.example>", false, false, true)); // € and ä
    const auto r = parse_path_argument("<\xff@b.example>", false, false, true);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message == "mailbox is not well-formed UTF-8 (RFC 6531 3.3)");
}

BOOST_AUTO_TEST_CASE(parameters) {
    auto r =
        parse_path_argument("<a@b.example> SIZE=10  BODY=8BITMIME SMTPUTF8", true, false, false);
    BOOST_REQUIRE(r.ok());
    BOOST_REQUIRE_EQUAL(r->params.size(), 3u);
    BOOST_TEST(r->params[0].keyword == "SIZE");
    BOOST_TEST(r->params[0].value == "10");
    BOOST_TEST(!r->params[2].has_value);
    BOOST_TEST(!ok("<a@b.example> =x"));
    BOOST_TEST(!ok("<a@b.example> -X=1"));
    BOOST_TEST(!ok("<a@b.example> X=a=b"));
}

BOOST_AUTO_TEST_CASE(source_route_is_dropped) {
    auto r = parse_path_argument("<@r1.example,@r2.example:a@b.example>", false, false, false);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r->mailbox == "a@b.example");
}

BOOST_AUTO_TEST_SUITE_END()
