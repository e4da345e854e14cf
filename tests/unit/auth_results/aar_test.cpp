// tests/unit/auth_results/aar_test.cpp — AR consolidation into the ARC-Authentication-Results
// value (RFC 8617 4.1.1), checked against every signing test of the ValiMail ARC suite
// (tests/data/auth_results/arc_sign_aar.txt).
#include "auth/results/aar.hpp"

#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace arcrelay::auth::results;
using namespace arcrelay::auth::results::test;

namespace {

struct sign_case {
    std::string name;
    std::string srv_id;
    std::vector<std::string> fields; // Authentication-Results values, message order
    std::vector<std::string> aar;    // expected AAR lines as in the YAML
};

sign_case to_sign_case(const data_case& c) {
    sign_case s{c.name, {}, {}, {}};
    std::vector<std::string> head;
    bool in_aar = false;
    for (const std::string& l : c.lines) {
        if (l == "--- AAR")
            in_aar = true;
        else
            (in_aar ? s.aar : head).push_back(l);
    }
    for (const auto& f : header_fields(head)) {
        if (f.name == "srv-id")
            s.srv_id = f.value.substr(1);
        else if (f.name == "Authentication-Results")
            s.fields.push_back(f.value);
    }
    return s;
}

std::string rstrip(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.pop_back();
    return s;
}

std::string join(const std::vector<std::string>& lines, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += (i ? std::string(sep) : "") + lines[i];
    return out;
}

// RFC 6376 3.4.2 relaxed header canonicalization of a value: unfold, WSP runs to one SP,
// no WSP at either end.
std::string relaxed(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == '\r' || c == '\n') continue;
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::vector<method_result> collected(const std::vector<std::string>& fields, std::string_view id) {
    std::vector<std::string_view> views(fields.begin(), fields.end());
    auto r = collect_results(views, id);
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
    return *r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(aar_test)

BOOST_AUTO_TEST_CASE(valimail_signing_suite_aar_text) {
    auto cases = read_cases("arc_sign_aar.txt");
    BOOST_TEST(cases.size() == 16u);
    for (const auto& c : cases) {
        auto s = to_sign_case(c);
        BOOST_TEST_REQUIRE(!s.aar.empty());
        auto expected_arc = parse_arc_authentication_results(join(s.aar, "\r\n "));
        BOOST_TEST_REQUIRE(expected_arc.ok(), s.name);
        auto results = collected(s.fields, s.srv_id);
        auto got = format_aar_value(expected_arc->instance, s.srv_id, results);

        // Byte for byte: the YAML lines, trailing blanks dropped, joined with CRLF TAB.
        std::vector<std::string> lines;
        for (const auto& l : s.aar)
            lines.push_back(rstrip(l));
        BOOST_TEST(got == join(lines, "\r\n\t"), s.name);
        // What the ARC-Seal signs: the same under relaxed canonicalization.
        BOOST_TEST(relaxed(got) == relaxed(join(s.aar, "\r\n ")), s.name);
        // And it reads back as the same results.
        auto back = parse_arc_authentication_results(got);
        BOOST_TEST_REQUIRE(back.ok(), s.name);
        BOOST_TEST((back->payload.results == results), s.name);
    }
}

BOOST_AUTO_TEST_CASE(collect_skips_other_ids_and_keeps_order) {
    auto r = collected({"lists.example.org; arc=none", "nobody.example.org; something=ignored",
                        "LISTS.example.org; spf=pass smtp.mfrom=a@b.example; dmarc=pass",
                        "lists.example.org; none", "sub.lists.example.org; dkim=fail"},
                       "lists.example.org");
    BOOST_TEST_REQUIRE(r.size() == 3u);
    BOOST_TEST(r[0].method == "arc");
    BOOST_TEST(r[1].method == "spf");
    BOOST_TEST(r[2].method == "dmarc");
    BOOST_TEST(collected({"nobody.example.org; dkim=pass"}, "lists.example.org").empty());
}

BOOST_AUTO_TEST_CASE(collect_rejects_broken_fields_of_ours) {
    std::vector<std::string_view> fields{"lists.example.org; dkim=pass (unterminated"};
    BOOST_TEST(!collect_results(fields, "lists.example.org").ok());
    std::vector<std::string> many(max_results + 1, "lists.example.org; dkim=pass");
    std::vector<std::string_view> views(many.begin(), many.end());
    BOOST_TEST(!collect_results(views, "lists.example.org").ok());
    views.pop_back();
    BOOST_TEST(collect_results(views, "lists.example.org").ok());
}

BOOST_AUTO_TEST_CASE(aar_without_results_says_none) {
    BOOST_TEST(format_aar_value(1, "lists.example.org", {}) == "i=1; lists.example.org; none");
}

BOOST_AUTO_TEST_CASE(results_built_in_code_are_formatted) {
    std::vector<method_result> r{{.method = "arc", .result = "pass"},
                                 {.method = "dmarc", .result = "fail"}};
    r[0].properties = {{"header", "oldest-pass", "0"}, {"smtp", "remote-ip", "192.0.2.1"}};
    BOOST_TEST(format_aar_value(2, "lists.example.org", r) ==
               "i=2; lists.example.org; arc=pass\r\n"
               " header.oldest-pass=0 smtp.remote-ip=192.0.2.1;\r\n\tdmarc=fail");
}

BOOST_AUTO_TEST_CASE(long_result_lines_are_folded) {
    std::vector<method_result> r{{.method = "arc", .result = "pass"},
                                 {.method = "dkim", .result = "pass"}};
    for (int i = 0; i < 8; ++i)
        r[0].properties.push_back({"header", "d", "a-rather-long-domain.example.com"});
    r[1].properties = r[0].properties;
    auto v = format_aar_value(50, "lists.example.org", r);
    auto lines = value_lines(v);
    BOOST_TEST(lines.size() > 4u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::size_t width = lines[i].size() + (i ? 0 : arc_authentication_results_name_length);
        BOOST_TEST(width <= max_line_length, lines[i]);
    }
    auto back = parse_arc_authentication_results(v);
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST(back->instance == 50u);
    BOOST_TEST((back->payload.results == r));
}

BOOST_AUTO_TEST_CASE(first_result_moves_to_a_new_line_after_a_long_authserv_id) {
    std::string id(40, 'a');
    std::vector<method_result> r{{.method = "dkim", .result = "pass"}};
    BOOST_TEST(format_aar_value(1, id, r) == "i=1; " + id + ";\r\n dkim=pass");
    BOOST_TEST(format_aar_value(1, id, r, 0) == "i=1; " + id + "; dkim=pass");
}

BOOST_AUTO_TEST_CASE(instance_outside_range_is_a_broken_invariant) {
    BOOST_CHECK_THROW(format_aar_value(0, "lists.example.org", {}), std::invalid_argument);
    BOOST_CHECK_THROW(format_aar_value(max_arc_instance + 1, "lists.example.org", {}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(format_aar_value(1, "", {}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
