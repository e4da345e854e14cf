// tests/unit/auth_dmarc/record_test.cpp — DMARC record parsing (RFC 7489 6.3, 6.4, 6.6.3).
#include "auth/dmarc/record.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::auth::dmarc;

namespace {

record parse_ok(std::string_view text) {
    auto r = parse_record(text);
    BOOST_TEST_REQUIRE(r.ok(), text << ": " << (r.ok() ? "" : r.error().message));
    return std::move(r).value();
}

std::string parse_error(std::string_view text) {
    auto r = parse_record(text);
    BOOST_TEST_REQUIRE(!r.ok(), text << " parsed");
    BOOST_TEST(!r.error().temporary());
    return r.error().message;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// RFC 9989 4.7 defaults of every tag but p, sp and np.
void check_optional_defaults(const record& r) {
    BOOST_TEST((r.adkim == alignment_mode::relaxed));
    BOOST_TEST((r.aspf == alignment_mode::relaxed));
    BOOST_TEST(!r.testing);
    BOOST_TEST(!r.psd.has_value());
    BOOST_TEST(r.fo == "0");
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_test)

BOOST_AUTO_TEST_CASE(minimal_record_takes_defaults) {
    const auto r = parse_ok("v=DMARC1; p=reject");
    BOOST_TEST((r.p == policy::reject));
    BOOST_TEST(!r.sp.has_value());
    BOOST_TEST(!r.np.has_value());
    BOOST_TEST((r.subdomain_policy() == policy::reject));
    BOOST_TEST((r.nonexistent_policy() == policy::reject));
    check_optional_defaults(r);
    BOOST_TEST(!r.p_from_rua);
    BOOST_TEST(r.discarded.empty());
}

BOOST_AUTO_TEST_CASE(every_tag_is_read) {
    const auto r = parse_ok("v=DMARC1; p=quarantine; sp=reject; np=none; adkim=s; aspf=s; "
                            "t=y; psd=n; rua=mailto:a@example.com,mailto:b@example.net!10m; "
                            "ruf=mailto:f@example.com; fo=1:d");
    BOOST_TEST((r.p == policy::quarantine));
    BOOST_TEST((r.sp == policy::reject));
    BOOST_TEST((r.np == policy::none));
    BOOST_TEST((r.subdomain_policy() == policy::reject));
    BOOST_TEST((r.nonexistent_policy() == policy::none));
    BOOST_TEST((r.adkim == alignment_mode::strict));
    BOOST_TEST((r.aspf == alignment_mode::strict));
    BOOST_TEST(r.testing);
    BOOST_TEST((r.psd == false));
    BOOST_TEST(r.rua.size() == 2u);
    BOOST_TEST(r.rua[1] == "mailto:b@example.net!10m");
    BOOST_TEST(r.ruf.size() == 1u);
    BOOST_TEST(r.fo == "1:d");
    BOOST_TEST(r.discarded.empty());
}

BOOST_AUTO_TEST_CASE(np_defaults_to_sp) {
    const auto r = parse_ok("v=DMARC1; p=reject; sp=quarantine");
    BOOST_TEST((r.nonexistent_policy() == policy::quarantine));
}

BOOST_AUTO_TEST_CASE(names_and_keywords_are_case_insensitive_and_spacing_is_free) {
    const auto r = parse_ok("v = DMARC1 ;\tP = Reject ; ADKIM=S; psd=Y;");
    BOOST_TEST((r.p == policy::reject));
    BOOST_TEST((r.adkim == alignment_mode::strict));
    BOOST_TEST((r.psd == true));
}

BOOST_AUTO_TEST_CASE(psd_u_means_unset) {
    BOOST_TEST(!parse_ok("v=DMARC1; p=none; psd=u").psd.has_value());
}

BOOST_AUTO_TEST_CASE(unknown_tags_are_ignored) {
    const auto r = parse_ok("v=DMARC1; p=none; future=1; x_y=z");
    BOOST_TEST((r.p == policy::none));
    BOOST_TEST(r.discarded.empty());
}

BOOST_AUTO_TEST_CASE(version_must_be_first_and_exact) {
    BOOST_TEST(is_dmarc_record("v=DMARC1; p=none"));
    BOOST_TEST(is_dmarc_record("v=DMARC1"));
    BOOST_TEST(!is_dmarc_record("p=none; v=DMARC1"));
    BOOST_TEST(!is_dmarc_record("v=DMARC2; p=none"));
    BOOST_TEST(!is_dmarc_record("v=dmarc1; p=none")); // RFC 7489 6.4: %x44 %x4d ...
    BOOST_TEST(!is_dmarc_record("v=spf1 -all"));
    BOOST_TEST(contains(parse_error("p=none; v=DMARC1"), "v=DMARC1"));
}

BOOST_AUTO_TEST_CASE(policy_errors_are_precise) {
    BOOST_TEST(contains(parse_error("v=DMARC1"), "p: missing"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=block"), "p: invalid policy \"block\""));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=none; sp=maybe"), "sp: invalid policy"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=none; np="), "np: invalid policy"));
}

BOOST_AUTO_TEST_CASE(tag_list_errors_are_precise) {
    BOOST_TEST(contains(parse_error("v=DMARC1; p"), "has no '='"));
    BOOST_TEST(contains(parse_error("v=DMARC1; =none"), "invalid tag name"));
    BOOST_TEST(contains(parse_error("v=DMARC1; 1p=none"), "invalid tag name"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=none; p=reject"), "duplicate tag 'p'"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=none; P=reject"), "duplicate tag p"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=none; v=DMARC1"), "duplicate tag 'v'"));
    BOOST_TEST(contains(parse_error("v=DMARC1;; p=none"), "empty tag-spec"));
    BOOST_TEST(contains(parse_error("v=DMARC1; p=no\x01ne"), "invalid character"));
}

BOOST_AUTO_TEST_CASE(bad_policy_with_valid_rua_reads_as_p_none) {
    // RFC 9989 4.10.1.
    const auto missing = parse_ok("v=DMARC1; rua=mailto:d@example.com");
    BOOST_TEST((missing.p == policy::none));
    BOOST_TEST(missing.p_from_rua);
    const auto bad_sp = parse_ok("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com");
    BOOST_TEST((bad_sp.p == policy::none));
    BOOST_TEST(!bad_sp.sp.has_value());
    BOOST_TEST(bad_sp.p_from_rua);
    BOOST_TEST(contains(bad_sp.discarded.at(0), "sp: invalid policy"));
    // An rua without a valid URI does not rescue the record.
    BOOST_TEST(contains(parse_error("v=DMARC1; rua=not-a-uri"), "p: missing"));
}

BOOST_AUTO_TEST_CASE(bad_optional_values_fall_back_to_defaults) {
    // RFC 9989 4.8: syntax errors in the remainder are discarded in favour of defaults.
    const auto r = parse_ok("v=DMARC1; p=reject; adkim=x; aspf=relaxed; t=maybe; "
                            "psd=q; fo=2; ruf=mailto:ok@example.com, bad");
    BOOST_TEST((r.p == policy::reject));
    check_optional_defaults(r);
    BOOST_TEST(r.ruf.size() == 1u);
    BOOST_TEST(r.discarded.size() == 6u);
    BOOST_TEST(contains(r.discarded.at(0), "adkim: expected r or s, not \"x\""));
    BOOST_TEST(contains(r.discarded.at(2), "t: expected y or n, not \"maybe\""));
}

BOOST_AUTO_TEST_CASE(historic_and_unknown_tags_are_ignored) {
    // RFC 9989 4.7, 9.3: pct, rf and ri are historic; unknown tags MUST be ignored. Even
    // values RFC 7489 called invalid are no longer noted, and pct=0 does not mean t=y.
    for (const char* text : {"v=DMARC1; p=reject; pct=0; rf=afrf; ri=3600",
                             "v=DMARC1; p=reject; pct=101; rf=a f; ri=99999999999",
                             "v=DMARC1; p=reject; xyz=1; future_tag=anything at all"}) {
        const auto r = parse_ok(text);
        BOOST_TEST((r.p == policy::reject));
        check_optional_defaults(r);
        BOOST_TEST(r.discarded.empty(), text);
    }
}

BOOST_AUTO_TEST_CASE(p_may_come_anywhere_after_v) {
    // RFC 9989 4.7: only v must be first; RFC 7489 6.4's ABNF put p right after it.
    const auto r = parse_ok("v=DMARC1; rua=mailto:d@example.com; adkim=s; p=quarantine; t=y");
    BOOST_TEST((r.p == policy::quarantine));
    BOOST_TEST((r.adkim == alignment_mode::strict));
    BOOST_TEST(r.testing);
    BOOST_TEST(!r.p_from_rua);
    BOOST_TEST(contains(parse_error("p=reject; v=DMARC1"), "does not start with v=DMARC1"));
}

BOOST_AUTO_TEST_CASE(names_of_values) {
    BOOST_TEST(to_string(policy::quarantine) == "quarantine");
    BOOST_TEST(to_string(alignment_mode::strict) == "s");
    BOOST_TEST(to_string(alignment_mode::relaxed) == "r");
}

BOOST_AUTO_TEST_SUITE_END()
