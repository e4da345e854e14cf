// tests/unit/report/split_test.cpp — splitting a report by record count to fit a size limit.
#include "report/split.hpp"
#include "report/xml_report.hpp"

#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace report_test;
using arcrelay::result;

namespace {

domain_report report_of(int records) {
    std::vector<dmarc_row> rows;
    for (int i = 0; i < records; ++i)
        rows.push_back(sample_row(2 * i)); // distinct source IPs: one record each
    auto reports = aggregate(rows, 24);
    BOOST_REQUIRE(reports.size() == 1u);
    return reports.front();
}

// A mail of 1000 octets plus 100 per record, and 5000 more for a record from 192.0.2.99.
std::uint64_t size_of(const domain_report& r) {
    std::uint64_t n = 1000;
    for (const auto& rec : r.records)
        n += rec.row.source_ip == "192.0.2.99" ? 5100 : 100;
    return n;
}

result<split_report_result> split(const domain_report& r, std::uint64_t limit) {
    return split_to_fit(r, limit,
                        [](const domain_report& p) -> result<std::uint64_t> { return size_of(p); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(split_test)

BOOST_AUTO_TEST_CASE(a_report_that_fits_stays_whole) {
    const auto r = report_of(10);
    const auto s = split(r, 2000);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(s->parts.size() == 1u);
    BOOST_TEST(s->parts[0].part == 0u);
    BOOST_TEST(s->parts[0].records.size() == 10u);
    BOOST_TEST(s->refused.empty());
}

BOOST_AUTO_TEST_CASE(a_report_too_big_is_split_into_complete_parts) {
    const auto r = report_of(10);
    const auto s = split(r, 1450); // four records per part
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(s->parts.size() == 3u);
    std::vector<std::string> ips;
    for (unsigned i = 0; i < 3; ++i) {
        BOOST_TEST(s->parts[i].part == i + 1);
        BOOST_TEST(size_of(s->parts[i]) <= 1450u);
        BOOST_TEST(s->parts[i].policy_domain == r.policy_domain);
        BOOST_TEST((s->parts[i].when == r.when));
        for (const auto& rec : s->parts[i].records)
            ips.push_back(rec.row.source_ip);
    }
    BOOST_TEST(s->parts[0].records.size() == 4u);
    BOOST_TEST(s->parts[2].records.size() == 2u);
    std::vector<std::string> all;
    for (const auto& rec : r.records)
        all.push_back(rec.row.source_ip);
    BOOST_TEST(ips == all); // nothing lost, nothing twice, order kept
    // Each part has its own stable Report-ID, and so its own file name.
    const report_metadata meta{"org", "r@x.example", "mx.x.example", "arcrelay"};
    const auto whole = report_id(meta, r);
    BOOST_TEST(report_id(meta, s->parts[0]) == whole + "p1");
    BOOST_TEST(report_id(meta, s->parts[2]) == whole + "p3");
    BOOST_TEST(report_file_name(meta, s->parts[1]).ends_with("!" + whole + "p2.xml.gz"));
    const auto again = split(r, 1450);
    BOOST_TEST(again->parts[1].records.size() == s->parts[1].records.size());
}

BOOST_AUTO_TEST_CASE(a_record_that_cannot_fit_alone_is_refused_not_cut) {
    auto r = report_of(5);
    r.records[2].row.source_ip = "192.0.2.99";
    const auto s = split(r, 1300);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(s->refused.size() == 1u);
    BOOST_TEST(s->refused[0].row.source_ip == "192.0.2.99");
    std::size_t kept = 0;
    for (const auto& p : s->parts) {
        BOOST_TEST(size_of(p) <= 1300u);
        kept += p.records.size();
    }
    BOOST_TEST(kept == 4u);
}

BOOST_AUTO_TEST_CASE(a_measure_error_stops_the_split) {
    const auto s =
        split_to_fit(report_of(3), 10, [](const domain_report&) -> result<std::uint64_t> {
            return arcrelay::permanent_error("cannot sign");
        });
    BOOST_TEST_REQUIRE(!s.ok());
    BOOST_TEST(s.error().message == "cannot sign");
}

BOOST_AUTO_TEST_SUITE_END()
