// tests/unit/auth_results/parse_test.cpp — parse_authentication_results and
// parse_arc_authentication_results: RFC 8601 / draft-ietf-dmarc-rfc7601bis-06 Appendix B,
// comments, quoting, versions, unknown methods and ptypes, RFC 6577 hardfail, malformed input
// and the hostile-input limits.
#include "auth/results/authentication_results.hpp"

#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace arcrelay::auth::results;
using namespace arcrelay::auth::results::test;

namespace {

authentication_results parsed(std::string_view v) {
    auto r = parse_authentication_results(v);
    BOOST_TEST_REQUIRE(r.ok(), "parse failed: " << (r.ok() ? "" : r.error().message));
    return *r;
}

std::vector<authentication_results> appendix_case(std::string_view name) {
    static const auto cases = read_cases("rfc8601_appendix_b.txt");
    std::vector<authentication_results> out;
    for (const auto& f : header_fields(find_case(cases, name).lines)) {
        BOOST_TEST_REQUIRE(f.name == "Authentication-Results");
        out.push_back(parsed(f.value));
    }
    return out;
}

property prop(std::string ptype, std::string name, std::string value) {
    return property{std::move(ptype), std::move(name), std::move(value)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(parse_test)

// --- RFC 8601 Appendix B (tests/data/auth_results/rfc8601_appendix_b.txt) ---

BOOST_AUTO_TEST_CASE(appendix_b2_none_with_version) {
    auto ar = appendix_case("B.2").at(0);
    BOOST_TEST(ar.authserv_id == "example.org");
    BOOST_TEST(ar.version == std::optional<unsigned>(1));
    BOOST_TEST(ar.none);
    BOOST_TEST(ar.results.empty());
}

BOOST_AUTO_TEST_CASE(appendix_b3_spf) {
    auto ar = appendix_case("B.3").at(0);
    BOOST_TEST(ar.authserv_id == "example.com");
    BOOST_TEST(!ar.version);
    BOOST_TEST(!ar.none);
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].method == "spf");
    BOOST_TEST(ar.results[0].result == "pass");
    BOOST_TEST((ar.results[0].properties == std::vector{prop("smtp", "mailfrom", "example.net")}));
}

BOOST_AUTO_TEST_CASE(appendix_b4_two_fields_single_mta) {
    auto fields = appendix_case("B.4");
    BOOST_TEST_REQUIRE(fields.size() == 2u);
    const auto& a = fields[0].results;
    BOOST_TEST_REQUIRE(a.size() == 2u);
    BOOST_TEST(a[0].method == "auth");
    BOOST_TEST(a[0].comment == "cram-md5");
    BOOST_TEST((a[0].properties == std::vector{prop("smtp", "auth", "sender@example.net")}));
    BOOST_TEST(a[1].method == "spf");
    BOOST_TEST(a[1].result == "pass");
    const auto& b = fields[1].results;
    BOOST_TEST_REQUIRE(b.size() == 1u);
    BOOST_TEST(b[0].method == "iprev");
    BOOST_TEST((b[0].properties == std::vector{prop("policy", "iprev", "192.0.2.200")}));
}

BOOST_AUTO_TEST_CASE(appendix_b5_two_mtas) {
    auto fields = appendix_case("B.5");
    BOOST_TEST_REQUIRE(fields.size() == 2u);
    BOOST_TEST_REQUIRE(fields[0].results.size() == 1u);
    BOOST_TEST(fields[0].results[0].comment == "good signature");
    BOOST_TEST(
        (fields[0].results[0].properties == std::vector{prop("header", "d", "example.com")}));
    BOOST_TEST_REQUIRE(fields[1].results.size() == 2u);
    BOOST_TEST(fields[1].results[1].method == "spf");
    BOOST_TEST(fields[1].results[1].result == "fail");
}

BOOST_AUTO_TEST_CASE(appendix_b6_reasons_and_at_domain) {
    auto fields = appendix_case("B.6");
    BOOST_TEST_REQUIRE(fields.size() == 2u);
    const auto& r = fields[0].results;
    BOOST_TEST_REQUIRE(r.size() == 2u);
    BOOST_TEST(r[0].reason == std::optional<std::string>("good signature"));
    BOOST_TEST((r[0].properties == std::vector{prop("header", "i", "@mail-router.example.net")}));
    BOOST_TEST(r[1].result == "fail");
    BOOST_TEST(r[1].reason == std::optional<std::string>("bad signature"));
    BOOST_TEST((r[1].properties == std::vector{prop("header", "i", "@newyork.example.com")}));
    BOOST_TEST(fields[1].authserv_id == "example.net");
}

BOOST_AUTO_TEST_CASE(appendix_b7_comment_heavy) {
    auto ar = appendix_case("B.7").at(0);
    BOOST_TEST(ar.authserv_id == "foo.example.net");
    BOOST_TEST(ar.version == std::optional<unsigned>(1));
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    const auto& r = ar.results[0];
    BOOST_TEST(r.method == "dkim");
    BOOST_TEST(r.version == std::optional<unsigned>(1));
    BOOST_TEST(r.result == "fail");
    BOOST_TEST((r.properties == std::vector{prop("policy", "expired", "1362471462")}));
    // The resinfo text keeps every comment, folds removed.
    BOOST_TEST(r.text == "dkim (Because I like it) / 1 (One yay) = (wait for it) fail    policy "
                         "(A dot can go here) . (like that) expired    (this surprised me) = (as I "
                         "wasn't expecting it) 1362471462");
}

BOOST_AUTO_TEST_CASE(section_2_7_6_comment_after_value) {
    auto ar = appendix_case("2.7.6").at(0);
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].method == "foo");
    BOOST_TEST((ar.results[0].properties == std::vector{prop("bar", "baz", "blob")}));
    BOOST_TEST(ar.results[0].text == "foo=pass bar.baz=blob (2 of 3 tests OK)");
}

BOOST_AUTO_TEST_CASE(rfc7601_b5_sender_id) {
    auto ar = appendix_case("7601-B.5").at(0);
    BOOST_TEST_REQUIRE(ar.results.size() == 2u);
    BOOST_TEST(ar.results[0].method == "sender-id");
    BOOST_TEST((ar.results[0].properties == std::vector{prop("header", "from", "example.com")}));
}

// --- syntax beyond the examples ---

BOOST_AUTO_TEST_CASE(quoted_authserv_id_and_utf8) {
    BOOST_TEST(parsed("\"example.org\"; none").authserv_id == "example.org");
    BOOST_TEST(parsed("\"\xc3\xa9xampl\xc3\xa9.org\"; none").authserv_id ==
               "\xc3\xa9xampl\xc3\xa9.org");
    BOOST_TEST(parsed(" example.net (\xc3\xa9xampl\xc3\xa9); none").authserv_id == "example.net");
}

BOOST_AUTO_TEST_CASE(cfws_around_every_delimiter) {
    auto ar = parsed(" (c0) example.com (c1) ; (c2) spf (c3) = (c4) pass (c5) smtp (c6) . (c7) "
                     "mailfrom (c8) = (c9) example.net (c10) ");
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].comment == "c5");
    BOOST_TEST((ar.results[0].properties == std::vector{prop("smtp", "mailfrom", "example.net")}));
}

BOOST_AUTO_TEST_CASE(nested_comments_with_quoted_pairs) {
    auto ar = parsed("example.org (a (b (c) \\) d)); dkim=pass (x (y) \\( z) header.d=example.com");
    BOOST_TEST(ar.authserv_id == "example.org");
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].comment == "x (y) ( z");
}

BOOST_AUTO_TEST_CASE(semicolons_inside_comments_and_quotes) {
    auto ar = parsed("example.org; dkim=pass (a; b) reason=\"x;y\" header.d=example.com; spf=none");
    BOOST_TEST_REQUIRE(ar.results.size() == 2u);
    BOOST_TEST(ar.results[0].comment == "a; b");
    BOOST_TEST(ar.results[0].reason == std::optional<std::string>("x;y"));
    BOOST_TEST(ar.results[1].method == "spf");
    BOOST_TEST(ar.results[1].result == "none");
}

BOOST_AUTO_TEST_CASE(quoted_values_with_quoted_pairs_and_folds) {
    auto ar = parsed("example.org; dkim=fail reason=\"a \\\"quoted\\\" \\\\ word\";\r\n"
                     "\tdkim=pass reason=\"good\r\n signature\" header.d=\"github.com\"\r\n"
                     "\theader.i=\"dkim+foo-bar@example.github.com\"");
    BOOST_TEST_REQUIRE(ar.results.size() == 2u);
    BOOST_TEST(ar.results[0].reason == std::optional<std::string>("a \"quoted\" \\ word"));
    BOOST_TEST(ar.results[1].reason == std::optional<std::string>("good signature"));
    BOOST_TEST((ar.results[1].properties ==
                std::vector{prop("header", "d", "github.com"),
                            prop("header", "i", "dkim+foo-bar@example.github.com")}));
    BOOST_TEST(ar.results[1].text == "dkim=pass reason=\"good signature\" header.d=\"github.com\""
                                     "\theader.i=\"dkim+foo-bar@example.github.com\"");
}

BOOST_AUTO_TEST_CASE(addr_spec_forms) {
    auto ar = parsed("example.org; spf=pass smtp.mailfrom=user@example.com; dkim=pass "
                     "header.i=@example.com; spf=fail smtp.mailfrom=\"john doe\"@example.com; "
                     "dkim=pass header.i=\xe4\xba\x8c@example.jp");
    BOOST_TEST_REQUIRE(ar.results.size() == 4u);
    BOOST_TEST(ar.results[0].properties.at(0).value == "user@example.com");
    BOOST_TEST(ar.results[1].properties.at(0).value == "@example.com");
    BOOST_TEST(ar.results[2].properties.at(0).value == "\"john doe\"@example.com");
    BOOST_TEST(ar.results[3].properties.at(0).value == "\xe4\xba\x8c@example.jp");
}

BOOST_AUTO_TEST_CASE(lenient_bare_values_seen_in_the_wild) {
    auto ar = parsed("mx.example.net; dkim=pass header.b=gfT/i2H+; iprev=pass "
                     "policy.iprev=2001:db8::1; compauth=pass reason=109");
    BOOST_TEST_REQUIRE(ar.results.size() == 3u);
    BOOST_TEST(ar.results[0].properties.at(0).value == "gfT/i2H+");
    BOOST_TEST(ar.results[1].properties.at(0).value == "2001:db8::1");
    BOOST_TEST(ar.results[2].reason == std::optional<std::string>("109"));
}

BOOST_AUTO_TEST_CASE(version_tokens) {
    auto ar = parsed("example.org 1; dkim/1=pass; spf / 2 = pass");
    BOOST_TEST(ar.version == std::optional<unsigned>(1));
    BOOST_TEST_REQUIRE(ar.results.size() == 2u);
    BOOST_TEST(ar.results[0].version == std::optional<unsigned>(1));
    // An unknown method version is kept: RFC 8601 2.6 leaves ignoring it to the consumer.
    BOOST_TEST(ar.results[1].version == std::optional<unsigned>(2));
    // RFC 8601 2.6: an unknown authres-version stops parsing.
    BOOST_TEST(!parse_authentication_results("example.org 2; dkim=pass").ok());
}

BOOST_AUTO_TEST_CASE(unknown_methods_results_and_ptypes_are_kept) {
    auto ar = parsed("example.org; x-frob=maybe x-thing.color=blue; spf=pass "
                     "smtp.mailfrom=example.net body.hash=abc");
    BOOST_TEST_REQUIRE(ar.results.size() == 2u);
    BOOST_TEST(ar.results[0].method == "x-frob");
    BOOST_TEST(ar.results[0].result == "maybe");
    BOOST_TEST(ar.results[0].properties.at(0).ptype == "x-thing");
    BOOST_TEST(!is_registered_ptype(ar.results[0].properties.at(0).ptype));
    BOOST_TEST(is_registered_ptype(ar.results[1].properties.at(1).ptype));
    BOOST_TEST(is_registered_ptype("policy"));
    BOOST_TEST(is_registered_ptype("header"));
}

BOOST_AUTO_TEST_CASE(hardfail_and_case_folding) {
    // RFC 6577 4.2: "hardfail" is read as "fail"; keywords are lower-cased, values are not.
    auto ar = parsed("Example.ORG; SPF=HardFail smtp.MailFrom=User@Example.COM");
    BOOST_TEST(ar.authserv_id == "Example.ORG");
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].method == "spf");
    BOOST_TEST(ar.results[0].result == "fail");
    BOOST_TEST(
        (ar.results[0].properties == std::vector{prop("smtp", "mailfrom", "User@Example.COM")}));
    BOOST_TEST(ar.results[0].text == "SPF=HardFail smtp.MailFrom=User@Example.COM");
}

BOOST_AUTO_TEST_CASE(pre_rfc_property_names) {
    auto ar = parsed("example.org; arc=pass arc.oldest-pass=1 smtp.client-ip=192.0.2.1");
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST((ar.results[0].properties == std::vector{prop("header", "oldest-pass", "1"),
                                                        prop("smtp", "remote-ip", "192.0.2.1")}));
}

BOOST_AUTO_TEST_CASE(result_text_keeps_comments_before_and_after) {
    auto ar = parsed("example.org;\r\n (first)\r\n\tdkim=pass (1024-bit key)\r\n"
                     "\theader.i=@d1.example (last) ;");
    BOOST_TEST_REQUIRE(ar.results.size() == 1u);
    BOOST_TEST(ar.results[0].text ==
               "(first)\tdkim=pass (1024-bit key)\theader.i=@d1.example (last)");
    BOOST_TEST(ar.results[0].comment == "1024-bit key");
}

BOOST_AUTO_TEST_CASE(line_breaks_only_as_folds) {
    // RFC 5322 3.2.2: CRLF (or a bare LF) followed by WSP, or ending the value.
    BOOST_TEST(parsed("example.org;\n dkim=pass (a\n\tb) reason=\"c\r\n d\"\r\n").results.size() ==
               1u);
    const char* bad[] = {
        "example.org; dkim=fail\rreason=x",            // bare CR
        "example.org;\ndkim=pass",                     // LF not followed by WSP
        "example.org;\r\ndkim=pass",                   // CRLF not followed by WSP
        "example.org; dkim=pass (a\r\nb)",             // in a comment
        "example.org; dkim=pass reason=\"a\rb\"",      // in a quoted-string
        "example.org; dkim=pass reason=\"a\\\r\n b\"", // quoted-pair of CR
    };
    for (const char* v : bad)
        BOOST_TEST(!parse_authentication_results(v).ok(), "accepted: " << v);
}

BOOST_AUTO_TEST_CASE(trailing_semicolon_is_tolerated) {
    auto ar = parsed("example.com;\r\n spf=pass smtp.mailfrom=example.net;\r\n");
    BOOST_TEST(ar.results.size() == 1u);
    auto empty = parsed("example.com;");
    BOOST_TEST(empty.results.empty());
    BOOST_TEST(!empty.none);
}

BOOST_AUTO_TEST_CASE(malformed_fields_are_errors) {
    const char* bad[] = {
        "",                                           // nothing
        "   (only a comment)  ",                      // no authserv-id
        "; dkim=pass",                                // missing authserv-id
        "dkim=pass header.d=example.com",             // missing authserv-id
        "\"\"; none",                                 // empty authserv-id
        "example.org",                                // no result at all
        "example.org dkim=pass",                      // no ';'
        "example.org; dkim=pass reason=\"bad",        // unterminated quoted-string
        "example.org; dkim=pass (bad",                // unterminated comment
        "example.org; dkim=pass (bad\\",              // quoted-pair at the end
        "\"example.org; none",                        // unterminated quoted authserv-id
        "example.org; =pass",                         // empty method
        "example.org; -=pass",                        // keyword ending in '-'
        "example.org; dkim=pass- header.d=x",         // result ending in '-'
        "example.org; dkim=pass header-.d=x",         // ptype ending in '-'
        "example.org; dkim=pass header.d-=x",         // property ending in '-'
        "example.org;; dkim=pass",                    // empty resinfo
        "example.org; dkim",                          // no "="
        "example.org; dkim=",                         // no result
        "example.org; dkim=pass header.d=",           // no value
        "example.org; dkim=pass header.=x",           // no property
        "example.org; dkim=pass header=x",            // no '.'
        "example.org; dkim=pass header.d=x reason=y", // reason after a property
        "example.org; dkim=pass reason=a reason=b",   // two reasons
        "example.org; dkim/=pass",                    // empty method-version
        "example.org; dkim/1234567890=pass",          // method-version too long
        "example.org; none; dkim=pass",               // none beside results
        "example.org; dkim=pass; none",               // none beside results
        "example.org; dkim=pass @x",                  // stray octet
        "example.org; dkim=pass header.d=\"x\"@",     // '@' without a domain
    };
    for (const char* v : bad) {
        auto r = parse_authentication_results(v);
        BOOST_TEST(!r.ok(), "accepted: " << v);
        if (!r.ok()) BOOST_TEST(!r.error().temporary());
    }
}

// --- limits ---

BOOST_AUTO_TEST_CASE(max_field_size_is_the_boundary) {
    std::string head = "example.org; dkim=pass (";
    std::string v = head + std::string(max_field_size - head.size() - 1, 'a') + ")";
    BOOST_TEST_REQUIRE(v.size() == max_field_size);
    BOOST_TEST(parse_authentication_results(v).ok());
    v.insert(head.size(), "a");
    BOOST_TEST(!parse_authentication_results(v).ok());
    BOOST_TEST(!parse_arc_authentication_results("i=1; " + v).ok());
}

BOOST_AUTO_TEST_CASE(one_megabyte_value_fails_fast) {
    std::string v = "example.org; dkim=pass reason=\"" + std::string(1 << 20, 'x') + "\"";
    auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!parse_authentication_results(v).ok());
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(1)));
}

BOOST_AUTO_TEST_CASE(comment_depth_is_bounded) {
    auto nested = [](std::size_t depth) {
        return "example.org; dkim=pass " + std::string(depth, '(') + std::string(depth, ')');
    };
    BOOST_TEST(parse_authentication_results(nested(max_comment_depth)).ok());
    BOOST_TEST(!parse_authentication_results(nested(max_comment_depth + 1)).ok());
    auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!parse_authentication_results(nested(10000)).ok());
    BOOST_TEST(!parse_authentication_results(std::string(10000, '(') + "example.org; none").ok());
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(1)));
}

BOOST_AUTO_TEST_CASE(result_count_is_bounded) {
    auto field = [](std::size_t n) {
        std::string v = "example.org";
        for (std::size_t i = 0; i < n; ++i)
            v += "; dkim=pass";
        return v;
    };
    BOOST_TEST(parsed(field(max_results)).results.size() == max_results);
    BOOST_TEST(!parse_authentication_results(field(max_results + 1)).ok());
}

BOOST_AUTO_TEST_CASE(many_properties_parse_in_linear_time) {
    std::string v = "example.org; dkim=pass";
    while (v.size() + 16 < max_field_size)
        v += " header.d=a.example";
    auto start = std::chrono::steady_clock::now();
    auto ar = parsed(v);
    BOOST_TEST(ar.results.at(0).properties.size() > 3000u);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(1)));
}

// --- ARC-Authentication-Results (RFC 8617 4.1.1) ---

BOOST_AUTO_TEST_CASE(arc_instance_then_payload) {
    auto r = parse_arc_authentication_results("i=1; lists.example.org; arc=none;\r\n"
                                              "    spf=pass smtp.mfrom=jqd@d1.example");
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r->instance == 1u);
    BOOST_TEST(r->payload.authserv_id == "lists.example.org");
    BOOST_TEST(r->payload.results.size() == 2u);
    auto spaced = parse_arc_authentication_results(" i = 50 ; example.org; none");
    BOOST_TEST_REQUIRE(spaced.ok());
    BOOST_TEST(spaced->instance == 50u);
    BOOST_TEST(spaced->payload.none);
}

BOOST_AUTO_TEST_CASE(arc_malformed_instances) {
    const char* bad[] = {"i=0; example.org; none",   "i=51; example.org; none",
                         "i=123; example.org; none", "i=; example.org; none",
                         "example.org; none",        "i=1 example.org; none",
                         "I=1; example.org; none",   "i=1; ; dkim=pass"};
    for (const char* v : bad)
        BOOST_TEST(!parse_arc_authentication_results(v).ok(), "accepted: " << v);
}

BOOST_AUTO_TEST_CASE(authserv_id_alone) {
    BOOST_TEST(*parse_authserv_id("  (c) \"a b\" rest is ignored (") == "a b");
    BOOST_TEST(*parse_authserv_id("example.org;(unterminated") == "example.org");
    BOOST_TEST(!parse_authserv_id("(unterminated example.org").ok());
    BOOST_TEST(!parse_authserv_id(";").ok());
}

BOOST_AUTO_TEST_SUITE_END()
