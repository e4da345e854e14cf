// tests/unit/auth_dmarc/organizational_domain_test.cpp — RFC 7489 3.2 (PSL) and the DMARCbis
// 4.10 tree walk with its 4.10.2 organizational domain.
#include "auth/dmarc/organizational_domain.hpp"
#include "auth/dmarc/tree_walk.hpp"

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace dmarc_test;

BOOST_AUTO_TEST_SUITE(organizational_domain_test)

BOOST_AUTO_TEST_CASE(psl_registrable_domain) {
    const auto& psl = test_psl();
    BOOST_TEST(psl.organizational_domain("a.b.example.co.uk") == "example.co.uk");
    BOOST_TEST(psl.organizational_domain("example.com") == "example.com");
    BOOST_TEST(psl.organizational_domain("Mail.Example.COM.") == "example.com");
    BOOST_TEST(psl.organizational_domain("foo.bar.blogspot.com") == "bar.blogspot.com");
    BOOST_TEST(psl.organizational_domain("co.uk") == "co.uk"); // a public suffix itself
}

BOOST_AUTO_TEST_CASE(debian_list_is_usable) {
    const auto psl = public_suffix_list::latest();
    BOOST_TEST(psl.organizational_domain("www.example.org.uk") == "example.org.uk");
}

BOOST_AUTO_TEST_CASE(missing_list_file_throws) {
    BOOST_CHECK_THROW(public_suffix_list::load("/nonexistent/public_suffix_list.dat"),
                      std::runtime_error);
}

BOOST_AUTO_TEST_CASE(walk_targets_drop_one_label_at_a_time) {
    const auto t = tree_walk_targets("A.Mail.Example.com.");
    const std::vector<std::string> expected{"a.mail.example.com", "mail.example.com", "example.com",
                                            "com"};
    BOOST_TEST(t == expected, boost::test_tools::per_element());
    BOOST_TEST(tree_walk_targets("").empty());
}

BOOST_AUTO_TEST_CASE(walk_of_long_names_jumps_to_seven_labels) {
    // DMARCbis 4.10 step 5: at most max_tree_walk_queries names.
    const auto t = tree_walk_targets("l10.l9.l8.l7.l6.l5.l4.l3.l2.l1");
    BOOST_TEST(t.size() == max_tree_walk_queries);
    BOOST_TEST(t.at(0) == "l10.l9.l8.l7.l6.l5.l4.l3.l2.l1");
    BOOST_TEST(t.at(1) == "l7.l6.l5.l4.l3.l2.l1");
    BOOST_TEST(t.back() == "l1");
    BOOST_TEST(tree_walk_targets("l8.l7.l6.l5.l4.l3.l2.l1").size() == max_tree_walk_queries);
    BOOST_TEST(tree_walk_targets("l7.l6.l5.l4.l3.l2.l1").size() == tree_walk_shortened_labels);
}

BOOST_AUTO_TEST_CASE(walk_stops_at_a_psd_record_and_ignores_what_lies_above) {
    static_zone zone;
    zone.add("_dmarc.b.example.com", rr_type::txt, "v=DMARC1; p=reject; psd=n");
    zone.simulate_timeout("_dmarc.com");
    const auto walk = walk_tree(zone, "a.b.example.com");
    BOOST_TEST(walk.steps.size() == 2u);
    const auto org = organizational_domain(walk);
    BOOST_TEST_REQUIRE(org.ok());
    BOOST_TEST(*org == "b.example.com");
}

BOOST_AUTO_TEST_CASE(psd_y_makes_the_label_below_the_organizational_domain) {
    static_zone zone;
    zone.add("_dmarc.example", rr_type::txt, "v=DMARC1; p=reject; psd=y");
    BOOST_TEST(*organizational_domain(walk_tree(zone, "x.mail.brand.example")) == "brand.example");
    BOOST_TEST(*organizational_domain(walk_tree(zone, "brand.example")) == "brand.example");
    // psd=y at the start of the walk: the domain is its own organizational domain.
    BOOST_TEST(*organizational_domain(walk_tree(zone, "example")) == "example");
}

BOOST_AUTO_TEST_CASE(without_psd_the_record_with_fewest_labels_wins) {
    static_zone zone;
    zone.add("_dmarc.mail.example.com", rr_type::txt, "v=DMARC1; p=none");
    zone.add("_dmarc.example.com", rr_type::txt, "v=DMARC1; p=reject");
    zone.add("_dmarc.com", rr_type::txt, "v=DMARC1; p=bogus"); // invalid: not counted
    BOOST_TEST(*organizational_domain(walk_tree(zone, "a.mail.example.com")) == "example.com");
}

BOOST_AUTO_TEST_CASE(without_records_the_domain_is_its_own) {
    static_zone zone;
    BOOST_TEST(*organizational_domain(walk_tree(zone, "a.b.example.com")) == "a.b.example.com");
}

BOOST_AUTO_TEST_CASE(walk_temp_failure_is_a_temporary_error) {
    static_zone zone;
    zone.add("_dmarc.example.com", rr_type::txt, "v=DMARC1; p=reject");
    zone.simulate_timeout("_dmarc.com");
    const auto org = organizational_domain(walk_tree(zone, "a.example.com"));
    BOOST_TEST_REQUIRE(!org.ok());
    BOOST_TEST(org.error().temporary());
}

BOOST_AUTO_TEST_CASE(finder_dispatches_on_the_method) {
    static_zone zone;
    zone.add("_dmarc.foo.bar.blogspot.com", rr_type::txt, "v=DMARC1; p=none");
    zone.add("_dmarc.blogspot.com", rr_type::txt, "v=DMARC1; p=reject");
    organizational_domains by_list(zone, test_psl(), org_domain_method::public_suffix_list);
    organizational_domains by_walk(zone, test_psl(), org_domain_method::tree_walk);
    BOOST_TEST(*by_list.find("x.foo.bar.blogspot.com") == "bar.blogspot.com");
    BOOST_TEST(*by_walk.find("x.foo.bar.blogspot.com") == "blogspot.com");
}

BOOST_AUTO_TEST_SUITE_END()
