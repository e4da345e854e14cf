// tests/unit/relay/recipient_policy_test.cpp — RCPT decisions (relay/recipient_policy.hpp):
// never an open relay, one list per transaction, allowed_clients, posted_list().
#include "relay/recipient_policy.hpp"

#include "printers.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace arcrelay;
using relay::decide_recipient;

namespace {

config::mailing_list make_list(const std::string& local, const std::string& domain) {
    config::mailing_list l;
    l.local_part = local;
    l.domain = domain;
    l.address = local + "@" + domain;
    l.bounce_address = local + "-bounces@" + domain;
    l.list_id = local + "." + domain;
    return l;
}

const std::vector<config::mailing_list> lists{make_list("dev", "lists.example.org"),
                                              make_list("users", "lists.example.org"),
                                              make_list("news", "example.net")};

config::listener lists_listener() {
    config::listener l;
    l.name = "in";
    return l;
}

config::listener any_listener() {
    config::listener l;
    l.name = "seal";
    l.recipients = config::recipient_policy::any;
    l.allowed_clients = {*parse_network("127.0.0.0/8"), *parse_network("::1/128")};
    return l;
}

smtp::envelope env_from(const std::string& ip, std::vector<std::string> rcpts = {}) {
    smtp::envelope e;
    e.client_ip = ip;
    e.rcpts = std::move(rcpts);
    return e;
}

void check(const smtp::reply& r, int code, smtp::enhanced_code status) {
    BOOST_TEST(r.code == code);
    BOOST_TEST(r.status == status);
}

} // namespace

BOOST_AUTO_TEST_SUITE(recipient_policy_test)

BOOST_AUTO_TEST_CASE(list_post_and_service_addresses_accepted) {
    const auto l = lists_listener();
    for (const char* rcpt :
         {"dev@lists.example.org", "DEV@Lists.Example.Org", "dev-request@lists.example.org",
          "dev-owner@lists.example.org", "dev-bounces@lists.example.org",
          "dev-bounces+x=y.z@lists.example.org", "dev-join@lists.example.org",
          "dev-leave@lists.example.org", "dev-confirm+token@lists.example.org"})
        check(decide_recipient(lists, l, env_from("192.0.2.1"), rcpt), 250, {2, 1, 5});
}

BOOST_AUTO_TEST_CASE(unknown_address_in_list_domain_550_5_1_1) {
    check(decide_recipient(lists, lists_listener(), env_from("192.0.2.1"),
                           "nobody@lists.example.org"),
          550, {5, 1, 1});
    check(decide_recipient(lists, lists_listener(), env_from("192.0.2.1"),
                           "dev-admin@lists.example.org"),
          550, {5, 1, 1});
}

BOOST_AUTO_TEST_CASE(foreign_domain_never_relayed_550_5_7_1) {
    for (const char* rcpt : {"victim@example.com", "dev@lists.example.org.evil.example",
                             "dev@example.org", "postmaster"})
        check(decide_recipient(lists, lists_listener(), env_from("192.0.2.1"), rcpt), 550,
              {5, 7, 1});
}

BOOST_AUTO_TEST_CASE(second_list_452_4_5_3) {
    const auto env = env_from("192.0.2.1", {"dev@lists.example.org"});
    check(decide_recipient(lists, lists_listener(), env, "users@lists.example.org"), 452,
          {4, 5, 3});
    check(decide_recipient(lists, lists_listener(), env, "news@example.net"), 452, {4, 5, 3});
    check(decide_recipient(lists, lists_listener(), env, "dev@lists.example.org"), 250, {2, 1, 5});
}

BOOST_AUTO_TEST_CASE(post_and_service_address_not_mixed) {
    const auto env = env_from("192.0.2.1", {"dev@lists.example.org"});
    check(decide_recipient(lists, lists_listener(), env, "dev-request@lists.example.org"), 452,
          {4, 5, 3});
    const auto service = env_from("192.0.2.1", {"dev-request@lists.example.org"});
    check(decide_recipient(lists, lists_listener(), service, "dev-owner@lists.example.org"), 250,
          {2, 1, 5});
    check(decide_recipient(lists, lists_listener(), service, "users-owner@lists.example.org"), 452,
          {4, 5, 3});
}

BOOST_AUTO_TEST_CASE(any_listener_accepts_everything_from_allowed_clients) {
    const auto l = any_listener();
    check(decide_recipient(lists, l, env_from("127.0.0.1"), "member@example.com"), 250, {2, 1, 5});
    check(decide_recipient(lists, l, env_from("::1"), "member@example.com"), 250, {2, 1, 5});
    check(decide_recipient(lists, l, env_from("::ffff:127.0.0.1"), "member@example.com"), 250,
          {2, 1, 5});
    check(decide_recipient(lists, l, env_from("127.0.0.1", {"a@example.com"}), "b@example.net"),
          250, {2, 1, 5});
}

BOOST_AUTO_TEST_CASE(any_listener_refuses_other_clients_550_5_7_1) {
    const auto l = any_listener();
    for (const char* ip : {"192.0.2.1", "2001:db8::1", "", "not-an-ip"})
        check(decide_recipient(lists, l, env_from(ip), "member@example.com"), 550, {5, 7, 1});
}

BOOST_AUTO_TEST_CASE(any_listener_keeps_list_posts_apart) {
    const auto l = any_listener();
    check(decide_recipient(lists, l, env_from("127.0.0.1", {"a@example.com"}),
                           "dev@lists.example.org"),
          452, {4, 5, 3});
}

BOOST_AUTO_TEST_CASE(client_allowed_rules) {
    BOOST_TEST(relay::client_allowed(lists_listener(), "203.0.113.9"));
    BOOST_TEST(relay::client_allowed(any_listener(), "127.8.9.10"));
    BOOST_TEST(!relay::client_allowed(any_listener(), "128.0.0.1"));
}

BOOST_AUTO_TEST_CASE(posted_list_only_for_pure_posts) {
    using relay::posted_list;
    const std::vector<std::string> post{"dev@lists.example.org", "Dev@lists.example.org"};
    BOOST_TEST(posted_list(lists, post) == &lists[0]);
    const std::vector<std::string> service{"dev-request@lists.example.org"};
    BOOST_TEST(posted_list(lists, service) == nullptr);
    const std::vector<std::string> mixed{"dev@lists.example.org", "users@lists.example.org"};
    BOOST_TEST(posted_list(lists, mixed) == nullptr);
    const std::vector<std::string> other{"a@example.com"};
    BOOST_TEST(posted_list(lists, other) == nullptr);
    BOOST_TEST(posted_list(lists, std::vector<std::string>{}) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
