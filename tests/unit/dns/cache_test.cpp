// Tests for dns/cache: TTLs with an injected clock, negative and failure lifetimes, the size
// bound (LRU), and coalescing of identical questions in flight on several threads.
#include "dns/cache.hpp"

#include "counting_resolver.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

using namespace arcrelay::dns;
using arcrelay::dns::testing::counting_resolver;
using std::chrono::seconds;

namespace {

struct fake_clock {
    std::chrono::steady_clock::time_point now{};
    void advance(seconds s) { now += s; }
};

struct fixture {
    counting_resolver upstream;
    fake_clock time;

    cache_options options() {
        cache_options o;
        o.clock = [this] { return time.now; };
        return o;
    }
};

answer ask(resolver& r, const char* name, rr_type type = rr_type::txt) {
    return r.resolve_one({name, type});
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(cache_test, fixture)

BOOST_AUTO_TEST_CASE(records_live_for_their_ttl) {
    upstream.zone.add("example.com", rr_type::txt, "v=spf1 -all", 60);
    caching_resolver cache(upstream, options());
    BOOST_TEST(ask(cache, "example.com").ttl == 60u);
    time.advance(seconds(20));
    const answer cached = ask(cache, "Example.COM.");
    BOOST_TEST(cached.records == std::vector<std::string>{"v=spf1 -all"});
    BOOST_TEST(cached.ttl == 40u); // what remains
    BOOST_TEST(upstream.calls() == 1);
    time.advance(seconds(40));
    BOOST_TEST((ask(cache, "example.com").result == outcome::records));
    BOOST_TEST(upstream.calls() == 2);
}

BOOST_AUTO_TEST_CASE(ttls_are_capped) {
    upstream.zone.add("example.com", rr_type::txt, "x", 1000000);
    cache_options o = options();
    o.max_ttl = 100;
    caching_resolver cache(upstream, o);
    ask(cache, "example.com");
    time.advance(seconds(99));
    ask(cache, "example.com");
    BOOST_TEST(upstream.calls() == 1);
    time.advance(seconds(1));
    ask(cache, "example.com");
    BOOST_TEST(upstream.calls() == 2);
}

BOOST_AUTO_TEST_CASE(negative_answers_are_cached_within_their_cap) {
    upstream.zone.add("host.example.com", rr_type::a, "192.0.2.1");
    cache_options o = options();
    o.max_negative_ttl = 30;
    caching_resolver cache(upstream, o);
    BOOST_TEST((ask(cache, "nope.example.com").result == outcome::nxdomain));
    BOOST_TEST((ask(cache, "host.example.com").result == outcome::nodata));
    time.advance(seconds(29));
    BOOST_TEST((ask(cache, "nope.example.com").result == outcome::nxdomain));
    BOOST_TEST((ask(cache, "host.example.com").result == outcome::nodata));
    BOOST_TEST(upstream.calls() == 2);
    time.advance(seconds(1));
    ask(cache, "nope.example.com");
    BOOST_TEST(upstream.calls() == 3);
}

BOOST_AUTO_TEST_CASE(zero_ttl_answers_are_not_kept) {
    upstream.zone.add("example.com", rr_type::txt, "x", 0);
    caching_resolver cache(upstream, options());
    ask(cache, "example.com");
    ask(cache, "example.com");
    BOOST_TEST(upstream.calls() == 2);
    BOOST_TEST(cache.size() == 0u);
}

BOOST_AUTO_TEST_CASE(failures_are_kept_only_briefly) {
    upstream.zone.simulate_timeout("slow.example.com");
    upstream.zone.simulate_malformed("bad.example.com");
    caching_resolver cache(upstream, options());
    BOOST_TEST((ask(cache, "slow.example.com").result == outcome::temp_failure));
    BOOST_TEST((ask(cache, "bad.example.com").result == outcome::malformed));
    ask(cache, "slow.example.com");
    ask(cache, "bad.example.com");
    BOOST_TEST(upstream.calls() == 2);
    time.advance(seconds(default_cache_failure_ttl));
    ask(cache, "slow.example.com");
    ask(cache, "bad.example.com");
    BOOST_TEST(upstream.calls() == 4);
}

BOOST_AUTO_TEST_CASE(least_recently_used_entries_leave_first) {
    for (const char* name : {"a.test", "b.test", "c.test"}) {
        upstream.zone.add(name, rr_type::a, "192.0.2.1");
    }
    cache_options o = options();
    o.max_entries = 2;
    caching_resolver cache(upstream, o);
    ask(cache, "a.test", rr_type::a);
    ask(cache, "b.test", rr_type::a);
    ask(cache, "a.test", rr_type::a); // a is now the most recent
    ask(cache, "c.test", rr_type::a); // b goes
    BOOST_TEST(cache.size() == 2u);
    BOOST_TEST(upstream.calls() == 3);
    ask(cache, "a.test", rr_type::a);
    BOOST_TEST(upstream.calls() == 3);
    ask(cache, "b.test", rr_type::a);
    BOOST_TEST(upstream.calls() == 4);
}

BOOST_AUTO_TEST_CASE(one_upstream_call_per_batch_without_duplicates) {
    upstream.zone.add("a.test", rr_type::txt, "a");
    upstream.zone.add("b.test", rr_type::txt, "b");
    caching_resolver cache(upstream, options());
    ask(cache, "a.test");
    const std::vector<question> questions = {
        {"b.test", rr_type::txt}, {"a.test", rr_type::txt}, {"B.TEST.", rr_type::txt}};
    const std::vector<answer> a = cache.resolve(questions);
    BOOST_TEST_REQUIRE(a.size() == 3u);
    BOOST_TEST(a[0].records == std::vector<std::string>{"b"});
    BOOST_TEST(a[1].records == std::vector<std::string>{"a"});
    BOOST_TEST(a[2].records == std::vector<std::string>{"b"});
    BOOST_TEST(upstream.calls() == 2);
    BOOST_TEST(upstream.asked().size() == 2u); // a.test once, b.test once
}

BOOST_AUTO_TEST_CASE(identical_questions_in_flight_are_asked_once) {
    upstream.zone.add("example.com", rr_type::txt, "shared");
    caching_resolver cache(upstream, options());
    upstream.set_open(false);
    answer first;
    answer second;
    std::thread one([&] { first = ask(cache, "example.com"); });
    while (upstream.calls() == 0)
        std::this_thread::yield();
    std::thread two([&] { second = ask(cache, "EXAMPLE.com"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let `two` reach the cache
    BOOST_TEST(upstream.calls() == 1);
    upstream.set_open(true);
    one.join();
    two.join();
    BOOST_TEST(first.records == std::vector<std::string>{"shared"});
    BOOST_TEST(second.records == std::vector<std::string>{"shared"});
    BOOST_TEST(upstream.calls() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
