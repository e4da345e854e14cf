// tests/unit/report/store_contract.hpp — what every row_store must do, checked on SQLite
// (sqlite_store_test) and PostgreSQL (report_pg/pg_store_test) alike.
#pragma once

#include "report/store.hpp"
#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

namespace report_test {

// Every field, NULLs, an empty list and a hostile string round-trip unchanged.
inline void check_every_field_reads_back(row_store& store) {
    std::vector<dmarc_row> rows{sample_row(0), sample_row(1)};
    rows[1].policy.sp.reset();
    rows[1].policy.np = policy::none;
    rows[1].dkim.clear();
    rows[1].reasons.clear();
    rows[1].envelope_from.clear();
    rows[1].applied = disposition::reject;
    rows[1].header_from = "ex\"ample'; DROP TABLE dmarc_rows; --.com"; // bound, never spliced
    BOOST_TEST_REQUIRE(store.insert(rows).ok());
    const auto back = store.rows_between(0, 4'000'000'000);
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST_REQUIRE(back->size() == 2u);
    BOOST_TEST((back->at(0) == rows[0]));
    BOOST_TEST((back->at(1) == rows[1]));
    BOOST_TEST(*store.count_rows() == 2u);
}

// rows_between is begin <= time < end; delete_before removes time < before.
inline void check_periods_and_deletion(row_store& store) {
    std::vector<dmarc_row> rows;
    for (int i = 0; i < 10; ++i)
        rows.push_back(sample_row(i));
    BOOST_TEST_REQUIRE(store.insert(rows).ok());
    const auto t0 = sample_row(0).time;
    BOOST_TEST(store.rows_between(t0 + 2, t0 + 5)->size() == 3u);
    BOOST_TEST(store.rows_between(t0 + 10, t0 + 20)->empty());
    BOOST_TEST(*store.delete_before(t0 + 4) == 4u);
    BOOST_TEST(*store.count_rows() == 6u);
    BOOST_TEST(store.rows_between(0, t0 + 100)->front().time == t0 + 4);
}

} // namespace report_test
