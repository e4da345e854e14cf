// tests/unit/auth_dmarc/virtual_dmarc_test.cpp — virtual DMARC
// (draft-akagiri-dmarc-virtual-verification-02): every cell of Figure 1, the four modes,
// and the hosting-provider example of section 4.
#include "auth/dmarc/virtual_dmarc.hpp"

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <tuple>

using namespace dmarc_test;

BOOST_AUTO_TEST_SUITE(virtual_dmarc_test)

BOOST_AUTO_TEST_CASE(virtual_record_is_table_1) {
    const record& r = virtual_record();
    BOOST_TEST((r.p == policy::none));
    BOOST_TEST((r.adkim == alignment_mode::strict));
    BOOST_TEST((r.aspf == alignment_mode::strict));
    BOOST_TEST(r.rua.empty()); // draft 8: no reports for virtual records
    BOOST_TEST(r.ruf.empty());
}

// Figure 1, "DMARC Record: Yes" / "Align": Pass.
BOOST_FIXTURE_TEST_CASE(figure_1_record_and_aligned_is_pass, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=none");
    const auto r = run(spf_only("example.com", "example.com"));
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(!r.virtual_record);
    BOOST_TEST(property(r, "policy.dmarc-source").empty());
    BOOST_TEST(r.reports_allowed);
}

// Figure 1, "DMARC Record: Yes" / "Not-Align": the draft's None(1) with p=none. RFC 7489 11.2
// reports it as dmarc=fail; p=none means nothing is done (disposition none), and the
// virtual record is not consulted.
BOOST_FIXTURE_TEST_CASE(figure_1_record_p_none_not_aligned, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=none");
    const auto r = run(dkim_only("example.com", "other.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(property(r, "policy.dmarc") == "none");
    BOOST_TEST((r.disposition == policy::none));
    BOOST_TEST(!r.virtual_record);
}

// Figure 1, "DMARC Record: No" / "Align": the draft's None(2). By default (mode property)
// it stays dmarc=none, the virtual pass a comment and properties: no domain owner asked for
// a DMARC pass (issue 15).
BOOST_FIXTURE_TEST_CASE(figure_1_no_record_and_aligned_is_none_with_virtual_pass, fixture) {
    for (const auto& input :
         {dkim_only("example.com", "example.com"), spf_only("example.com", "example.com")}) {
        const auto r = run(input);
        BOOST_TEST(to_string(r.result) == "none");
        BOOST_TEST(r.virtual_record);
        BOOST_TEST(!r.reports_allowed);
        BOOST_TEST(r.comment == "virtual DMARC: pass");
        BOOST_TEST(property(r, "policy.dmarc-virtual") == "pass");
        BOOST_TEST(property(r, "header.from") == "example.com");
        BOOST_TEST(property(r, "policy.dmarc") == "none");
        BOOST_TEST(property(r, "policy.dmarc-source") == "virtual");
        BOOST_TEST(r.policy_domain.empty());
        BOOST_TEST((r.disposition == policy::none));
        BOOST_TEST(r.reason.find("no DMARC record at _dmarc.example.com") != std::string::npos);
    }
}

// Figure 1, "DMARC Record: No" / "Not-Align": None(3) stays none.
BOOST_FIXTURE_TEST_CASE(figure_1_no_record_not_aligned_is_none, fixture) {
    const auto r = run(dkim_only("example.com", "other.example"));
    BOOST_TEST(to_string(r.result) == "none");
    BOOST_TEST(!r.virtual_record);
    BOOST_TEST(r.comment.empty());
    BOOST_TEST(property(r, "policy.dmarc").empty());
    BOOST_TEST(property(r, "header.from") == "example.com");
}

BOOST_FIXTURE_TEST_CASE(no_record_and_nothing_passed_is_none, fixture) {
    const auto r = run(spf_only("example.com", "example.com", "fail"));
    BOOST_TEST(to_string(r.result) == "none");
    BOOST_TEST(r.reason.find("neither SPF nor DKIM passed") != std::string::npos);
}

// Only the explicitly chosen modes report the virtual evaluation as a verdict: pass marked
// virtual, or Office 365's bestguesspass.
BOOST_FIXTURE_TEST_CASE(explicit_modes_report_a_virtual_verdict, fixture) {
    for (const auto& [mode, verdict, source] :
         {std::tuple{virtual_dmarc_mode::pass, "pass", "virtual"},
          std::tuple{virtual_dmarc_mode::bestguesspass, "bestguesspass", ""}}) {
        options.virtual_mode = mode;
        const auto r = run(dkim_only("example.com", "example.com"));
        BOOST_TEST(to_string(r.result) == verdict);
        BOOST_TEST(r.virtual_record);
        BOOST_TEST(!r.reports_allowed);
        BOOST_TEST(r.comment == "virtual DMARC");
        BOOST_TEST(property(r, "header.from") == "example.com");
        BOOST_TEST(property(r, "policy.dmarc-source") == source);
        BOOST_TEST(to_string(run(dkim_only("example.com", "other.example")).result) == "none");
    }
}

BOOST_FIXTURE_TEST_CASE(off_mode_is_plain_rfc_7489, fixture) {
    options.method = org_domain_method::public_suffix_list;
    options.virtual_mode = virtual_dmarc_mode::off;
    const auto r = run(dkim_only("example.com", "example.com"));
    BOOST_TEST(to_string(r.result) == "none");
    BOOST_TEST(!r.virtual_record);
    BOOST_TEST(r.reason == "no DMARC record at _dmarc.example.com");
}

BOOST_FIXTURE_TEST_CASE(hosting_provider_example_needs_strict_alignment, fixture) {
    // Draft section 4: example.com signs for its customers. With relaxed alignment a
    // signature for bbb.example.com would pass for aaa.example.com; the virtual record's
    // strict modes must not let it.
    const auto other_customer = run(dkim_only("aaa.example.com", "bbb.example.com"));
    BOOST_TEST(to_string(other_customer.result) == "none");
    BOOST_TEST(!other_customer.virtual_record);
    BOOST_TEST(to_string(run(spf_only("aaa.example.com", "bbb.example.com")).result) == "none");
    BOOST_TEST(to_string(run(dkim_only("aaa.example.com", "example.com")).result) == "none");
    const auto own = run(dkim_only("aaa.example.com", "aaa.example.com"));
    BOOST_TEST(to_string(own.result) == "none");
    BOOST_TEST(property(own, "policy.dmarc-virtual") == "pass");
    BOOST_TEST(own.virtual_record);
    // The same signature under a published relaxed record does pass: the difference is the
    // virtual record's alignment mode alone.
    txt("_dmarc.example.com", "v=DMARC1; p=none; adkim=r");
    const auto relaxed = run(dkim_only("aaa.example.com", "bbb.example.com"));
    BOOST_TEST(to_string(relaxed.result) == "pass");
    BOOST_TEST(!relaxed.virtual_record);
}

BOOST_FIXTURE_TEST_CASE(a_record_at_the_organizational_domain_rules_out_virtual, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s");
    const auto r = run(dkim_only("aaa.example.com", "aaa.example.com"));
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(!r.virtual_record);
    BOOST_TEST(r.reports_allowed);
}

BOOST_FIXTURE_TEST_CASE(virtual_is_not_used_for_errors_or_several_records, fixture) {
    // Several records end discovery in the PSL method only (RFC 7489 6.6.3 step 5); the tree
    // walk discards them and goes on (RFC 9989 4.10 step 2).
    options.method = org_domain_method::public_suffix_list;
    txt("_dmarc.many.com", "v=DMARC1; p=none");
    txt("_dmarc.many.com", "v=DMARC1; p=reject");
    BOOST_TEST(to_string(run(dkim_only("many.com", "many.com")).result) == "none");
    BOOST_TEST(!run(dkim_only("many.com", "many.com")).virtual_record);
    txt("_dmarc.broken.com", "v=DMARC1; p=maybe");
    BOOST_TEST(to_string(run(dkim_only("broken.com", "broken.com")).result) == "permerror");
    zone.simulate_timeout("_dmarc.slow.com");
    BOOST_TEST(to_string(run(dkim_only("slow.com", "slow.com")).result) == "temperror");
}

BOOST_FIXTURE_TEST_CASE(virtual_dmarc_with_the_tree_walk, fixture) {
    options.method = org_domain_method::tree_walk;
    const auto r = run(spf_only("a.example.com", "a.example.com"));
    BOOST_TEST(to_string(r.result) == "none");
    BOOST_TEST(property(r, "policy.dmarc-virtual") == "pass");
    BOOST_TEST(r.virtual_record);
    BOOST_TEST(r.reason.find("or any parent domain") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
