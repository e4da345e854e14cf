// tests/unit/auth_spf/record_test.cpp — SPF record selection (RFC 7208 4.5) and parsing
// (RFC 7208 4.6.1, 5, 6, 7.1 domain-spec).
#include "auth/spf/record.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace spf = arcrelay::auth::spf;
using spf::mechanism_kind;

namespace {

spf::record parse(std::string_view text) {
    auto r = spf::parse_record(text);
    BOOST_REQUIRE_MESSAGE(r, "cannot parse " << text);
    return std::move(*r);
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_test)

BOOST_AUTO_TEST_CASE(version) {
    BOOST_TEST(spf::is_spf_record("v=spf1"));
    BOOST_TEST(spf::is_spf_record("V=SpF1 -all"));
    BOOST_TEST(!spf::is_spf_record("v=spf10"));
    BOOST_TEST(!spf::is_spf_record("v=spf1-all"));
    BOOST_TEST(!spf::is_spf_record(" v=spf1"));
    BOOST_TEST(!spf::is_spf_record("spf2.0/pra"));
}

BOOST_AUTO_TEST_CASE(selection) {
    using records = std::vector<std::string>;
    const records none = {"google-site-verification=x", "v=spf10"};
    BOOST_TEST(!spf::select_record(none)->has_value());
    const records one = {"hello", "v=spf1 -all"};
    BOOST_TEST(**spf::select_record(one) == "v=spf1 -all");
    // RFC 7208 4.5: two SPF records are a permerror, even identical ones.
    const records two = {"v=spf1 -all", "v=spf1 -all"};
    BOOST_TEST(!spf::select_record(two).ok());
}

BOOST_AUTO_TEST_CASE(mechanisms) {
    const auto r = parse("v=spf1 +a -mx:mx.example.com/24//64 ~ptr ?include:_spf.example.com "
                         "ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.bl.example.com A/0 all");
    BOOST_REQUIRE_EQUAL(r.mechanisms.size(), 9u);
    BOOST_TEST((r.mechanisms[0].kind == mechanism_kind::a));
    BOOST_TEST(!r.mechanisms[0].domain_spec);
    BOOST_TEST(r.mechanisms[0].cidr4 == 32);
    BOOST_TEST(r.mechanisms[0].cidr6 == 128);
    BOOST_TEST((r.mechanisms[1].kind == mechanism_kind::mx));
    BOOST_TEST((r.mechanisms[1].qualifier == spf::qualifier::fail));
    BOOST_TEST(r.mechanisms[1].domain_spec.has_value());
    BOOST_TEST(r.mechanisms[1].cidr4 == 24);
    BOOST_TEST(r.mechanisms[1].cidr6 == 64);
    BOOST_TEST((r.mechanisms[2].qualifier == spf::qualifier::softfail));
    BOOST_TEST((r.mechanisms[3].qualifier == spf::qualifier::neutral));
    BOOST_TEST((r.mechanisms[4].kind == mechanism_kind::ip4));
    BOOST_TEST(r.mechanisms[4].network.prefix == 24);
    BOOST_TEST((r.mechanisms[5].kind == mechanism_kind::ip6));
    BOOST_TEST(r.mechanisms[5].network.prefix == 32);
    BOOST_TEST((r.mechanisms[6].kind == mechanism_kind::exists));
    BOOST_TEST((r.mechanisms[7].kind == mechanism_kind::a)); // names are case-insensitive
    BOOST_TEST(r.mechanisms[7].cidr4 == 0);
    BOOST_TEST((r.mechanisms[8].kind == mechanism_kind::all));
    BOOST_TEST(!r.redirect);
    BOOST_TEST(!r.explanation);
}

BOOST_AUTO_TEST_CASE(modifiers) {
    const auto r = parse("v=spf1  mx  redirect=_spf.example.com exp=explain.%{d} "
                         "moo.cow-far_out=man:dog/cat   ");
    BOOST_TEST(r.mechanisms.size() == 1u);
    BOOST_TEST(r.redirect.has_value());
    BOOST_TEST(r.explanation.has_value());
    // A colon-bearing domain-spec is valid; its last label must be a toplabel.
    BOOST_TEST(spf::parse_record("v=spf1 a:foo:bar/baz.example.com").ok());
    BOOST_TEST(spf::parse_record("v=spf1 a:foo.example.xn--zckzah").ok());
    BOOST_TEST(spf::parse_record("v=spf1 include:o.spf.example.com.").ok());
}

BOOST_AUTO_TEST_CASE(syntax_errors) {
    const std::string_view bad[] = {
        "v=spf1 -all.",
        "v=spf1 all:x",
        "v=spf1 all/8",
        "v=spf1 include",
        "v=spf1 include:",
        "v=spf1 include:example.com/24",
        "v=spf1 exists",
        "v=spf1 ptr/0",
        "v=spf1 ptr:",
        "v=spf1 a:",
        "v=spf1 a/33",
        "v=spf1 a//129",
        "v=spf1 a/24/64",
        "v=spf1 a/032",
        "v=spf1 a:museum",
        "v=spf1 a:museum.",
        "v=spf1 a:111.222.33.44",
        "v=spf1 a:example.-com",
        "v=spf1 a:example.com:8080",
        "v=spf1 ip4",
        "v=spf1 ip4:1.2.3",
        "v=spf1 ip4:1.2.3.4:8080",
        "v=spf1 ip4:1.2.3.4/33",
        "v=spf1 ip4:1.2.3.4/032",
        "v=spf1 ip4:1.2.3.4//32",
        "v=spf1 ip4:2001:db8::1",
        "v=spf1 ip6:1.2.3.4",
        "v=spf1 ip6::CAFE::BABE",
        "v=spf1 ip6:::1/129",
        "v=spf1 ip6:::1//33",
        "v=spf1 foo",
        "v=spf1 redirect:example.com",
        "v=spf1 =all",
        "v=spf1 1up=foo",
        "v=spf1 foo=%abc",
        "v=spf1 redirect=",
        "v=spf1 redirect=-all",
        "v=spf1 exp=",
        "v=spf1 redirect=a.example.com redirect=b.example.com",
        "v=spf1 exp=a.example.com EXP=b.example.com",
        "v=spf1 a:%{c}.example.com",
        "v=spf1 a:ctrl.example.com\rptr",
        "v=spf1 ip4:192.0.2.5\n",
        "v=spf1 \x80"
        "a",
        "v=spf1 ip4:1.2.3.4 -all moo",
        "v=spf1 a:%{d}x",
    };
    for (auto text : bad)
        BOOST_TEST(!spf::parse_record(text).ok(), "accepted: " << text);
    BOOST_TEST(!spf::parse_record(std::string_view("v=spf1 a:foo.example.com\0", 25)).ok());
}

BOOST_AUTO_TEST_SUITE_END()
