// tests/unit/relay/policy_test.cpp — every branch of the policy stage (relay/policy.hpp):
// RFC 7372 codes, DMARC reject, the trusted-sealer override, temperror handling.
#include "relay/policy.hpp"

#include "printers.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace arcrelay;
using relay::apply_policy;

namespace {

// A report where everything passed.
relay::check_report clean() {
    relay::check_report r;
    r.iprev = "pass";
    r.spf = "pass";
    r.dkim = {"pass"};
    r.dmarc = "pass";
    r.dmarc_policy = "reject";
    r.dmarc_domain = "example.com";
    r.arc = "none";
    return r;
}

config::policy_settings everything() {
    config::policy_settings p;
    p.reject_dmarc = p.reject_spf_fail = p.reject_dkim_fail = p.reject_iprev_fail =
        p.reject_arc_fail = true;
    return p;
}

const std::vector<std::string> no_trusted;

void require_rejection(const relay::policy_verdict& v, int code, smtp::enhanced_code status,
                       const std::string& text_part) {
    BOOST_REQUIRE(v.rejection.has_value());
    BOOST_TEST(v.rejection->code == code);
    BOOST_TEST(v.rejection->status == status);
    BOOST_REQUIRE(!v.rejection->lines.empty());
    BOOST_TEST(v.rejection->lines.front().find(text_part) != std::string::npos,
               v.rejection->lines.front());
}

} // namespace

BOOST_AUTO_TEST_SUITE(policy_test)

BOOST_AUTO_TEST_CASE(clean_message_accepted) {
    const auto v = apply_policy(clean(), everything(), no_trusted);
    BOOST_TEST(!v.rejection.has_value());
    BOOST_TEST(v.note.empty());
}

BOOST_AUTO_TEST_CASE(nothing_enabled_accepts_every_failure) {
    auto r = clean();
    r.iprev = r.spf = r.dmarc = r.arc = "fail";
    r.dkim = {"fail"};
    BOOST_TEST(!apply_policy(r, {}, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_CASE(dkim_fail_5_7_20) {
    auto r = clean();
    r.dkim = {"fail", "neutral"};
    config::policy_settings p;
    p.reject_dkim_fail = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 20}, "DKIM");
}

BOOST_AUTO_TEST_CASE(dkim_one_pass_among_failures_accepted) {
    auto r = clean();
    r.dkim = {"fail", "pass"};
    config::policy_settings p;
    p.reject_dkim_fail = true;
    BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_CASE(dkim_none_is_not_a_failure) {
    auto r = clean();
    r.dkim.clear();
    config::policy_settings p;
    p.reject_dkim_fail = true;
    BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_CASE(spf_fail_5_7_23) {
    auto r = clean();
    r.spf = "fail";
    config::policy_settings p;
    p.reject_spf_fail = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 23}, "spf=fail");
}

BOOST_AUTO_TEST_CASE(spf_softfail_accepted) {
    auto r = clean();
    r.spf = "softfail";
    config::policy_settings p;
    p.reject_spf_fail = true;
    BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_CASE(spf_permerror_5_7_24) {
    auto r = clean();
    r.spf = "permerror";
    config::policy_settings p;
    p.reject_spf_fail = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 24}, "permerror");
}

BOOST_AUTO_TEST_CASE(iprev_fail_5_7_25) {
    auto r = clean();
    r.iprev = "fail";
    config::policy_settings p;
    p.reject_iprev_fail = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 25}, "reverse DNS");
}

BOOST_AUTO_TEST_CASE(arc_fail_5_7_29_with_reason) {
    auto r = clean();
    r.arc = "fail";
    r.arc_reason = "i=2 AMS does not verify";
    config::policy_settings p;
    p.reject_arc_fail = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 29}, "i=2 AMS");
}

BOOST_AUTO_TEST_CASE(dmarc_reject_5_7_1) {
    auto r = clean();
    r.dmarc = "fail";
    config::policy_settings p;
    p.reject_dmarc = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 1}, "example.com");
}

BOOST_AUTO_TEST_CASE(dmarc_fail_quarantine_or_none_accepted) {
    auto r = clean();
    r.dmarc = "fail";
    config::policy_settings p;
    p.reject_dmarc = true;
    for (const char* policy : {"none", "quarantine"}) {
        r.dmarc_policy = policy;
        BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value(), policy);
    }
}

BOOST_AUTO_TEST_CASE(dmarc_fail_rescued_by_trusted_sealer) {
    auto r = clean();
    r.dmarc = "fail";
    r.arc = "pass";
    r.arc_sealers = {"relay.example.net", "Lists.Example.ORG"};
    config::policy_settings p;
    p.reject_dmarc = true;
    const std::vector<std::string> trusted{"lists.example.org"};
    const auto v = apply_policy(r, p, trusted);
    BOOST_TEST(!v.rejection.has_value());
    BOOST_TEST(v.note.find("Lists.Example.ORG") != std::string::npos, v.note);
}

BOOST_AUTO_TEST_CASE(dmarc_fail_untrusted_sealer_rejected) {
    auto r = clean();
    r.dmarc = "fail";
    r.arc = "pass";
    r.arc_sealers = {"relay.example.net"};
    config::policy_settings p;
    p.reject_dmarc = true;
    const std::vector<std::string> trusted{"lists.example.org"};
    require_rejection(apply_policy(r, p, trusted), 550, {5, 7, 1}, "reject");
}

BOOST_AUTO_TEST_CASE(dmarc_fail_trusted_sealer_but_failed_chain_rejected) {
    auto r = clean();
    r.dmarc = "fail";
    r.arc = "fail";
    r.arc_sealers = {"lists.example.org"};
    config::policy_settings p;
    p.reject_dmarc = true;
    const std::vector<std::string> trusted{"lists.example.org"};
    require_rejection(apply_policy(r, p, trusted), 550, {5, 7, 1}, "reject");
}

BOOST_AUTO_TEST_CASE(several_failures_5_7_26_name_each) {
    auto r = clean();
    r.spf = "fail";
    r.dkim = {"fail"};
    r.dmarc = "fail";
    const auto v = apply_policy(r, everything(), no_trusted);
    require_rejection(v, 550, {5, 7, 26}, "spf=fail");
    BOOST_TEST(v.rejection->lines.front().find("DKIM") != std::string::npos);
    BOOST_TEST(v.rejection->lines.front().find("DMARC") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(temperror_accepted_without_defer) {
    auto r = clean();
    r.spf = "temperror";
    r.temperror = true;
    const auto v = apply_policy(r, everything(), no_trusted);
    BOOST_TEST(!v.rejection.has_value());
    BOOST_TEST(v.note.find("spf=temperror") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(spf_temperror_deferred_4_7_24) {
    auto r = clean();
    r.spf = "temperror";
    auto p = everything();
    p.temperror_defer = true;
    require_rejection(apply_policy(r, p, no_trusted), 451, {4, 7, 24}, "spf=temperror");
}

BOOST_AUTO_TEST_CASE(other_temperrors_deferred_4_7_0) {
    auto p = everything();
    p.temperror_defer = true;
    auto r = clean();
    r.dkim = {"temperror", "fail"};
    require_rejection(apply_policy(r, p, no_trusted), 451, {4, 7, 0}, "dkim=temperror");
    r = clean();
    r.iprev = "temperror";
    require_rejection(apply_policy(r, p, no_trusted), 451, {4, 7, 0}, "iprev=temperror");
    r = clean();
    r.dmarc = "temperror";
    require_rejection(apply_policy(r, p, no_trusted), 451, {4, 7, 0}, "dmarc=temperror");
    r = clean();
    r.spf = "temperror";
    r.iprev = "temperror";
    require_rejection(apply_policy(r, p, no_trusted), 451, {4, 7, 0}, "iprev=temperror");
}

BOOST_AUTO_TEST_CASE(temperror_of_disabled_check_ignored) {
    auto r = clean();
    r.spf = "temperror";
    config::policy_settings p;
    p.temperror_defer = true;
    p.reject_dkim_fail = true;
    BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_CASE(temperror_never_permanent_but_real_failure_wins) {
    auto r = clean();
    r.spf = "temperror";
    r.iprev = "fail";
    auto p = everything();
    p.temperror_defer = true;
    require_rejection(apply_policy(r, p, no_trusted), 550, {5, 7, 25}, "reverse DNS");
    // A temperror alone never gives 5xx, whatever is enabled.
    r.iprev = "pass";
    r.dmarc = "temperror";
    r.dkim = {"temperror"};
    p.temperror_defer = false;
    BOOST_TEST(!apply_policy(r, p, no_trusted).rejection.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
