// tests/unit/auth_results/format_test.cpp — format_authentication_results: layout, quoting
// (RFC 2045 token / addr-spec / quoted-string), comments, folding within 78 columns, and round
// trips parse(format(x)) == x.
#include "auth/results/aar.hpp"
#include "auth/results/authentication_results.hpp"

#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <stdexcept>
#include <string>

using namespace arcrelay::auth::results;
using namespace arcrelay::auth::results::test;

namespace {

method_result dkim_pass(std::string domain) {
    method_result r;
    r.method = "dkim";
    r.result = "pass";
    r.properties = {{"header", "d", domain}, {"header", "i", "@" + domain}};
    return r;
}

authentication_results sample() {
    authentication_results ar;
    ar.authserv_id = "lists.example.org";
    ar.results = {
        dkim_pass("example.com"),
        {.method = "spf",
         .result = "fail",
         .properties = {{"smtp", "mailfrom", "bounce+x=y@example.net"}},
         .comment = "lists.example.org: 192.0.2.1 is not (sic) allowed"},
        {.method = "iprev",
         .result = "pass",
         .reason = "ptr \"mail.example.net\" matches",
         .properties = {{"policy", "iprev", "2001:db8::25"}}},
        {.method = "x-local",
         .version = 2,
         .result = "neutral",
         .properties = {{"x-ptype", "empty", ""}, {"header", "from", "back\\slash"}}},
    };
    return ar;
}

authentication_results reparsed(const std::string& v) {
    auto r = parse_authentication_results(v);
    BOOST_TEST_REQUIRE(r.ok(), "cannot parse own output: " << v);
    return *r;
}

// Every line within max_line_length (the first after `name_length` columns), continuation
// lines starting with whitespace.
void check_folding(const std::string& v, std::size_t name_length) {
    auto lines = value_lines(v);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::size_t width = lines[i].size() + (i == 0 ? name_length : 0);
        BOOST_TEST(width <= max_line_length, "line " << i << " too long: " << lines[i]);
        if (i > 0) BOOST_TEST((lines[i][0] == ' ' || lines[i][0] == '\t'));
        BOOST_TEST(lines[i].find_first_not_of(" \t") != std::string::npos);
    }
    BOOST_TEST((v.find('\n') == std::string::npos || v.find("\r\n") != std::string::npos));
}

std::string unfolded(std::string v) {
    std::string out;
    for (char c : v)
        if (c != '\r' && c != '\n') out.push_back(c);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(format_test)

BOOST_AUTO_TEST_CASE(simple_layout) {
    authentication_results ar;
    ar.authserv_id = "example.org";
    ar.results.push_back(dkim_pass("example.com"));
    BOOST_TEST(format_authentication_results(ar, 0) ==
               "example.org; dkim=pass header.d=example.com header.i=@example.com");
    // After "Authentication-Results: " the same text needs a fold.
    BOOST_TEST(format_authentication_results(ar) ==
               "example.org; dkim=pass header.d=example.com\r\n header.i=@example.com");
}

BOOST_AUTO_TEST_CASE(none_when_no_results) {
    authentication_results ar;
    ar.authserv_id = "example.org";
    BOOST_TEST(format_authentication_results(ar) == "example.org; none");
    ar.version = 1;
    BOOST_TEST(format_authentication_results(ar) == "example.org 1; none");
}

BOOST_AUTO_TEST_CASE(quoting_rules) {
    auto v = unfolded(format_authentication_results(sample()));
    BOOST_TEST(v == "lists.example.org; dkim=pass header.d=example.com header.i=@example.com; "
                    "spf=fail (lists.example.org: 192.0.2.1 is not \\(sic\\) allowed) "
                    "smtp.mailfrom=bounce+x=y@example.net; iprev=pass "
                    "reason=\"ptr \\\"mail.example.net\\\" matches\" "
                    "policy.iprev=\"2001:db8::25\"; x-local/2=neutral x-ptype.empty=\"\" "
                    "header.from=\"back\\\\slash\"");
}

BOOST_AUTO_TEST_CASE(authserv_id_is_quoted_when_not_a_token) {
    authentication_results ar;
    ar.authserv_id = "\xc3\xa9xampl\xc3\xa9.org";
    BOOST_TEST(format_authentication_results(ar) == "\"\xc3\xa9xampl\xc3\xa9.org\"; none");
    ar.authserv_id = "a b";
    BOOST_TEST(format_authentication_results(ar) == "\"a b\"; none");
}

BOOST_AUTO_TEST_CASE(control_characters_become_spaces) {
    authentication_results ar;
    ar.authserv_id = "example.org";
    method_result r = dkim_pass("example.com");
    r.reason = "line\r\nbreak";
    r.comment = "tab\tkept\x01";
    ar.results.push_back(r);
    auto v = format_authentication_results(ar);
    BOOST_TEST(v.find('\x01') == std::string::npos);
    BOOST_TEST(reparsed(v).results.at(0).reason == std::optional<std::string>("line  break"));
    BOOST_TEST(reparsed(v).results.at(0).comment == "tab\tkept ");
}

BOOST_AUTO_TEST_CASE(non_keywords_are_a_broken_invariant) {
    authentication_results ar;
    ar.authserv_id = "example.org";
    ar.results.push_back(dkim_pass("example.com"));
    ar.results[0].method = "dk im";
    BOOST_CHECK_THROW(format_authentication_results(ar), std::invalid_argument);
    ar.results[0].method = "dkim";
    ar.results[0].properties[0].ptype = "";
    BOOST_CHECK_THROW(format_authentication_results(ar), std::invalid_argument);
    ar.results[0].properties[0].ptype = "header";
    ar.results[0].result = "pass-";
    BOOST_CHECK_THROW(format_authentication_results(ar), std::invalid_argument);
    ar.results.clear();
    ar.authserv_id = "";
    BOOST_CHECK_THROW(format_authentication_results(ar), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(round_trip_of_built_values) {
    auto x = sample();
    BOOST_TEST((reparsed(format_authentication_results(x)) == x));
    authentication_results none;
    none.authserv_id = "example.org";
    none.none = true;
    BOOST_TEST((reparsed(format_authentication_results(none)) == none));
}

BOOST_AUTO_TEST_CASE(round_trip_of_every_appendix_b_field) {
    std::size_t n = 0;
    for (const auto& c : read_cases("rfc8601_appendix_b.txt")) {
        for (const auto& f : header_fields(c.lines)) {
            auto first = reparsed(f.value);
            auto written = format_authentication_results(first);
            BOOST_TEST((reparsed(written) == first), c.name << ": " << written);
            check_folding(written, authentication_results_name_length);
            ++n;
        }
    }
    BOOST_TEST(n == 11u);
}

BOOST_AUTO_TEST_CASE(folding_never_passes_78_columns) {
    auto ar = sample();
    for (int i = 0; i < 20; ++i)
        ar.results.push_back(dkim_pass(fmt::format("d{}.subdomain.example.com", i)));
    ar.results[1].comment = std::string(200, 'c') + " words after a long one";
    for (std::size_t name_length : {std::size_t{0}, authentication_results_name_length,
                                    arc_authentication_results_name_length, std::size_t{60}}) {
        auto v = format_authentication_results(ar, name_length);
        BOOST_TEST(v.find("\r\n") != std::string::npos);
        // the 200-octet word is the only thing allowed past the limit
        auto lines = value_lines(v);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].find(std::string(200, 'c')) != std::string::npos) continue;
            std::size_t width = lines[i].size() + (i == 0 ? name_length : 0);
            BOOST_TEST(width <= max_line_length, "line " << i << ": " << lines[i]);
            if (i > 0) BOOST_TEST(lines[i][0] == ' ');
        }
        BOOST_TEST(unfolded(v) == unfolded(format_authentication_results(ar, 1000)));
        BOOST_TEST((reparsed(v) == ar));
    }
}

BOOST_AUTO_TEST_CASE(folding_keeps_quoted_spaces_exact) {
    authentication_results ar;
    ar.authserv_id = "example.org";
    method_result r = dkim_pass("example.com");
    r.reason = "a reason  with  double  spaces that goes on and on past the end of the line";
    ar.results.push_back(r);
    auto v = format_authentication_results(ar);
    check_folding(v, authentication_results_name_length);
    BOOST_TEST(reparsed(v).results.at(0).reason == r.reason);
}

BOOST_AUTO_TEST_CASE(no_fold_inside_a_quoted_pair) {
    // A parsed reason "x\ y..." keeps its quoted-pair in the resinfo text; folding there would
    // leave a backslash before CRLF.
    std::string v = "example.org; dkim=pass reason=\"" + std::string(70, 'x') + "\\ y\"";
    auto ar = reparsed(v);
    std::string aar = format_aar_value(1, "example.org", ar.results);
    BOOST_TEST(aar.find("\\\r\n") == std::string::npos);
    BOOST_TEST(parse_arc_authentication_results(aar).ok());
}

BOOST_AUTO_TEST_CASE(method_result_formatter) {
    auto r = dkim_pass("example.com");
    r.comment = "good";
    BOOST_TEST(fmt::format("{}", r) ==
               "dkim=pass (good) header.d=example.com header.i=@example.com");
}

BOOST_AUTO_TEST_SUITE_END()
