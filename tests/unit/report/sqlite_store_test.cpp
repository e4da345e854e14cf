// tests/unit/report/sqlite_store_test.cpp — the SQLite row store: round trip of every field,
// periods, deletion, WAL, schema creation and migration, and its refusals.
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

BOOST_AUTO_TEST_SUITE_END()
