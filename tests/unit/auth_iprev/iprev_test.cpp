// tests/unit/auth_iprev/iprev_test.cpp — RFC 8601 3 iprev with results per 2.7.3.
#include "auth/iprev/iprev.hpp"

#include "dns/static_zone.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace arcrelay::auth::iprev;
using arcrelay::dns::rr_type;
using arcrelay::dns::static_zone;

namespace {

constexpr const char* v4_ptr = "1.2.0.192.in-addr.arpa";
constexpr const char* v6_ptr =
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

std::string property(const iprev_result& r, std::string_view name) {
    for (const auto& [key, value] : r.properties)
        if (key == name) return value;
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(iprev_test)

BOOST_AUTO_TEST_CASE(ipv4_pass) {
    static_zone zone;
    zone.add(v4_ptr, rr_type::ptr, "mail.example.com");
    zone.add("mail.example.com", rr_type::a, "192.0.2.1");
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.matched_name == "mail.example.com");
    BOOST_TEST(r.comment == "mail.example.com");
    BOOST_TEST(property(r, "policy.iprev") == "192.0.2.1");
    BOOST_TEST(r.reason == "mail.example.com maps back to 192.0.2.1");
}

BOOST_AUTO_TEST_CASE(ipv6_pass_with_rfc_5952_property) {
    static_zone zone;
    zone.add(v6_ptr, rr_type::ptr, "mx.example.net");
    zone.add("mx.example.net", rr_type::a, "192.0.2.1"); // wrong family: not asked
    zone.add("mx.example.net", rr_type::aaaa, "2001:db8::1");
    const auto r = check_iprev(zone, "2001:0DB8:0:0::1");
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(property(r, "policy.iprev") == "2001:db8::1");
}

BOOST_AUTO_TEST_CASE(ipv4_mapped_client_is_checked_as_ipv4) {
    static_zone zone;
    zone.add(v4_ptr, rr_type::ptr, "mail.example.com");
    zone.add("mail.example.com", rr_type::a, "192.0.2.1");
    const auto r = check_iprev(zone, "::ffff:192.0.2.1");
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(property(r, "policy.iprev") == "192.0.2.1");
}

BOOST_AUTO_TEST_CASE(second_name_matches) {
    static_zone zone;
    zone.add(v4_ptr, rr_type::ptr, "first.example.com");
    zone.add(v4_ptr, rr_type::ptr, "second.example.com");
    zone.add("first.example.com", rr_type::a, "192.0.2.99");
    zone.add("second.example.com", rr_type::a, "192.0.2.7");
    zone.add("second.example.com", rr_type::a, "192.0.2.1");
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.matched_name == "second.example.com");
    BOOST_TEST(r.names.size() == 2u);
}

BOOST_AUTO_TEST_CASE(forward_mismatch_is_fail) {
    static_zone zone;
    zone.add(v4_ptr, rr_type::ptr, "mail.example.com");
    zone.add(v4_ptr, rr_type::ptr, "gone.example.com"); // NXDOMAIN forward: fail too
    zone.add("mail.example.com", rr_type::a, "192.0.2.2");
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.matched_name.empty());
    BOOST_TEST(r.comment.empty());
    BOOST_TEST(property(r, "policy.iprev") == "192.0.2.1");
    BOOST_TEST(r.reason == "none of mail.example.com, gone.example.com maps back to 192.0.2.1");
}

BOOST_AUTO_TEST_CASE(no_ptr_is_permerror) {
    static_zone zone;
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "permerror");
    BOOST_TEST(r.reason == "no PTR record for 192.0.2.1");
    zone.add(v4_ptr, rr_type::txt, "not a pointer"); // NODATA
    BOOST_TEST(to_string(check_iprev(zone, "192.0.2.1").result) == "permerror");
}

BOOST_AUTO_TEST_CASE(malformed_input_is_permerror) {
    static_zone zone;
    for (const char* bad : {"", "300.1.1.1", "192.0.2", "2001:db8::1::1", "[192.0.2.1]",
                            "192.0.2.1 ", "mail.example.com"}) {
        const auto r = check_iprev(zone, bad);
        BOOST_TEST(to_string(r.result) == "permerror", bad);
        BOOST_TEST(r.properties.empty());
    }
    zone.simulate_malformed(v4_ptr);
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "permerror");
    BOOST_TEST(r.reason.find("malformed PTR answer") != std::string::npos);
    static_zone empty_name;
    empty_name.add(v4_ptr, rr_type::ptr, "");
    BOOST_TEST(to_string(check_iprev(empty_name, "192.0.2.1").result) == "permerror");
}

BOOST_AUTO_TEST_CASE(ptr_timeout_is_temperror) {
    static_zone zone;
    zone.simulate_timeout(v4_ptr);
    BOOST_TEST(to_string(check_iprev(zone, "192.0.2.1").result) == "temperror");
    static_zone servfail;
    servfail.simulate_servfail(v4_ptr);
    BOOST_TEST(to_string(check_iprev(servfail, "192.0.2.1").result) == "temperror");
}

BOOST_AUTO_TEST_CASE(forward_timeout_is_temperror_unless_another_name_matches) {
    static_zone zone;
    zone.add(v4_ptr, rr_type::ptr, "slow.example.com");
    zone.add(v4_ptr, rr_type::ptr, "other.example.com");
    zone.add("other.example.com", rr_type::a, "192.0.2.2");
    zone.simulate_timeout("slow.example.com");
    BOOST_TEST(to_string(check_iprev(zone, "192.0.2.1").result) == "temperror");
    zone.add("other.example.com", rr_type::a, "192.0.2.1");
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "pass");
    BOOST_TEST(r.matched_name == "other.example.com");
}

BOOST_AUTO_TEST_CASE(at_most_max_ptr_names_are_evaluated) {
    static_zone zone;
    for (std::size_t i = 1; i <= max_ptr_names + 1; ++i) {
        const std::string name = "n" + std::to_string(i) + ".example.com";
        zone.add(v4_ptr, rr_type::ptr, name);
        zone.add(name, rr_type::a, i == max_ptr_names + 1 ? "192.0.2.1" : "192.0.2.200");
    }
    // Only the eleventh name maps back, and it is beyond the limit.
    const auto r = check_iprev(zone, "192.0.2.1");
    BOOST_TEST(to_string(r.result) == "fail");
    BOOST_TEST(r.names.size() == max_ptr_names);
    BOOST_TEST(r.reason.find("only the first 10 of 11 names checked") != std::string::npos);

    static_zone at_limit;
    for (std::size_t i = 1; i <= max_ptr_names; ++i) {
        const std::string name = "n" + std::to_string(i) + ".example.com";
        at_limit.add(v4_ptr, rr_type::ptr, name);
        at_limit.add(name, rr_type::a, i == max_ptr_names ? "192.0.2.1" : "192.0.2.200");
    }
    const auto last = check_iprev(at_limit, "192.0.2.1");
    BOOST_TEST(to_string(last.result) == "pass");
    BOOST_TEST(last.matched_name == "n10.example.com");
}

BOOST_AUTO_TEST_CASE(verdict_names) {
    BOOST_TEST(to_string(verdict::pass) == "pass");
    BOOST_TEST(to_string(verdict::fail) == "fail");
    BOOST_TEST(to_string(verdict::temperror) == "temperror");
    BOOST_TEST(to_string(verdict::permerror) == "permerror");
}

BOOST_AUTO_TEST_SUITE_END()
