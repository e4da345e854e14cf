// Tests for dns/memo: one answer per question per message, failures included.
#include "dns/memo.hpp"

#include "counting_resolver.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::dns;
using arcrelay::dns::testing::counting_resolver;

BOOST_AUTO_TEST_SUITE(memo_test)

BOOST_AUTO_TEST_CASE(each_question_goes_upstream_once) {
    counting_resolver upstream;
    upstream.zone.add("example.com", rr_type::txt, "v=spf1 -all");
    memo_resolver memo(upstream);
    const std::vector<question> first{{"example.com", rr_type::txt},
                                      {"EXAMPLE.com.", rr_type::txt}, // same name
                                      {"example.com", rr_type::a},
                                      {"missing.test", rr_type::txt}};
    const auto a = memo.resolve(first);
    BOOST_TEST(upstream.calls() == 1);
    BOOST_TEST(upstream.asked().size() == 3u); // the duplicate was not sent
    BOOST_TEST((a[0].result == outcome::records && a[1].result == outcome::records));
    BOOST_TEST(a[1].records == std::vector<std::string>{"v=spf1 -all"});
    BOOST_TEST((a[2].result == outcome::nodata));
    BOOST_TEST((a[3].result == outcome::nxdomain));
    BOOST_TEST(memo.size() == 3u);

    // Known questions cost nothing; a new one in the same batch goes up alone.
    const auto b = memo.resolve(
        std::vector<question>{{"example.com", rr_type::txt}, {"other.test", rr_type::mx}});
    BOOST_TEST(upstream.calls() == 2);
    BOOST_TEST(upstream.asked().size() == 4u);
    BOOST_TEST(upstream.asked().back().name == "other.test");
    BOOST_TEST((b[0].result == outcome::records && b[1].result == outcome::nxdomain));
    BOOST_TEST((memo.resolve_one({"missing.test", rr_type::txt}).result == outcome::nxdomain));
    BOOST_TEST(upstream.calls() == 2);
}

BOOST_AUTO_TEST_CASE(temporary_failures_are_remembered_too) {
    counting_resolver upstream;
    upstream.zone.simulate_timeout("slow.test");
    memo_resolver memo(upstream);
    const question q{"slow.test", rr_type::txt};
    BOOST_TEST((memo.resolve_one(q).result == outcome::temp_failure));
    BOOST_TEST((memo.resolve_one(q).result == outcome::temp_failure));
    BOOST_TEST(upstream.calls() == 1); // a second check needing it waits no second timeout
}

BOOST_AUTO_TEST_CASE(an_empty_batch_sends_nothing) {
    counting_resolver upstream;
    memo_resolver memo(upstream);
    BOOST_TEST(memo.resolve({}).empty());
    BOOST_TEST(upstream.calls() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
