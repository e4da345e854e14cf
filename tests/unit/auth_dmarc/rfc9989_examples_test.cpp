// tests/unit/auth_dmarc/rfc9989_examples_test.cpp — the examples RFC 9989 gives itself (the
// DNS Tree Walk of 4.10, the organizational domains of 4.10.2, Appendix B.1 alignment, B.2
// records, B.4 tree walks), run with the default method: the tree walk.
#include "auth/dmarc/evaluate.hpp"
#include "auth/dmarc/policy_discovery.hpp"
#include "auth/dmarc/tree_walk.hpp"

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace dmarc_test;

namespace {

std::string org_of(static_zone& zone, std::string_view domain) {
    const auto org = organizational_domain(walk_tree(zone, domain));
    BOOST_TEST_REQUIRE(org.ok());
    return *org;
}

// Appendix B.1's messages: SPF and DKIM are assumed to pass.
evaluation_input b1(std::string from, std::string mail_from, std::string dkim_d) {
    evaluation_input in{std::move(from), {}, {}};
    if (!mail_from.empty()) in.spf = {"pass", std::move(mail_from)};
    if (!dkim_d.empty()) in.dkim.push_back({std::move(dkim_d), "pass"});
    return in;
}

} // namespace

BOOST_AUTO_TEST_SUITE(rfc9989_examples_test)

BOOST_AUTO_TEST_CASE(the_default_method_is_the_tree_walk) {
    BOOST_TEST((evaluation_options{}.method == org_domain_method::tree_walk));
}

BOOST_AUTO_TEST_CASE(section_4_10_eight_queries_for_a_deep_name) {
    const auto questions = policy_questions("a.b.c.d.e.f.g.h.i.j.mail.example.com",
                                            org_domain_method::tree_walk, test_psl());
    const std::vector<std::string> expected{"_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
                                            "_dmarc.g.h.i.j.mail.example.com",
                                            "_dmarc.h.i.j.mail.example.com",
                                            "_dmarc.i.j.mail.example.com",
                                            "_dmarc.j.mail.example.com",
                                            "_dmarc.mail.example.com",
                                            "_dmarc.example.com",
                                            "_dmarc.com"};
    BOOST_TEST_REQUIRE(questions.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST(questions[i].name == expected[i]);
        BOOST_TEST((questions[i].type == rr_type::txt));
    }
}

BOOST_AUTO_TEST_CASE(section_4_10_2_organizational_domain_examples) {
    {
        // Records at mail.example.com and example.com, none at a.mail or com: example.com.
        static_zone zone;
        zone.add("_dmarc.mail.example.com", rr_type::txt, "v=DMARC1; p=none");
        zone.add("_dmarc.example.com", rr_type::txt, "v=DMARC1; p=reject");
        BOOST_TEST(org_of(zone, "a.mail.example.com") == "example.com");
    }
    {
        // psd=n at mail.example.com: mail.example.com.
        static_zone zone;
        zone.add("_dmarc.mail.example.com", rr_type::txt, "v=DMARC1; p=none; psd=n");
        zone.add("_dmarc.example.com", rr_type::txt, "v=DMARC1; p=reject");
        BOOST_TEST(org_of(zone, "a.mail.example.com") == "mail.example.com");
    }
    {
        // Only _dmarc.com, with psd=y: example.com.
        static_zone zone;
        zone.add("_dmarc.com", rr_type::txt, "v=DMARC1; p=reject; psd=y");
        BOOST_TEST(org_of(zone, "a.mail.example.com") == "example.com");
    }
    {
        // psd=y at example.com, reached from mail.example.com: mail.example.com.
        static_zone zone;
        zone.add("_dmarc.example.com", rr_type::txt, "v=DMARC1; p=reject; psd=y");
        BOOST_TEST(org_of(zone, "mail.example.com") == "mail.example.com");
    }
}

BOOST_FIXTURE_TEST_CASE(appendix_b_1_1_spf_alignment, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    // Example 1, strict: identical domains pass even with aspf=s.
    BOOST_TEST(to_string(run(b1("example.com", "example.com", "")).result) == "pass");
    // Example 2, relaxed: MAIL FROM child.example.com, From example.com.
    BOOST_TEST(to_string(run(b1("example.com", "child.example.com", "")).result) == "pass");
    // Example 3: MAIL FROM example.net, From child.example.com: not aligned.
    const auto r = run(b1("child.example.com", "example.net", ""));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.policy_domain == "example.com");
    txt("_dmarc.strict.example", "v=DMARC1; p=reject; aspf=s");
    BOOST_TEST(to_string(run(b1("strict.example", "strict.example", "")).result) == "pass");
    BOOST_TEST(to_string(run(b1("strict.example", "child.strict.example", "")).result) == "fail");
}

BOOST_FIXTURE_TEST_CASE(appendix_b_1_2_dkim_alignment, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    BOOST_TEST(to_string(run(b1("example.com", "", "example.com")).result) == "pass");
    BOOST_TEST(to_string(run(b1("child.example.com", "", "example.com")).result) == "pass");
    BOOST_TEST(to_string(run(b1("child.example.com", "", "example.net")).result) == "fail");
    txt("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s");
    BOOST_TEST(to_string(run(b1("child.strict.example", "", "strict.example")).result) == "fail");
}

BOOST_AUTO_TEST_CASE(appendix_b_2_domain_owner_records) {
    const auto b21 = parse_record("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
    BOOST_TEST_REQUIRE(b21.ok());
    BOOST_TEST((b21->p == policy::none));
    BOOST_TEST(!b21->testing);
    BOOST_TEST(b21->rua == std::vector<std::string>{"mailto:dmarc-feedback@example.com"},
               boost::test_tools::per_element());

    const auto b23 = parse_record("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
                                  "ruf=mailto:auth-reports@thirdparty.example.net");
    BOOST_TEST_REQUIRE(b23.ok());
    BOOST_TEST(b23->ruf.at(0) == "mailto:auth-reports@thirdparty.example.net");

    // B.2.3: the third party's authorization record is a DMARC record with no p at all;
    // it is not a policy record (p is "not applicable", RFC 9989 4.7), so it has none.
    BOOST_TEST(is_dmarc_record("v=DMARC1;"));
    BOOST_TEST(!parse_record("v=DMARC1;").ok());

    // B.2.5: the testing record, then the enforcing one.
    const auto testing = parse_record("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@"
                                      "example.com,mailto:tld-test@thirdparty.example.net; t=y");
    BOOST_TEST_REQUIRE(testing.ok());
    BOOST_TEST((testing->p == policy::quarantine));
    BOOST_TEST(testing->testing);
    BOOST_TEST(testing->rua.size() == 2u);
    BOOST_TEST(testing->discarded.empty());
}

BOOST_FIXTURE_TEST_CASE(appendix_b_2_5_testing_subdomain_record, fixture) {
    txt("_dmarc.test.example.com", "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@"
                                   "example.com,mailto:tld-test@thirdparty.example.net; t=y");
    txt("_dmarc.example.com", "v=DMARC1; p=none");
    const auto r = run(b1("test.example.com", "", "other.example"));
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.policy_domain == "test.example.com");
    BOOST_TEST(property(r, "policy.dmarc") == "quarantine");
    BOOST_TEST((r.disposition == policy::none)); // quarantine one level down (4.7 t)
    txt("_dmarc.enforced.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc-feedback@"
                                       "example.com,mailto:tld-test@thirdparty.example.net");
    BOOST_TEST(
        (run(b1("enforced.example.com", "", "other.example")).disposition == policy::reject));
}

BOOST_FIXTURE_TEST_CASE(appendix_b_4_1_simple_organizational_and_policy, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    txt("_dmarc.signing.example.com", "v=DMARC1; p=none");
    organizational_domains org(zone, test_psl(), org_domain_method::tree_walk);
    BOOST_TEST(*org.find("example.com") == "example.com");
    BOOST_TEST(*org.find("signing.example.com") == "example.com");
    const auto r = run(b1("example.com", "example.com", "signing.example.com"));
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST(to_string(run(b1("example.com", "", "signing.example.com")).result) == "pass");
}

BOOST_FIXTURE_TEST_CASE(appendix_b_4_2_deep_tree_walk, fixture) {
    txt("_dmarc.example.com", "v=DMARC1; p=reject");
    txt("_dmarc.signing.example.com", "v=DMARC1; p=none");
    const std::string author = "a.b.c.d.e.f.g.h.i.j.k.example.com";
    organizational_domains org(zone, test_psl(), org_domain_method::tree_walk);
    BOOST_TEST(*org.find(author) == "example.com");
    BOOST_TEST(org.walk(author).steps.size() == max_tree_walk_queries);
    const auto pass = run(b1(author, "example.com", "signing.example.com"));
    BOOST_TEST(to_string(pass.result) == "pass");
    const auto fail = run(b1(author, "", "other.example"));
    BOOST_TEST(to_string(fail.result) == "fail");
    BOOST_TEST(fail.policy_domain == "example.com"); // the author domain has no record
    BOOST_TEST((fail.published_by == policy_tag::sp));
}

BOOST_FIXTURE_TEST_CASE(appendix_b_4_3_psd_record, fixture) {
    txt("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y");
    txt("_dmarc.giant.bank.example", "v=DMARC1; p=quarantine");
    organizational_domains org(zone, test_psl(), org_domain_method::tree_walk);
    BOOST_TEST(*org.find("giant.bank.example") == "giant.bank.example");
    BOOST_TEST(*org.find("mail.giant.bank.example") == "giant.bank.example");
    BOOST_TEST(*org.find("mail.mega.bank.example") == "mega.bank.example");
    // SPF aligns, DKIM does not; either way the policy domain is giant.bank.example.
    const auto spf = run(b1("giant.bank.example", "mail.giant.bank.example", ""));
    BOOST_TEST(to_string(spf.result) == "pass");
    BOOST_TEST(spf.policy_domain == "giant.bank.example");
    const auto dkim = run(b1("giant.bank.example", "", "mail.mega.bank.example"));
    BOOST_TEST(to_string(dkim.result) == "fail");
    BOOST_TEST(dkim.policy_domain == "giant.bank.example");
    BOOST_TEST(property(dkim, "policy.dmarc") == "quarantine");
}

BOOST_AUTO_TEST_SUITE_END()
