// tests/unit/auth_results/removal_test.cpp — claims_authserv_id and is_trusted (RFC 8601 5).
#include "auth/results/authentication_results.hpp"
#include "auth/results/removal.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace arcrelay::auth::results;

namespace {
constexpr std::string_view ours = "lists.example.org";
}

BOOST_AUTO_TEST_SUITE(removal_test)

BOOST_AUTO_TEST_CASE(forged_field_with_our_id_is_a_claim) {
    BOOST_TEST(claims_authserv_id(" lists.example.org; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id("lists.example.org; none", ours));
    BOOST_TEST(claims_authserv_id("lists.example.org 1; spf=pass smtp.mailfrom=a.example", ours));
}

BOOST_AUTO_TEST_CASE(comparison_is_case_insensitive) {
    BOOST_TEST(claims_authserv_id("LISTS.Example.ORG; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id("lists.example.org; dkim=pass", "Lists.Example.Org"));
}

BOOST_AUTO_TEST_CASE(comments_folds_and_quotes_before_the_id) {
    BOOST_TEST(claims_authserv_id("(forged (nested)) lists.example.org; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id("\r\n\t(x)\r\n lists.example.org;\r\n\tdkim=pass", ours));
    BOOST_TEST(claims_authserv_id("\"lists.example.org\"; dkim=pass", ours));
}

BOOST_AUTO_TEST_CASE(other_ids_are_not_claims) {
    BOOST_TEST(
        !claims_authserv_id("nobody.example.org; dkim=pass header.d=lists.example.org", ours));
    BOOST_TEST(!claims_authserv_id("sub.lists.example.org; dkim=pass", ours));
    BOOST_TEST(!claims_authserv_id("lists.example.org.evil.example; dkim=pass", ours));
    BOOST_TEST(!claims_authserv_id("(lists.example.org) other.example; dkim=pass", ours));
}

BOOST_AUTO_TEST_CASE(unparseable_fields_mentioning_our_id_are_claims) {
    // Trailing garbage after a readable id does not matter.
    BOOST_TEST(claims_authserv_id("lists.example.org/x; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id("lists.example.org; dkim=pass (unterminated", ours));
    // Unreadable ids: fall back to a whole-word search.
    BOOST_TEST(claims_authserv_id("(unterminated lists.example.org; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id(
        std::string(max_comment_depth + 1, '(') + "lists.example.org; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id("\"lists.example.org; dkim=pass", ours));
    BOOST_TEST(claims_authserv_id(
        "lists.example.org; dkim=pass reason=\"" + std::string(max_field_size, 'x') + "\"", ours));
    BOOST_TEST(claims_authserv_id(";lists.example.org; dkim=pass", ours));
    BOOST_TEST(!claims_authserv_id("(broken; dkim=pass", ours));
    BOOST_TEST(!claims_authserv_id("(broken sub.lists.example.org; dkim=pass", ours));
    BOOST_TEST(!claims_authserv_id("", ours));
}

BOOST_AUTO_TEST_CASE(trusted_upstream_ids) {
    const std::vector<std::string> trusted{"mx.upstream.example", "relay.example.net"};
    BOOST_TEST(is_trusted("MX.Upstream.Example; spf=pass smtp.mailfrom=a.example", trusted));
    BOOST_TEST(is_trusted("(c) relay.example.net; none", trusted));
    BOOST_TEST(!is_trusted("other.example; spf=pass", trusted));
    BOOST_TEST(!is_trusted("(unterminated mx.upstream.example; spf=pass", trusted));
    BOOST_TEST(!is_trusted("mx.upstream.example; spf=pass", std::vector<std::string>{}));
    BOOST_TEST(!is_trusted("mx.upstream.example; " + std::string(max_field_size, 'x'), trusted));
}

BOOST_AUTO_TEST_SUITE_END()
