// tests/unit/report/sqlite_store_test.cpp — the SQLite row store: round trip of every field,
// periods, deletion, WAL, schema creation and migration (v1 to v2), deliveries, the sending
// lease, and its refusals.
#include "report/sqlite_store.hpp"

#include "store_contract.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <fstream>

using namespace report_test;

namespace {

std::unique_ptr<row_store> open_ok(const std::string& path) {
    auto s = open_sqlite_store(path);
    BOOST_TEST_INFO((s ? std::string() : s.error().message));
    BOOST_REQUIRE(s.ok());
    return std::move(*s);
}

// Runs one SQL statement on its own connection (what another process would do).
std::string query_one(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string out;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* o, int, char** values, char**) {
            *static_cast<std::string*>(o) = values[0] ? values[0] : "NULL";
            return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
}

delivery pending_delivery(const std::string& report_id) {
    delivery d;
    d.report_id = report_id;
    d.destination = "mailto:a@example.com";
    return d;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sqlite_store_test)

BOOST_AUTO_TEST_CASE(every_field_reads_back) {
    scratch_dir dir;
    check_every_field_reads_back(*open_ok(dir.file("r.sqlite")));
}

BOOST_AUTO_TEST_CASE(periods_are_half_open_and_old_rows_can_be_deleted) {
    scratch_dir dir;
    check_periods_and_deletion(*open_ok(dir.file("r.sqlite")));
}

BOOST_AUTO_TEST_CASE(the_database_is_wal_with_a_version_table) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    BOOST_TEST(*sqlite_schema_version_of(path) == 0); // an empty file: no schema yet
    {
        auto store = open_ok(path);
        BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row()}).ok());
    }
    BOOST_TEST(query_one(path, "PRAGMA journal_mode") == "wal");
    BOOST_TEST(query_one(path, "SELECT version FROM schema_version") ==
               std::to_string(sqlite_schema_version));
    BOOST_TEST(*sqlite_schema_version_of(path) == sqlite_schema_version);
    // Opening again migrates nothing and keeps the rows.
    auto again = open_ok(path);
    BOOST_TEST(*again->count_rows() == 1u);
    BOOST_TEST(query_one(path, "SELECT COUNT(*) FROM schema_version") == "1");
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused_not_guessed_at) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    open_ok(path);
    query_one(path, "UPDATE schema_version SET version = 99");
    const auto s = open_sqlite_store(path);
    BOOST_TEST_REQUIRE(!s.ok());
    BOOST_TEST(s.error().message == path + ": schema version 99 is newer than this arcrelay's (" +
                                        std::to_string(sqlite_schema_version) + ")");
}

BOOST_AUTO_TEST_CASE(unopenable_paths_and_non_databases_name_the_path) {
    scratch_dir dir;
    const auto missing = dir.file("no/such/dir/r.sqlite");
    const auto s = open_sqlite_store(missing);
    BOOST_TEST_REQUIRE(!s.ok());
    BOOST_TEST(s.error().message.rfind(missing + ": cannot open: ", 0) == 0);

    const auto junk = dir.file("junk.sqlite");
    std::ofstream(junk) << std::string(4096, 'x');
    const auto j = open_sqlite_store(junk);
    BOOST_TEST_REQUIRE(!j.ok());
    BOOST_TEST_INFO(j.error().message);
    BOOST_TEST(j.error().message.rfind(junk + ": ", 0) == 0);
    BOOST_TEST(j.error().message.find("not a database") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_stored_row_that_does_not_read_back_is_an_error) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    auto store = open_ok(path);
    BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row()}).ok());
    query_one(path, "UPDATE dmarc_rows SET disposition = 'discard'");
    const auto rows = store->rows_between(0, 4'000'000'000);
    BOOST_TEST_REQUIRE(!rows.ok());
    BOOST_TEST(rows.error().message == "stored row: unknown disposition \"discard\"");
}

BOOST_AUTO_TEST_CASE(a_version_1_database_migrates_to_2_and_keeps_its_rows) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    {
        auto store = open_ok(path);
        BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row()}).ok());
    }
    // What a version 1 database looks like: rows, no sending tables.
    query_one(path, "DROP TABLE report_deliveries; DROP TABLE send_lease; "
                    "UPDATE schema_version SET version = 1");
    BOOST_TEST(*sqlite_schema_version_of(path) == 1);
    BOOST_TEST(query_one(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'send_lease'") ==
               "0");
    auto store = open_ok(path);
    BOOST_TEST(*sqlite_schema_version_of(path) == 2);
    BOOST_TEST(*store->count_rows() == 1u);
    BOOST_TEST(store->save_delivery(pending_delivery("id1")).ok());
    BOOST_TEST(store->deliveries_of("id1")->size() == 1u);
    BOOST_TEST(*store->acquire_send_lease("a", 100, 60));
}

BOOST_AUTO_TEST_CASE(deliveries_are_upserted_by_report_and_destination) {
    scratch_dir dir;
    auto store = open_ok(dir.file("r.sqlite"));
    BOOST_TEST(store->deliveries_of("abc")->empty());
    delivery d{
        "abc", "mailto:z@example.com", delivery_state::deferred, 2, 5000, "451 4.3.0 try later",
        4000};
    delivery other{"abc", "mailto:a@example.com", delivery_state::sent, 1, 0, "", 3000};
    BOOST_TEST_REQUIRE(store->save_delivery(d).ok());
    BOOST_TEST_REQUIRE(store->save_delivery(other).ok());
    BOOST_TEST_REQUIRE(store->save_delivery(pending_delivery("abd")).ok());
    auto back = store->deliveries_of("abc");
    BOOST_TEST_REQUIRE(back->size() == 2u);
    BOOST_TEST((back->at(0) == other)); // ordered by destination
    BOOST_TEST((back->at(1) == d));
    d.state = delivery_state::failed;
    d.attempts = 3;
    d.last_error = "550 5.7.1 no";
    d.updated = 6000;
    BOOST_TEST_REQUIRE(store->save_delivery(d).ok()); // replaces, not a second row
    back = store->deliveries_of("abc");
    BOOST_TEST_REQUIRE(back->size() == 2u);
    BOOST_TEST((back->at(1) == d));
    BOOST_TEST(*store->delete_deliveries_before(5000) == 2u); // "other" and "abd" (updated 0)
    BOOST_TEST(store->deliveries_of("abd")->empty());
    BOOST_TEST(store->deliveries_of("abc")->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stored_delivery_with_an_unknown_state_is_an_error) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    auto store = open_ok(path);
    BOOST_TEST_REQUIRE(store->save_delivery(pending_delivery("x")).ok());
    query_one(path, "UPDATE report_deliveries SET state = 'lost'");
    const auto back = store->deliveries_of("x");
    BOOST_TEST_REQUIRE(!back.ok());
    BOOST_TEST(back.error().message == "stored delivery: unknown delivery state \"lost\"");
}

BOOST_AUTO_TEST_CASE(delete_rows_takes_one_domain_and_period_only) {
    scratch_dir dir;
    auto store = open_ok(dir.file("r.sqlite"));
    std::vector<dmarc_row> rows;
    for (int i = 0; i < 6; ++i)
        rows.push_back(sample_row(i));
    rows[5].policy.domain = "other.example";
    BOOST_TEST_REQUIRE(store->insert(rows).ok());
    const auto t0 = sample_row(0).time;
    BOOST_TEST(*store->delete_rows("example.com", t0 + 1, t0 + 3) == 2u);
    BOOST_TEST(*store->delete_rows("example.com", t0, t0 + 100) == 3u); // 0, 3, 4
    BOOST_TEST(*store->count_rows() == 1u);
    BOOST_TEST(store->rows_between(0, t0 + 100)->front().policy.domain == "other.example");
}

BOOST_AUTO_TEST_CASE(the_sending_lease_has_one_holder_across_connections) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    auto a = open_ok(path);
    auto b = open_ok(path); // a second instance on the same database
    BOOST_TEST(*a->acquire_send_lease("host-a", 1000, 60));
    BOOST_TEST(!*b->acquire_send_lease("host-b", 1030, 60)); // held until 1060
    BOOST_TEST(*a->acquire_send_lease("host-a", 1050, 60));  // renewed: until 1110
    BOOST_TEST(!*b->acquire_send_lease("host-b", 1100, 60));
    BOOST_TEST(*b->acquire_send_lease("host-b", 1110, 60)); // expired: taken over
    BOOST_TEST(!*a->acquire_send_lease("host-a", 1120, 60));
    BOOST_TEST(a->release_send_lease("host-a").ok()); // not a's: nothing changes
    BOOST_TEST(!*a->acquire_send_lease("host-a", 1121, 60));
    BOOST_TEST(b->release_send_lease("host-b").ok());
    BOOST_TEST(*a->acquire_send_lease("host-a", 1122, 60)); // released: free at once
    BOOST_TEST(query_one(path, "SELECT owner || ' ' || expires FROM send_lease") == "host-a 1182");
}

BOOST_AUTO_TEST_SUITE_END()
