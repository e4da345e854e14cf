// tests/unit/relay/thread_counts_test.cpp — [server] threads and io_threads as the daemon
// runs them (relay/thread_counts.hpp): 0 means "from the core count", set values are kept.
#include "relay/thread_counts.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;

namespace {
relay::thread_counts resolve(unsigned threads, unsigned io_threads, unsigned cores) {
    config::server_settings s;
    s.threads = threads;
    s.io_threads = io_threads;
    return relay::resolve_thread_counts(s, cores);
}
} // namespace

BOOST_AUTO_TEST_SUITE(thread_counts_test)

BOOST_AUTO_TEST_CASE(defaults_follow_the_cores) {
    for (auto [cores, io, workers] : {std::tuple{1u, 1u, 1u},
                                      {2u, 1u, 2u},
                                      {4u, 1u, 4u},
                                      {7u, 1u, 7u},
                                      {8u, 2u, 8u},
                                      {64u, 16u, 64u}}) {
        const auto t = resolve(0, 0, cores);
        BOOST_TEST_INFO("cores " << cores);
        BOOST_TEST(t.workers == workers);
        BOOST_TEST(t.io == io);
    }
}

BOOST_AUTO_TEST_CASE(unknown_core_count_is_one_core) {
    const auto t = resolve(0, 0, 0);
    BOOST_TEST(t.workers == 1u);
    BOOST_TEST(t.io == 1u);
}

BOOST_AUTO_TEST_CASE(set_values_are_kept) {
    auto t = resolve(12, 0, 2); // I/O threads follow the configured workers, not the cores
    BOOST_TEST(t.workers == 12u);
    BOOST_TEST(t.io == 3u);
    t = resolve(0, 5, 2);
    BOOST_TEST(t.workers == 2u);
    BOOST_TEST(t.io == 5u);
    t = resolve(3, 2, 64);
    BOOST_TEST(t.workers == 3u);
    BOOST_TEST(t.io == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
