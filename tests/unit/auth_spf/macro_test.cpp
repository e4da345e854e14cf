// tests/unit/auth_spf/macro_test.cpp — SPF macro strings (RFC 7208 7): the examples of
// RFC 7208 7.4, transformers, escapes, URL-escaping and the syntax errors.
#include "auth/spf/macro.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace spf = arcrelay::auth::spf;

namespace {

// RFC 7208 7.4: sender strong-bad@email.example.com, <domain> email.example.com.
spf::macro_values example_values(std::string_view ip) {
    spf::macro_values v;
    v.sender = "strong-bad@email.example.com";
    v.local_part = "strong-bad";
    v.sender_domain = "email.example.com";
    v.domain = "email.example.com";
    v.ip = *arcrelay::parse_ip_address(ip);
    v.helo = "mx.example.org";
    v.receiver = "relay.example.net";
    v.timestamp = 1234567890;
    return v;
}

std::string expand(std::string_view text, std::string_view ip = "192.0.2.3",
                   spf::macro_context context = spf::macro_context::domain_spec) {
    auto parsed = spf::parse_macro_string(text, context);
    BOOST_REQUIRE_MESSAGE(parsed, "cannot parse " << text);
    return spf::expand_macro_string(*parsed, example_values(ip)).text;
}

bool parses(std::string_view text, spf::macro_context context = spf::macro_context::domain_spec) {
    return spf::parse_macro_string(text, context).ok();
}

} // namespace

BOOST_AUTO_TEST_SUITE(macro_test)

BOOST_AUTO_TEST_CASE(rfc7208_section_7_4_examples) {
    BOOST_TEST(expand("%{s}") == "strong-bad@email.example.com");
    BOOST_TEST(expand("%{o}") == "email.example.com");
    BOOST_TEST(expand("%{d}") == "email.example.com");
    BOOST_TEST(expand("%{d4}") == "email.example.com");
    BOOST_TEST(expand("%{d3}") == "email.example.com");
    BOOST_TEST(expand("%{d2}") == "example.com");
    BOOST_TEST(expand("%{d1}") == "com");
    BOOST_TEST(expand("%{dr}") == "com.example.email");
    BOOST_TEST(expand("%{d2r}") == "example.email");
    BOOST_TEST(expand("%{l}") == "strong-bad");
    BOOST_TEST(expand("%{l-}") == "strong.bad");
    BOOST_TEST(expand("%{lr}") == "strong-bad");
    BOOST_TEST(expand("%{lr-}") == "bad.strong");
    BOOST_TEST(expand("%{l1r-}") == "strong");
    BOOST_TEST(expand("%{ir}.%{v}._spf.%{d2}") == "3.2.0.192.in-addr._spf.example.com");
    BOOST_TEST(expand("%{lr-}.lp._spf.%{d2}") == "bad.strong.lp._spf.example.com");
    BOOST_TEST(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}") ==
               "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
    BOOST_TEST(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}") ==
               "3.2.0.192.in-addr.strong.lp._spf.example.com");
    BOOST_TEST(expand("%{d2}.trusted-domains.example.net") ==
               "example.com.trusted-domains.example.net");
    BOOST_TEST(
        expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01") ==
        "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com");
}

BOOST_AUTO_TEST_CASE(escapes_and_url_encoding) {
    // RFC 7208 7.1: %% %_ %-.
    BOOST_TEST(expand("a%%b%_c%-d") == "a%b c%20d");
    // RFC 7208 7.3: upper-case letters are URL-escaped (RFC 3986 unreserved stay).
    BOOST_TEST(expand("%{S}") == "strong-bad%40email.example.com");
    BOOST_TEST(expand("%{L}") == "strong-bad");
    // Several delimiters, and any delimiter rejoined with ".".
    BOOST_TEST(expand("%{s-.}") == "strong.bad@email.example.com");
    BOOST_TEST(expand("%{s2r-.}") == "bad@email.strong");
    BOOST_TEST(!parses("%{s@}")); // "@" is no delimiter
    // A part count larger than the parts keeps them all, and is clamped, not overflowed.
    BOOST_TEST(expand("%{d99999999999999999999}") == "email.example.com");
    BOOST_TEST(expand("%{h}") == "mx.example.org");
    BOOST_TEST(expand("%{v}", "2001:db8::1") == "ip6");
}

BOOST_AUTO_TEST_CASE(explanation_only_letters) {
    using spf::macro_context;
    for (std::string_view letter : {"%{c}", "%{r}", "%{t}"}) {
        BOOST_TEST(!parses(letter), letter);
        BOOST_TEST(parses(letter, macro_context::explanation), letter);
    }
    BOOST_TEST(expand("%{c} %{r} %{t}", "192.0.2.3", macro_context::explanation) ==
               "192.0.2.3 relay.example.net 1234567890");
    BOOST_TEST(expand("%{c}", "2001:DB8::CB01", macro_context::explanation) == "2001:db8::cb01");
    // Spaces only in explanation text.
    BOOST_TEST(!parses("a b"));
    BOOST_TEST(parses("a b", macro_context::explanation));
}

BOOST_AUTO_TEST_CASE(validated_domain_is_lazy) {
    auto parsed = spf::parse_macro_string("%{d}", spf::macro_context::domain_spec);
    BOOST_REQUIRE(parsed);
    auto values = example_values("192.0.2.3");
    int calls = 0;
    values.validated_domain = [&] {
        ++calls;
        return std::string("mx.example.com");
    };
    spf::expand_macro_string(*parsed, values);
    BOOST_TEST(calls == 0);
    auto p = spf::parse_macro_string("%{p}.%{p2}", spf::macro_context::domain_spec);
    BOOST_REQUIRE(p);
    BOOST_TEST(spf::expand_macro_string(*p, values).text == "mx.example.com.example.com");
    BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(local_part_use_is_reported) {
    auto values = example_values("192.0.2.3");
    for (std::string_view text : {"%{l}", "%{s}", "x.%{L1}.example.com"}) {
        auto parsed = spf::parse_macro_string(text, spf::macro_context::domain_spec);
        BOOST_REQUIRE(parsed);
        BOOST_TEST(spf::expand_macro_string(*parsed, values).used_local_part, text);
    }
    for (std::string_view text : {"%{d}", "%{o}.%{i}", "%%l"}) {
        auto parsed = spf::parse_macro_string(text, spf::macro_context::domain_spec);
        BOOST_REQUIRE(parsed);
        BOOST_TEST(!spf::expand_macro_string(*parsed, values).used_local_part, text);
    }
}

BOOST_AUTO_TEST_CASE(syntax_errors) {
    const std::string_view bad[] = {
        "%",    "%x",      "foo%(ir)", "%{",     "%{d", "%{d2", "%{d0}", "%{d00}", "%{x}",
        "%{a}", "%{d2rr}", "%{d!}",    "%{dr2}", "%{}", "\x80", "a\tb",  "%{d }",
    };
    for (auto text : bad)
        BOOST_TEST(!parses(text), "accepted: " << text);
    BOOST_TEST(!parses("caf\xc3\xa9", spf::macro_context::explanation));
    for (std::string_view good : {"", "%{D}", "%{d2R}", "%{l.-+,/_=}", "%{i10r.}", "a}b{c"})
        BOOST_TEST(parses(good), "rejected: " << good);
}

BOOST_AUTO_TEST_CASE(ends_with_macro) {
    BOOST_TEST(spf::parse_macro_string("%{d}", spf::macro_context::domain_spec)->ends_with_macro);
    BOOST_TEST(spf::parse_macro_string("x%%", spf::macro_context::domain_spec)->ends_with_macro);
    BOOST_TEST(
        !spf::parse_macro_string("%{d}.com", spf::macro_context::domain_spec)->ends_with_macro);
}

BOOST_AUTO_TEST_SUITE_END()
