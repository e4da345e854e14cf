// tests/unit/auth_dmarc/evaluate_test.cpp — DMARC evaluation against published records
// (RFC 7489 3.1, 6.6, 6.6.4; DMARCbis np, t, tree walk).
#include "auth/dmarc/evaluate.hpp"

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace dmarc_test;

BOOST_AUTO_TEST_SUITE(evaluate_test)

BOOST_FIXTURE_TEST_CASE(dkim_relaxed_alignment_passes_a_subdomain_signature, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    const auto r = run(dkim_only("example.com", "mail.example.com"));
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST(property(r, "header.from") == "example.com");
    BOOST_TEST(property(r, "policy.dmarc") == "reject");
    BOOST_TEST((r.published_by == policy_tag::p));
    BOOST_TEST((r.disposition == policy::none));
    BOOST_TEST(r.reports_allowed);
    BOOST_TEST(!r.virtual_record);
    BOOST_TEST(r.comment.empty());
    BOOST_TEST(r.reason.find("DKIM pass for mail.example.com is aligned (relaxed)") !=
               std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(dkim_strict_alignment_needs_the_exact_domain, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s");
    const auto sub = run(dkim_only("example.com", "mail.example.com"));
    BOOST_TEST(to_string(sub.result) == "fail");
    BOOST_TEST((sub.disposition == policy::reject));
    BOOST_TEST(to_string(run(dkim_only("Example.COM", "example.com.")).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(spf_relaxed_and_strict_alignment, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
    BOOST_TEST(to_string(run(spf_only("example.com", "bounce.example.com")).result) == "pass");
    BOOST_TEST(to_string(run(spf_only("a.example.com", "b.example.com")).result) == "pass");
    txt("_dmarc.strict.com", "v=DMARC1; p=quarantine; aspf=s");
    const auto r = run(spf_only("strict.com", "bounce.strict.com"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST((r.disposition == policy::quarantine));
    BOOST_TEST(to_string(run(spf_only("strict.com", "strict.com")).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(different_organizational_domains_never_align, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    txt("_dmarc.example.co.uk", "v=DMARC1; p=reject");
    BOOST_TEST(to_string(run(dkim_only("example.com", "example.net")).result) == "fail");
    BOOST_TEST(to_string(run(dkim_only("example.co.uk", "other.co.uk")).result) == "fail");
    BOOST_TEST(to_string(run(dkim_only("example.co.uk", "x.example.co.uk")).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(only_passing_identifiers_count, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    evaluation_input input{"example.com",
                           {"softfail", "example.com"},
                           {{"example.com", "fail"}, {"example.com", "neutral"}}};
    const auto r = run(input);
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.reason == "neither SPF nor DKIM passed");
    input.dkim.push_back({"other.example", "pass"});
    input.dkim.push_back({"example.com", "PASS"});
    BOOST_TEST(to_string(run(input).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(subdomain_policy_applies_below_the_policy_domain, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
    zone.add("sub.example.com", rr_type::a, "192.0.2.1");
    const auto r = run(dkim_only("sub.example.com", "other.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST((r.published_by == policy_tag::sp));
    BOOST_TEST(property(r, "policy.dmarc") == "quarantine");
    BOOST_TEST((r.disposition == policy::quarantine));
    BOOST_TEST(property(r, "header.from") == "sub.example.com");
}

BOOST_FIXTURE_TEST_CASE(np_applies_to_non_existent_subdomains, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine; np=reject");
    zone.add("exists.example.com", rr_type::mx, "mx.example.com");
    const auto ghost = run(dkim_only("ghost.example.com", "other.example"));
    BOOST_TEST(to_string(ghost.result) == "fail");
    BOOST_TEST((ghost.published_by == policy_tag::np));
    BOOST_TEST(property(ghost, "policy.dmarc") == "reject");
    BOOST_TEST((ghost.disposition == policy::reject));
    const auto real = run(dkim_only("exists.example.com", "other.example"));
    BOOST_TEST((real.published_by == policy_tag::sp));
    BOOST_TEST(property(real, "policy.dmarc") == "quarantine");
}

BOOST_FIXTURE_TEST_CASE(np_existence_temp_failure_is_temperror_never_fail, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=none; np=reject");
    zone.simulate_timeout("ghost.example.com");
    const auto failing = run(dkim_only("ghost.example.com", "other.example"));
    BOOST_TEST(to_string(failing.result) == "temperror");
    BOOST_TEST(failing.reason.find("cannot tell whether ghost.example.com exists") !=
               std::string::npos);
    // A passing message does not depend on it.
    BOOST_TEST(to_string(run(dkim_only("ghost.example.com", "example.com")).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(record_only_at_the_organizational_domain, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    const auto r = run(dkim_only("a.b.example.com", "unrelated.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST((r.published_by == policy_tag::sp)); // no sp: p's value
    BOOST_TEST(property(r, "policy.dmarc") == "reject");
}

BOOST_FIXTURE_TEST_CASE(author_record_takes_precedence, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    txt("_dmarc.news.example.com", "v=DMARC1; p=none");
    const auto r = run(dkim_only("news.example.com", "unrelated.example"));
    BOOST_TEST(r.policy_domain == "news.example.com");
    BOOST_TEST((r.published_by == policy_tag::p));
    BOOST_TEST((r.disposition == policy::none));
}

BOOST_FIXTURE_TEST_CASE(other_txt_records_are_not_dmarc_records, fixture) {
    txt("_dmarc.news.example.com", "google-site-verification=abc");
    txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
    txt("_dmarc.example.com", "v=spf1 -all");
    const auto r = run(dkim_only("news.example.com", "unrelated.example"));
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST(property(r, "policy.dmarc") == "quarantine");
}

BOOST_FIXTURE_TEST_CASE(pct_no_longer_samples, fixture) {
    // RFC 9989 A.6: pct is historic; its 0 is now t=y, which the record must say itself.
    txt("_dmarc.zero.com", "v=DMARC1; p=reject; pct=0");
    txt("_dmarc.half.com", "v=DMARC1; p=quarantine; pct=50");
    for (int i = 0; i < 20; ++i) {
        const auto zero = run(dkim_only("zero.com", "other.example"));
        BOOST_TEST(to_string(zero.result) == "fail");
        BOOST_TEST_REQUIRE((zero.disposition == policy::reject));
        BOOST_TEST_REQUIRE(
            (run(dkim_only("half.com", "x.example")).disposition == policy::quarantine));
    }
    options.method = org_domain_method::public_suffix_list; // in either method
    BOOST_TEST((run(dkim_only("zero.com", "other.example")).disposition == policy::reject));
}

BOOST_FIXTURE_TEST_CASE(testing_mode_relaxes_the_policy, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y");
    const auto r = run(dkim_only("example.com", "other.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(property(r, "policy.dmarc") == "reject");
    BOOST_TEST((r.disposition == policy::quarantine));
}

BOOST_FIXTURE_TEST_CASE(invalid_record_is_permerror_without_fallback, fixture) {
    txt("_dmarc.sub.example.com", "v=DMARC1; p=bogus");
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    const auto r = run(dkim_only("sub.example.com", "sub.example.com"));
    BOOST_TEST(to_string(r.result) == "permerror");
    BOOST_TEST(r.reason.find("invalid DMARC record at _dmarc.sub.example.com: p: invalid policy") !=
               std::string::npos);
    BOOST_TEST(!r.published.has_value());
    BOOST_TEST(!r.virtual_record);
}

BOOST_FIXTURE_TEST_CASE(invalid_policy_with_rua_acts_as_p_none, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=bogus; rua=mailto:dmarc@example.com");
    const auto r = run(dkim_only("example.com", "other.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(property(r, "policy.dmarc") == "none");
    BOOST_TEST((r.disposition == policy::none));
}

BOOST_FIXTURE_TEST_CASE(multiple_records_mean_no_dmarc_processing, fixture) {
    // RFC 7489 6.6.3 step 5 (PSL method): no fallback to the organizational domain either.
    // The tree walk discards them and walks on (RFC 9989 4.10 step 2; tested below).
    options.method = org_domain_method::public_suffix_list;
    txt("_dmarc.sub.example.com", "v=DMARC1; p=reject");
    txt("_dmarc.sub.example.com", "v=DMARC1; p=none");
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    const auto r = run(dkim_only("sub.example.com", "sub.example.com"));
    BOOST_TEST(to_string(r.result) == "none");
    BOOST_TEST(r.reason == "2 DMARC records at _dmarc.sub.example.com");
    BOOST_TEST(!r.virtual_record);
}

BOOST_FIXTURE_TEST_CASE(dns_timeouts_are_temperror_never_fail, fixture) {
    zone.simulate_timeout("_dmarc.example.com");
    const auto r = run(dkim_only("example.com", "other.example", "fail"));
    BOOST_TEST(to_string(r.result) == "temperror");
    BOOST_TEST(r.reason.find("_dmarc.example.com") != std::string::npos);
    BOOST_TEST(!r.published.has_value());
    // The organizational domain's lookup only matters when the author has no record.
    const auto sub = run(dkim_only("sub.example.com", "other.example"));
    BOOST_TEST(to_string(sub.result) == "temperror");
    txt("_dmarc.sub.example.com", "v=DMARC1; p=reject");
    BOOST_TEST(to_string(run(dkim_only("sub.example.com", "other.example")).result) == "fail");
}

BOOST_FIXTURE_TEST_CASE(servfail_is_temperror, fixture) {
    zone.simulate_servfail("_dmarc.example.com");
    BOOST_TEST(to_string(run(spf_only("example.com", "example.com")).result) == "temperror");
}

BOOST_FIXTURE_TEST_CASE(aligned_identifier_temperror_is_temperror_not_fail, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    evaluation_input input{"example.com", {"fail", "example.com"}, {{"example.com", "temperror"}}};
    const auto r = run(input);
    BOOST_TEST(to_string(r.result) == "temperror");
    BOOST_TEST(r.reason == "DKIM temperror for aligned domain example.com");
    // An unaligned temperror does not hold the verdict back.
    input.dkim = {{"other.example", "temperror"}};
    BOOST_TEST(to_string(run(input).result) == "fail");
}

BOOST_FIXTURE_TEST_CASE(malformed_from_domain_is_permerror, fixture) {
    for (const char* bad :
         {"", "a..example.com", ".example.com", "user@example.com", "exa mple.com"}) {
        const auto r = run(dkim_only(bad, "example.com"));
        BOOST_TEST(to_string(r.result) == "permerror", bad);
        BOOST_TEST(r.properties.empty());
    }
    const std::string long_label(64, 'a');
    BOOST_TEST(to_string(run(dkim_only(long_label + ".com", "x.com")).result) == "permerror");
}

BOOST_FIXTURE_TEST_CASE(tree_walk_and_psl_differ, fixture) {
    // PSL: a.b.c.example.com belongs to example.com, whose record applies and with which
    // d=example.com aligns. Tree walk: b.c.example.com declares itself an organizational
    // domain (psd=n), so its record applies and d=example.com no longer aligns.
    txt("_dmarc.b.c.example.com", "v=DMARC1; p=reject; psd=n");
    txt("_dmarc.example.com", "v=DMARC1; p=none");
    const auto input = dkim_only("a.b.c.example.com", "example.com");
    options.method = org_domain_method::public_suffix_list;
    const auto by_list = run(input);
    BOOST_TEST(to_string(by_list.result) == "pass");
    BOOST_TEST(by_list.policy_domain == "example.com");
    options.method = org_domain_method::tree_walk;
    const auto by_walk = run(input);
    BOOST_TEST(to_string(by_walk.result) == "fail");
    BOOST_TEST(by_walk.policy_domain == "b.c.example.com");
    BOOST_TEST(property(by_walk, "policy.dmarc") == "reject");
    BOOST_TEST(to_string(run(dkim_only("a.b.c.example.com", "x.b.c.example.com")).result) ==
               "pass");
}

BOOST_FIXTURE_TEST_CASE(tree_walk_psd_policy_and_alignment, fixture) {
    // A public suffix operator's record (psd=y) applies to names below it (RFC 9091, DMARCbis),
    // and the organizational domain is the name one label below it.
    options.method = org_domain_method::tree_walk;
    txt("_dmarc.example", "v=DMARC1; p=reject; psd=y");
    const auto aligned = run(dkim_only("mail.brand.example", "brand.example"));
    BOOST_TEST(to_string(aligned.result) == "pass");
    BOOST_TEST(aligned.policy_domain == "example");
    const auto foreign = run(dkim_only("mail.brand.example", "other.example"));
    BOOST_TEST(to_string(foreign.result) == "fail");
    BOOST_TEST((foreign.published_by == policy_tag::sp));
    BOOST_TEST((foreign.disposition == policy::reject));
}

BOOST_FIXTURE_TEST_CASE(tree_walk_skips_names_with_several_records, fixture) {
    options.method = org_domain_method::tree_walk;
    txt("_dmarc.sub.example.com", "v=DMARC1; p=none");
    txt("_dmarc.sub.example.com", "v=DMARC1; p=none");
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    const auto r = run(dkim_only("sub.example.com", "other.example"));
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST((r.disposition == policy::reject));
}

BOOST_FIXTURE_TEST_CASE(tree_walk_temp_failure_during_alignment_is_temperror, fixture) {
    options.method = org_domain_method::tree_walk;
    txt("_dmarc.mail.example.com", "v=DMARC1; p=reject");
    zone.simulate_timeout("_dmarc.example.com");
    const auto r = run(dkim_only("mail.example.com", "example.com"));
    BOOST_TEST(to_string(r.result) == "temperror");
    BOOST_TEST(r.reason.find("unknown (DNS)") != std::string::npos);
    // Unrelated names need no walk: a plain fail.
    BOOST_TEST(to_string(run(dkim_only("mail.example.com", "other.example")).result) == "fail");
}

BOOST_FIXTURE_TEST_CASE(tree_walk_never_looks_between_the_author_and_seven_labels, fixture) {
    options.method = org_domain_method::tree_walk;
    const std::string from = "l10.l9.l8.l7.l6.l5.l4.l3.example.com";
    txt("_dmarc.l8.l7.l6.l5.l4.l3.example.com", "v=DMARC1; p=reject"); // 8 labels: skipped
    BOOST_TEST(to_string(run(dkim_only(from, "other.example")).result) == "none");
    txt("_dmarc.l7.l6.l5.l4.l3.example.com", "v=DMARC1; p=quarantine"); // 7 labels: asked
    const auto r = run(dkim_only(from, "other.example"));
    BOOST_TEST(r.policy_domain == "l7.l6.l5.l4.l3.example.com");
}

BOOST_FIXTURE_TEST_CASE(both_alignments_and_the_record_are_kept_for_reports, fixture) {
    // RFC 9990 policy_evaluated gives DKIM's and SPF's aligned results separately.
    txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");
    auto r = run({"example.com", {"pass", "bounce.example.com"}, {{"example.com", "pass"}}});
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.dkim_aligned);
    BOOST_TEST(r.spf_aligned);
    BOOST_TEST((r.method == org_domain_method::tree_walk));
    BOOST_TEST_REQUIRE(r.applied_record.has_value());
    BOOST_TEST(r.applied_record->testing);
    BOOST_TEST(r.applied_record->rua.size() == 1u);
    r = run({"example.com", {"pass", "other.example"}, {{"example.com", "pass"}}});
    BOOST_TEST((r.dkim_aligned && !r.spf_aligned));
    r = run({"example.com", {"pass", "example.com"}, {{"other.example", "pass"}}});
    BOOST_TEST((!r.dkim_aligned && r.spf_aligned));
    BOOST_TEST(to_string(r.result) == "pass");
    r = run({"example.com", {"fail", "example.com"}, {{"example.com", "fail"}}});
    BOOST_TEST((!r.dkim_aligned && !r.spf_aligned));
    BOOST_TEST(to_string(r.result) == "fail");
    options.method = org_domain_method::public_suffix_list;
    BOOST_TEST((run({"example.com", {}, {}}).method == org_domain_method::public_suffix_list));
    // Without a record nothing is kept.
    BOOST_TEST(!run(dkim_only("norecord.example", "norecord.example")).applied_record);
}

BOOST_AUTO_TEST_CASE(verdict_names) {
    BOOST_TEST(to_string(verdict::bestguesspass) == "bestguesspass");
    BOOST_TEST(to_string(verdict::permerror) == "permerror");
    BOOST_TEST(to_string(policy_tag::np) == "np");
}

BOOST_AUTO_TEST_SUITE_END()
