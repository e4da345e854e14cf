// tests/unit/relay/reply_mapping_test.cpp — the next hop's answers mapped to one final reply
// (relay/reply_mapping.hpp): all accepted, all refused, mixed transient/permanent, VERP.
#include "relay/reply_mapping.hpp"

#include "printers.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace arcrelay;
using relay::map_next_hop_replies;

namespace {

smtp::reply ok() {
    return smtp::make_reply(250, {2, 1, 5}, "ok");
}
smtp::reply full() {
    return smtp::make_reply(452, {4, 2, 2}, "mailbox full");
}
smtp::reply unknown() {
    return smtp::make_reply(550, {5, 1, 1}, "no such list");
}

smtp::delivery_result hop_answer(smtp::reply overall, std::vector<smtp::reply> rcpts) {
    return {std::move(overall), std::move(rcpts)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(reply_mapping_test)

BOOST_AUTO_TEST_CASE(all_accepted_passes_next_hop_reply) {
    const std::vector<smtp::delivery_result> r{
        hop_answer(smtp::make_reply(250, {2, 0, 0}, "queued as X"), {ok(), ok()})};
    const auto m = map_next_hop_replies(r);
    BOOST_TEST(m.code == 250);
    BOOST_TEST(m.lines.front() == "queued as X");
}

BOOST_AUTO_TEST_CASE(all_accepted_over_verp_groups) {
    const std::vector<smtp::delivery_result> r{hop_answer(ok(), {ok()}), hop_answer(ok(), {ok()})};
    const auto m = map_next_hop_replies(r);
    BOOST_TEST(m.code == 250);
    BOOST_TEST(m.status == (smtp::enhanced_code{2, 0, 0}));
}

BOOST_AUTO_TEST_CASE(all_refused_permanently_passes_refusal) {
    const std::vector<smtp::delivery_result> r{hop_answer(unknown(), {unknown(), unknown()})};
    BOOST_TEST(map_next_hop_replies(r) == unknown());
}

BOOST_AUTO_TEST_CASE(all_deferred_passes_deferral) {
    const std::vector<smtp::delivery_result> r{hop_answer(full(), {full()})};
    BOOST_TEST(map_next_hop_replies(r) == full());
}

BOOST_AUTO_TEST_CASE(next_hop_down_is_451) {
    const auto down = smtp::make_reply(451, {4, 4, 1}, "next hop unreachable");
    const std::vector<smtp::delivery_result> r{hop_answer(down, {down, down})};
    BOOST_TEST(map_next_hop_replies(r) == down);
}

BOOST_AUTO_TEST_CASE(mixed_with_deferral_is_451_4_3_0) {
    const std::vector<smtp::delivery_result> r{hop_answer(full(), {ok(), full(), unknown()})};
    const auto m = map_next_hop_replies(r);
    BOOST_TEST(m.code == 451);
    BOOST_TEST(m.status == (smtp::enhanced_code{4, 3, 0}));
    BOOST_TEST(m.lines.front().find("2 of 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refused_and_deferred_without_accept_is_451) {
    const std::vector<smtp::delivery_result> r{hop_answer(full(), {unknown(), full()})};
    BOOST_TEST(map_next_hop_replies(r).code == 451);
}

BOOST_AUTO_TEST_CASE(mixed_accept_and_refusal_is_the_refusal) {
    const std::vector<smtp::delivery_result> r{hop_answer(ok(), {ok()}),
                                               hop_answer(unknown(), {unknown()})};
    const auto m = map_next_hop_replies(r);
    BOOST_TEST(m.code == 550);
    BOOST_TEST(m.status == (smtp::enhanced_code{5, 1, 1}));
    BOOST_TEST(m.lines.front().find("1 of 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(overall_only_results_count_once) {
    const std::vector<smtp::delivery_result> r{hop_answer(ok(), {})};
    BOOST_TEST(map_next_hop_replies(r).code == 250);
    BOOST_TEST(map_next_hop_replies({}).code == 451);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(reply_mapping_421)

// RFC 5321 §3.8: the next hop's 421 closes its own connection, not the client's.
BOOST_AUTO_TEST_CASE(next_hop_421_becomes_451) {
    const auto closing = smtp::make_reply(421, {4, 3, 2}, "shutting down");
    const std::vector<smtp::delivery_result> r{hop_answer(closing, {closing, closing})};
    const auto m = map_next_hop_replies(r);
    BOOST_TEST(m.code == 451);
    BOOST_TEST(fmt::format("{}", m.status) == "4.4.2");
}

BOOST_AUTO_TEST_SUITE_END()
