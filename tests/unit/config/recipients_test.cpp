// tests/unit/config/recipients_test.cpp — list posting and Mailman service addresses.
#include "config/recipients.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::config;
using arcrelay::config::test::minimal;
using arcrelay::config::test::parse_ok;

namespace {

const configuration& two_lists() {
    static const configuration c =
        parse_ok(minimal + "[[list]]\naddress = \"dev@other.example.net\"\n");
    return c;
}

std::optional<recipient_role> role_of(std::string_view address) {
    const auto m = match_recipient(two_lists().lists, address);
    if (!m) return std::nullopt;
    return m->role;
}

} // namespace

BOOST_AUTO_TEST_SUITE(recipients)

BOOST_AUTO_TEST_CASE(posting_and_every_service_address) {
    BOOST_TEST((role_of("dev@lists.example.org") == recipient_role::post));
    BOOST_TEST((role_of("dev-bounces@lists.example.org") == recipient_role::bounces));
    BOOST_TEST((role_of("dev-confirm@lists.example.org") == recipient_role::confirm));
    BOOST_TEST((role_of("dev-join@lists.example.org") == recipient_role::join));
    BOOST_TEST((role_of("dev-leave@lists.example.org") == recipient_role::leave));
    BOOST_TEST((role_of("dev-owner@lists.example.org") == recipient_role::owner));
    BOOST_TEST((role_of("dev-request@lists.example.org") == recipient_role::request));
    BOOST_TEST((role_of("dev-subscribe@lists.example.org") == recipient_role::subscribe));
    BOOST_TEST((role_of("dev-unsubscribe@lists.example.org") == recipient_role::unsubscribe));
}

BOOST_AUTO_TEST_CASE(case_insensitive_and_per_domain) {
    BOOST_TEST((role_of("DEV-Owner@Lists.Example.ORG") == recipient_role::owner));
    const auto m = match_recipient(two_lists().lists, "dev@other.example.net");
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->list == &two_lists().lists[1]);
}

BOOST_AUTO_TEST_CASE(subaddress_only_on_bounces_and_confirm) {
    BOOST_TEST(
        (role_of("dev-bounces+alice=example.com@lists.example.org") == recipient_role::bounces));
    BOOST_TEST((role_of("dev-confirm+0123abcd@lists.example.org") == recipient_role::confirm));
    BOOST_TEST(!role_of("dev-bounces+@lists.example.org").has_value());
    BOOST_TEST(!role_of("dev-owner+x@lists.example.org").has_value());
    BOOST_TEST(!role_of("dev+x@lists.example.org").has_value());
}

BOOST_AUTO_TEST_CASE(everything_else_is_refused) {
    BOOST_TEST(!role_of("dev@example.org").has_value());
    BOOST_TEST(!role_of("devel@lists.example.org").has_value());
    BOOST_TEST(!role_of("dev-admin@lists.example.org").has_value());
    BOOST_TEST(!role_of("de@lists.example.org").has_value());
    BOOST_TEST(!role_of("dev").has_value());
    BOOST_TEST(!role_of("").has_value());
    BOOST_TEST(!role_of("dev@lists.example.org.evil.net").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
