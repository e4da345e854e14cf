// Tests for dns/budget: the per-message question budget.
#include "dns/budget.hpp"

#include "counting_resolver.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::dns;
using arcrelay::dns::testing::counting_resolver;

BOOST_AUTO_TEST_SUITE(budget_test)

BOOST_AUTO_TEST_CASE(questions_beyond_the_budget_are_not_sent) {
    counting_resolver upstream;
    upstream.zone.add("example.com", rr_type::txt, "x");
    budgeted_resolver budget(upstream, 3);
    const std::vector<question> two(2, question{"example.com", rr_type::txt});

    const std::vector<answer> first = budget.resolve(two);
    BOOST_TEST((first[0].result == outcome::records && first[1].result == outcome::records));
    BOOST_TEST(budget.used() == 2u);

    const std::vector<answer> second = budget.resolve(two); // only one fits
    BOOST_TEST((second[0].result == outcome::records));
    BOOST_TEST((second[1].result == outcome::temp_failure));
    BOOST_TEST(second[1].reason == budget_exhausted_reason);
    BOOST_TEST(budget.used() == 3u);

    const answer third = budget.resolve_one(two[0]);
    BOOST_TEST((third.result == outcome::temp_failure));
    BOOST_TEST(third.reason == "DNS query budget exhausted");
    BOOST_TEST(upstream.asked().size() == 3u);
    BOOST_TEST(upstream.calls() == 2); // nothing sent once the budget is spent
}

BOOST_AUTO_TEST_CASE(default_budget) {
    counting_resolver upstream;
    budgeted_resolver budget(upstream);
    const std::vector<question> many(default_message_query_budget + 1, question{"x.test"});
    const std::vector<answer> a = budget.resolve(many);
    BOOST_TEST((a[default_message_query_budget - 1].result == outcome::nxdomain));
    BOOST_TEST((a[default_message_query_budget].result == outcome::temp_failure));
    BOOST_TEST(upstream.asked().size() == default_message_query_budget);
}

BOOST_AUTO_TEST_CASE(a_zero_budget_sends_nothing) {
    counting_resolver upstream;
    budgeted_resolver budget(upstream, 0);
    BOOST_TEST((budget.resolve_one({"x.test"}).result == outcome::temp_failure));
    BOOST_TEST(upstream.calls() == 0);
}

BOOST_AUTO_TEST_CASE(nothing_is_sent_after_the_deadline) {
    counting_resolver upstream;
    upstream.zone.add("example.com", rr_type::txt, "x");
    const auto now = std::chrono::steady_clock::now();
    budgeted_resolver in_time(upstream, 10, now + std::chrono::hours(1));
    BOOST_TEST((in_time.resolve_one({"example.com"}).result == outcome::records));
    BOOST_TEST(upstream.calls() == 1);

    budgeted_resolver late(upstream, 10, now - std::chrono::milliseconds(1));
    const auto a = late.resolve(std::vector<question>(3, question{"example.com"}));
    BOOST_TEST(a.size() == 3u);
    for (const auto& one : a) {
        BOOST_TEST((one.result == outcome::temp_failure));
        BOOST_TEST(one.reason == deadline_passed_reason);
    }
    BOOST_TEST(upstream.calls() == 1);
    BOOST_TEST(late.used() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
