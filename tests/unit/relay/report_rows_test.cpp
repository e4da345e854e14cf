// tests/unit/relay/report_rows_test.cpp — finishing DMARC report rows with the disposition
// arcrelay applied and the RFC 9990 reasons, and which evaluations start a row at all.
#include "relay/message_checks.hpp"
#include "relay/report_rows.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;

namespace {

auth::dmarc::dmarc_result published(auth::dmarc::verdict v, std::string_view record) {
    auth::dmarc::dmarc_result r;
    r.result = v;
    r.header_from = "example.com";
    r.policy_domain = "example.com";
    r.reports_allowed = true;
    r.applied_record = *auth::dmarc::parse_record(record);
    r.published = r.applied_record->p;
    r.disposition =
        v == auth::dmarc::verdict::fail ? r.applied_record->p : auth::dmarc::policy::none;
    if (r.applied_record->testing && r.disposition == auth::dmarc::policy::reject)
        r.disposition = auth::dmarc::policy::quarantine;
    return r;
}

relay::row_context context() {
    return {"192.0.2.7",  "Alice@Bounce.Example.COM", "dev@Lists.Example.org", nullptr, nullptr,
            1'764'633'600};
}

// A report whose only row failed DMARC under p=reject, with a passing chain sealed by
// lists.example.net (i=2) over sender.example (i=1).
relay::check_report failing_report() {
    relay::check_report r;
    auto draft =
        relay::start_row(published(auth::dmarc::verdict::fail, "v=DMARC1; p=reject"), context());
    BOOST_REQUIRE(draft);
    r.report_rows.push_back(*draft);
    r.arc = "pass";
    r.arc_sealers = {"sender.example", "lists.example.net"};
    r.arc_seals = {{1, "sender.example", "s1"}, {2, "lists.example.net", "arc"}};
    r.arc_first_client_ip = "198.51.100.9";
    return r;
}

const std::vector<std::string> trusted{"Lists.Example.NET"};

} // namespace

BOOST_AUTO_TEST_SUITE(report_rows_test)

BOOST_AUTO_TEST_CASE(a_row_carries_the_record_and_the_envelope_domains) {
    auto r = published(auth::dmarc::verdict::pass,
                       "v=DMARC1; p=quarantine; sp=none; np=reject; adkim=s; t=y; "
                       "rua=mailto:d@example.com");
    r.dkim_aligned = true;
    const auto draft = relay::start_row(r, context());
    BOOST_TEST_REQUIRE(draft.has_value());
    const auto& row = draft->row;
    BOOST_TEST(row.envelope_from == "bounce.example.com");
    BOOST_TEST(row.envelope_to == "lists.example.org");
    BOOST_TEST(row.source_ip == "192.0.2.7");
    BOOST_TEST(row.time == 1'764'633'600);
    BOOST_TEST((row.policy.p == report::policy::quarantine));
    BOOST_TEST((row.policy.sp == report::policy::none));
    BOOST_TEST((row.policy.np == report::policy::reject));
    BOOST_TEST((row.policy.adkim == report::alignment::strict));
    BOOST_TEST((row.policy.aspf == report::alignment::relaxed));
    BOOST_TEST(row.policy.testing);
    BOOST_TEST(row.policy.rua.at(0) == "mailto:d@example.com");
    BOOST_TEST(row.dkim_aligned);
    BOOST_TEST(!row.spf_aligned);
    BOOST_TEST(row.reasons.empty()); // t=y only matters when DMARC fails
    BOOST_TEST(!draft->dmarc_failed);
}

BOOST_AUTO_TEST_CASE(only_published_pass_and_fail_are_reported) {
    using auth::dmarc::verdict;
    BOOST_TEST(
        relay::start_row(published(verdict::fail, "v=DMARC1; p=none"), context()).has_value());
    for (auto v : {verdict::temperror, verdict::permerror, verdict::none, verdict::bestguesspass})
        BOOST_TEST(!relay::start_row(published(v, "v=DMARC1; p=none"), context()));
    auto virt = published(verdict::pass, "v=DMARC1; p=none; adkim=s; aspf=s");
    virt.virtual_record = true; // draft-akagiri 8: never reported
    BOOST_TEST(!relay::start_row(virt, context()));
    auto none = published(verdict::pass, "v=DMARC1; p=none");
    none.reports_allowed = false;
    none.applied_record.reset();
    BOOST_TEST(!relay::start_row(none, context()));
}

BOOST_AUTO_TEST_CASE(a_trusted_sealer_rescue_is_local_policy_with_the_arc_comment) {
    const auto rows = relay::finish_rows(failing_report(), 250, trusted);
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST((rows[0].applied == report::disposition::none));
    BOOST_TEST_REQUIRE(rows[0].reasons.size() == 1u);
    BOOST_TEST((rows[0].reasons[0].type == report::override_type::local_policy));
    BOOST_TEST(rows[0].reasons[0].comment ==
               "arc=pass as[2].d=lists.example.net as[2].s=arc as[1].d=sender.example "
               "as[1].s=s1 client-ip[1]=198.51.100.9");
}

BOOST_AUTO_TEST_CASE(a_failing_message_delivered_without_rescue_is_mailing_list) {
    auto r = failing_report();
    const auto untrusted = relay::finish_rows(r, 250, {});
    BOOST_TEST_REQUIRE(untrusted.at(0).reasons.size() == 1u);
    BOOST_TEST((untrusted[0].reasons[0].type == report::override_type::mailing_list));
    r.arc = "fail";
    BOOST_TEST((relay::finish_rows(r, 250, trusted).at(0).reasons.at(0).type ==
                report::override_type::mailing_list));
}

BOOST_AUTO_TEST_CASE(the_reply_decides_the_disposition) {
    const auto rejected = relay::finish_rows(failing_report(), 550, trusted);
    BOOST_TEST((rejected.at(0).applied == report::disposition::reject));
    BOOST_TEST(rejected[0].reasons.empty());
    BOOST_TEST(relay::finish_rows(failing_report(), 451, trusted).empty()); // retried
}

BOOST_AUTO_TEST_CASE(testing_mode_and_p_none_failures) {
    relay::check_report r;
    r.report_rows.push_back(*relay::start_row(
        published(auth::dmarc::verdict::fail, "v=DMARC1; p=reject; t=y"), context()));
    r.report_rows.push_back(
        *relay::start_row(published(auth::dmarc::verdict::fail, "v=DMARC1; p=none"), context()));
    const auto rows = relay::finish_rows(r, 250, trusted);
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    // t=y: quarantine still applies, delivered to the list anyway.
    BOOST_TEST_REQUIRE(rows[0].reasons.size() == 2u);
    BOOST_TEST((rows[0].reasons[0].type == report::override_type::policy_test_mode));
    BOOST_TEST((rows[0].reasons[1].type == report::override_type::mailing_list));
    BOOST_TEST(rows[1].reasons.empty()); // p=none: nothing was overridden
}

BOOST_AUTO_TEST_SUITE_END()
