// tests/unit/report_pg/pg_test_support.hpp — the server tests/tools/pg_cluster.py started for
// this executable (CTest runs it as `pg_cluster.py run -- unit_report_pg`): arcrelay's URI,
// and the superuser's connection for the test's own statements.
#pragma once

#include "report/pg_store.hpp"

#include "../report/store_contract.hpp"

#include <boost/test/unit_test.hpp>
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace pg_test {

using namespace report_test;

inline std::string env(const char* name) {
    const char* v = std::getenv(name);
    if (!v)
        BOOST_FAIL(std::string(name) + " is unset: run through CTest, or as "
                                       "tests/tools/pg_cluster.py run -- unit_report_pg");
    return v;
}

inline std::string uri() {
    return env("ARCRELAY_TEST_PG_URI");
}
// What the store may print: the URI without its password.
inline const std::string shown = "postgresql://arcrelay@127.0.0.1/reports";

// Runs `sql` as the superuser; the first value of the first row ("" if none).
inline std::string admin(const std::string& sql) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> c(
        PQconnectdb(env("ARCRELAY_TEST_PG_ADMIN_URI").c_str()), &PQfinish);
    BOOST_REQUIRE_MESSAGE(PQstatus(c.get()) == CONNECTION_OK, PQerrorMessage(c.get()));
    PQsetNoticeProcessor(
        c.get(), [](void*, const char*) {}, nullptr);
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
    const auto st = PQresultStatus(r.get());
    BOOST_REQUIRE_MESSAGE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK,
                          sql << ": " << PQresultErrorMessage(r.get()));
    if (st != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return "";
    return PQgetvalue(r.get(), 0, 0);
}

// Every test starts from a database arcrelay never saw.
struct fresh_database {
    fresh_database() {
        admin("DROP TABLE IF EXISTS dmarc_rows, report_deliveries, send_lease, schema_version");
    }
};

inline std::unique_ptr<row_store> open_ok() {
    auto s = open_pg_store(uri(), shown);
    BOOST_TEST_INFO((s ? std::string() : s.error().message));
    BOOST_REQUIRE(s.ok());
    return std::move(*s);
}

} // namespace pg_test
