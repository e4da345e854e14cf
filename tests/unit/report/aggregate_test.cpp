// tests/unit/report/aggregate_test.cpp — UTC periods (RFC 9990 2.1) and records with counts.
#include "report/aggregate.hpp"

#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace report_test;

BOOST_AUTO_TEST_SUITE(aggregate_test)

BOOST_AUTO_TEST_CASE(periods_start_at_midnight_utc_and_divide_the_day) {
    const std::int64_t midnight = 1'764'633'600; // 2025-12-02T00:00:00Z
    BOOST_TEST((period_of(midnight, 24) == period{midnight, midnight + 86400}));
    BOOST_TEST((period_of(midnight + 86399, 24) == period{midnight, midnight + 86400}));
    BOOST_TEST((period_of(midnight + 86400, 24).begin == midnight + 86400));
    BOOST_TEST((period_of(midnight + 7 * 3600 + 5, 6) ==
                period{midnight + 6 * 3600, midnight + 12 * 3600}));
    BOOST_TEST((period_of(midnight + 3599, 1) == period{midnight, midnight + 3600}));
    BOOST_TEST((period_of(-1, 24) == period{-86400, 0})); // floor, not truncation
}

BOOST_AUTO_TEST_CASE(identical_rows_become_one_record_with_a_count) {
    std::vector<dmarc_row> rows;
    for (int i = 0; i < 5; ++i) {
        auto r = sample_row(0);
        r.time += i * 60; // the time is not part of a record
        rows.push_back(r);
    }
    auto other_ip = sample_row(0);
    other_ip.source_ip = "198.51.100.1";
    rows.push_back(other_ip);
    auto rejected = sample_row(0);
    rejected.applied = disposition::reject;
    rows.push_back(rejected);
    rows.push_back(sample_row(0));

    const auto reports = aggregate(rows, 24);
    BOOST_TEST_REQUIRE(reports.size() == 1u);
    const auto& r = reports[0];
    BOOST_TEST(r.policy_domain == "example.com");
    BOOST_TEST((r.when == period_of(sample_row(0).time, 24)));
    BOOST_TEST_REQUIRE(r.records.size() == 3u);
    BOOST_TEST(r.records[0].count == 6u);
    BOOST_TEST(r.records[0].row.time == 0);
    BOOST_TEST(r.records[1].count == 1u);
    BOOST_TEST(r.records[1].row.source_ip == "198.51.100.1");
    BOOST_TEST(r.records[2].count == 1u);
    BOOST_TEST((r.records[2].row.applied == disposition::reject));
}

BOOST_AUTO_TEST_CASE(reports_split_by_domain_and_period) {
    auto a = sample_row(0);
    auto b = sample_row(0);
    b.policy.domain = "example.net";
    b.header_from = "example.net";
    auto next_day = sample_row(0);
    next_day.time += 86400;
    auto next_hour = sample_row(0);
    next_hour.time += 3600;
    const auto daily = aggregate({a, b, next_day, next_hour}, 24);
    BOOST_TEST_REQUIRE(daily.size() == 3u);
    BOOST_TEST(daily[0].policy_domain == "example.com");
    BOOST_TEST(daily[0].records.at(0).count == 2u); // a and next_hour
    BOOST_TEST(daily[1].policy_domain == "example.com");
    BOOST_TEST(daily[1].when.begin == a.time + 86400);
    BOOST_TEST(daily[2].policy_domain == "example.net");
    BOOST_TEST(aggregate({a, next_hour}, 1).size() == 2u);
    BOOST_TEST(aggregate({}, 24).empty());
}

BOOST_AUTO_TEST_CASE(the_latest_published_policy_heads_the_report) {
    auto before = sample_row(0);
    auto after = sample_row(0);
    after.time += 60;
    after.policy.p = policy::quarantine;
    const auto reports = aggregate({before, after}, 24);
    BOOST_TEST_REQUIRE(reports.size() == 1u);
    BOOST_TEST((reports[0].policy.p == policy::quarantine));
    BOOST_TEST(reports[0].records.size() == 2u); // the rows differ in what they saw
}

BOOST_AUTO_TEST_SUITE_END()
