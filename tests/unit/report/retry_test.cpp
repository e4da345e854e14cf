// tests/unit/report/retry_test.cpp — the delivery state after an attempt and the backoff.
#include "report/retry.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::report;

namespace {

delivery fresh() {
    delivery d;
    d.report_id = "abc";
    d.destination = "mailto:a@example.com";
    return d;
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_test)

BOOST_AUTO_TEST_CASE(the_backoff_doubles_up_to_its_cap) {
    const retry_policy p{60, 1000, 10};
    BOOST_TEST(retry_delay(p, 1) == 60);
    BOOST_TEST(retry_delay(p, 2) == 120);
    BOOST_TEST(retry_delay(p, 3) == 240);
    BOOST_TEST(retry_delay(p, 4) == 480);
    BOOST_TEST(retry_delay(p, 5) == 960);
    BOOST_TEST(retry_delay(p, 6) == 1000);
    BOOST_TEST(retry_delay(p, 90) == 1000); // no overflow however many attempts
}

BOOST_AUTO_TEST_CASE(a_2xx_is_sent_and_never_due_again) {
    auto d = after_attempt(fresh(), 250, "2.0.0 ok", 1000, {});
    BOOST_TEST((d.state == delivery_state::sent));
    BOOST_TEST(d.attempts == 1u);
    BOOST_TEST(d.updated == 1000);
    BOOST_TEST(d.last_error.empty());
    BOOST_TEST(!due(d, 1'000'000));
}

BOOST_AUTO_TEST_CASE(a_4xx_defers_until_the_attempts_run_out) {
    const retry_policy p{100, 400, 3};
    auto d = after_attempt(fresh(), 451, "4.3.0 busy", 1000, p);
    BOOST_TEST((d.state == delivery_state::deferred));
    BOOST_TEST(d.next_attempt == 1100);
    BOOST_TEST(d.last_error == "451 4.3.0 busy");
    BOOST_TEST(!due(d, 1099));
    BOOST_TEST(due(d, 1100));
    d = after_attempt(d, 421, "4.4.2 gone", 1100, p);
    BOOST_TEST((d.state == delivery_state::deferred));
    BOOST_TEST(d.next_attempt == 1300);
    d = after_attempt(d, 451, "4.4.1 no connection", 1300, p);
    BOOST_TEST((d.state == delivery_state::failed));
    BOOST_TEST(d.attempts == 3u);
    BOOST_TEST(d.last_error == "451 4.4.1 no connection (gave up after 3 attempts)");
    BOOST_TEST(!due(d, 1'000'000));
}

BOOST_AUTO_TEST_CASE(a_5xx_fails_at_once) {
    auto d = after_attempt(fresh(), 550, "5.7.1 no thanks", 1000, {});
    BOOST_TEST((d.state == delivery_state::failed));
    BOOST_TEST(d.attempts == 1u);
    BOOST_TEST(d.last_error == "550 5.7.1 no thanks");
    BOOST_TEST(!due(d, 1'000'000));
    BOOST_TEST(due(fresh(), 0)); // pending is always due
}

BOOST_AUTO_TEST_SUITE_END()
