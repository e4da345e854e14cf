// tests/unit/report_pg/pg_store_test.cpp — the PostgreSQL row store against a real server
// (tests/tools/pg_cluster.py): round trip of every field, periods, deletion, the schema
// version table, migrations raced by several processes, a newer schema refused, reconnecting
// after the server dropped the connection, and errors that never show the password.
#include "pg_test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <vector>

using namespace pg_test;

BOOST_AUTO_TEST_SUITE(pg_store_test)

BOOST_FIXTURE_TEST_CASE(every_field_reads_back, fresh_database) {
    check_every_field_reads_back(*open_ok());
    // Stored with the column types an operator would query (BOOLEAN, BIGINT, NULL sp).
    BOOST_TEST(admin("SELECT count(*) FROM dmarc_rows WHERE testing AND sp IS NULL") == "1");
    BOOST_TEST(admin("SELECT sum(time) FROM dmarc_rows") ==
               std::to_string(2 * sample_row(0).time + 1));
}

BOOST_FIXTURE_TEST_CASE(periods_are_half_open_and_old_rows_can_be_deleted, fresh_database) {
    check_periods_and_deletion(*open_ok());
}

BOOST_FIXTURE_TEST_CASE(a_batch_is_one_transaction, fresh_database) {
    auto store = open_ok();
    std::vector<dmarc_row> rows{sample_row(0), sample_row(1), sample_row(2)};
    // The third row breaks a constraint the test adds: the server refuses it mid-batch.
    admin("ALTER TABLE dmarc_rows ADD CONSTRAINT no_third CHECK (source_ip <> '192.0.2.3')");
    const auto refused = store->insert(rows);
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error().temporary());
    BOOST_TEST(refused.error().message.rfind(shown + ": ", 0) == 0);
    BOOST_TEST(*store->count_rows() == 0u); // the two good rows went with it
    BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row(0)}).ok());
    BOOST_TEST(*store->count_rows() == 1u);
}

BOOST_FIXTURE_TEST_CASE(the_schema_has_a_version_table_and_reopening_migrates_nothing,
                        fresh_database) {
    BOOST_TEST(*pg_schema_version_of(uri(), shown) == 0);
    {
        auto store = open_ok();
        BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row()}).ok());
    }
    BOOST_TEST(admin("SELECT version FROM schema_version") == std::to_string(pg_schema_version));
    BOOST_TEST(*pg_schema_version_of(uri(), shown) == pg_schema_version);
    auto again = open_ok();
    BOOST_TEST(*again->count_rows() == 1u);
    BOOST_TEST(admin("SELECT count(*) FROM schema_version") == "1");
    // Created by the arcrelay role, not the superuser: the privileges OPERATIONS.md names.
    BOOST_TEST(admin("SELECT tableowner FROM pg_tables WHERE tablename = 'dmarc_rows'") ==
               "arcrelay");
}

BOOST_FIXTURE_TEST_CASE(instances_starting_at_once_migrate_once, fresh_database) {
    // Eight processes open the empty database at the same moment; without the advisory lock
    // two CREATE TABLEs collide (duplicate key in pg_type) or the version row is doubled.
    constexpr int processes = 8;
    int go[2];
    BOOST_REQUIRE(pipe(go) == 0);
    std::vector<pid_t> children;
    for (int i = 0; i < processes; ++i) {
        const pid_t pid = fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            close(go[1]);
            char c;
            (void)!read(go[0], &c, 1); // released together when the pipe closes
            auto s = open_pg_store(uri(), shown);
            _exit(s.ok() ? 0 : 1);
        }
        children.push_back(pid);
    }
    close(go[0]);
    close(go[1]);
    int failed = 0;
    for (pid_t pid : children) {
        int st = 0;
        waitpid(pid, &st, 0);
        failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    BOOST_TEST(failed == 0);
    BOOST_TEST(admin("SELECT count(*) FROM schema_version") == "1");
    BOOST_TEST(*pg_schema_version_of(uri(), shown) == pg_schema_version);
}

BOOST_FIXTURE_TEST_CASE(a_newer_schema_is_refused_not_guessed_at, fresh_database) {
    open_ok();
    admin("UPDATE schema_version SET version = 99");
    const auto s = open_pg_store(uri(), shown);
    BOOST_TEST_REQUIRE(!s.ok());
    BOOST_TEST(!s.error().temporary());
    BOOST_TEST(s.error().message == shown + ": schema version 99 is newer than this arcrelay's (" +
                                        std::to_string(pg_schema_version) + ")");
}

BOOST_FIXTURE_TEST_CASE(a_dropped_connection_is_reset_on_the_next_batch, fresh_database) {
    auto store = open_ok();
    BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row(0)}).ok());
    // What a server restart or an administrator's pg_terminate_backend does to the session.
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'arcrelay'");
    BOOST_TEST_REQUIRE(store->insert(std::vector<dmarc_row>{sample_row(1)}).ok());
    BOOST_TEST(*store->count_rows() == 2u);
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'arcrelay'");
    BOOST_TEST(!store->count_rows().ok()); // a read is not retried: the next call reconnects
    BOOST_TEST(*store->count_rows() == 2u);
}

BOOST_AUTO_TEST_CASE(connection_errors_name_the_database_never_the_password) {
    const std::string real = uri();
    const auto at = real.find('@');
    const auto colon = real.find(':', real.find("://") + 3);
    const std::string password = real.substr(colon + 1, at - colon - 1);
    BOOST_TEST_REQUIRE(password.size() > 4u);

    const std::string wrong = real.substr(0, colon + 1) + "wrong-" + password + real.substr(at);
    const auto refused = open_pg_store(wrong, shown);
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST_INFO(refused.error().message);
    BOOST_TEST(refused.error().temporary());
    BOOST_TEST(refused.error().message.find("password authentication failed") != std::string::npos);
    BOOST_TEST(refused.error().message.find(password) == std::string::npos);

    // Port 1 on loopback: nothing listens (connection refused).
    const auto down = open_pg_store("postgresql://arcrelay:" + password + "@127.0.0.1:1/reports",
                                    "postgresql://arcrelay@127.0.0.1:1/reports");
    BOOST_TEST_REQUIRE(!down.ok());
    BOOST_TEST_INFO(down.error().message);
    BOOST_TEST(down.error().temporary());
    BOOST_TEST(down.error().message.rfind("postgresql://arcrelay@127.0.0.1:1/reports: ", 0) == 0);
    BOOST_TEST(down.error().message.find(password) == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
