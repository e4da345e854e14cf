// tests/unit/report/row_test.cpp — RFC 9990 XSD names and the OpenDMARC-style ARC comment.
#include "report/row.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::report;

BOOST_AUTO_TEST_SUITE(row_test)

BOOST_AUTO_TEST_CASE(names_are_the_xsd_enumerations_and_read_back) {
    for (auto p : {policy::none, policy::quarantine, policy::reject})
        BOOST_TEST((*parse_policy(to_string(p)) == p));
    BOOST_TEST(to_string(alignment::strict) == "s");
    BOOST_TEST(to_string(alignment::relaxed) == "r");
    BOOST_TEST(to_string(discovery::treewalk) == "treewalk");
    BOOST_TEST(to_string(discovery::psl) == "psl");
    for (auto d :
         {disposition::none, disposition::pass, disposition::quarantine, disposition::reject})
        BOOST_TEST((*parse_disposition(to_string(d)) == d));
    for (auto t : {override_type::local_policy, override_type::mailing_list, override_type::other,
                   override_type::policy_test_mode, override_type::trusted_forwarder})
        BOOST_TEST((*parse_override_type(to_string(t)) == t));
    BOOST_TEST(to_string(override_type::policy_test_mode) == "policy_test_mode");
}

BOOST_AUTO_TEST_CASE(unknown_names_are_refused) {
    BOOST_TEST(parse_policy("Reject").error().message == "unknown policy \"Reject\"");
    BOOST_TEST(!parse_alignment("relaxed").ok());
    BOOST_TEST(!parse_discovery("").ok());
    BOOST_TEST(!parse_disposition("discard").ok());
    BOOST_TEST(!parse_override_type("forwarded").ok());
}

BOOST_AUTO_TEST_CASE(arc_comment_lists_seals_newest_first_then_the_first_client) {
    // OpenDMARC's form: arc=pass as[2].d=... as[2].s=... as[1].d=... as[1].s=... client-ip[1]=
    const auto comment = format_arc_comment(
        {{1, "sender.example", "s1"}, {2, "lists.example.net", "arc-2026"}}, "192.0.2.10");
    BOOST_TEST(comment == "arc=pass as[2].d=lists.example.net as[2].s=arc-2026 "
                          "as[1].d=sender.example as[1].s=s1 client-ip[1]=192.0.2.10");
    BOOST_TEST(format_arc_comment({{1, "a.example", "x"}}, "") ==
               "arc=pass as[1].d=a.example as[1].s=x");
    BOOST_TEST(format_arc_comment({}, "2001:db8::1") == "arc=pass client-ip[1]=2001:db8::1");
}

BOOST_AUTO_TEST_SUITE_END()
