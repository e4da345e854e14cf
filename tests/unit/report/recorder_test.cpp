// tests/unit/report/recorder_test.cpp — the bounded queue and writer thread over the real
// SQLite store: rows arrive; a full queue, a store that cannot open and a locked database
// drop rows without blocking the submitter, count them and say so once; recovery is logged.
#include "report/recorder.hpp"
#include "report/sqlite_store.hpp"

#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace report_test;
using namespace std::chrono_literals;

namespace {

struct log_lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    recorder::log_sink sink() {
        return [this](const std::string& line) {
            const std::lock_guard lock(mutex);
            lines.push_back(line);
        };
    }
    std::size_t count_containing(std::string_view part) {
        const std::lock_guard lock(mutex);
        std::size_t n = 0;
        for (const auto& l : lines)
            n += l.find(part) != std::string::npos;
        return n;
    }
};

recorder::store_opener sqlite_at(const std::string& path) {
    return [path] { return open_sqlite_store(path); };
}

std::size_t rows_in(const std::string& path) {
    auto store = open_sqlite_store(path);
    BOOST_REQUIRE(store.ok());
    return *(*store)->count_rows();
}

} // namespace

BOOST_AUTO_TEST_SUITE(recorder_test)

BOOST_AUTO_TEST_CASE(rows_reach_the_store) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    log_lines log;
    {
        recorder rec(sqlite_at(path), 1000, log.sink());
        for (int round = 0; round < 2; ++round) { // 1200 rows: more than two batches
            for (int i = 0; i < 600; ++i)
                BOOST_TEST_REQUIRE(rec.submit(sample_row(round * 600 + i)));
            rec.flush();
        }
        BOOST_TEST(rec.recorded() == 1200u);
        BOOST_TEST(rec.dropped() == 0u);
        BOOST_TEST(rows_in(path) == 1200u);
    }
    BOOST_TEST(log.lines.empty());
}

BOOST_AUTO_TEST_CASE(destruction_writes_what_is_queued) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    log_lines log;
    {
        recorder rec(sqlite_at(path), 100, log.sink());
        for (int i = 0; i < 50; ++i)
            BOOST_TEST_REQUIRE(rec.submit(sample_row(i)));
    }
    BOOST_TEST(rows_in(path) == 50u);
}

BOOST_AUTO_TEST_CASE(a_store_that_cannot_open_drops_counts_and_recovers) {
    scratch_dir dir;
    const auto path = dir.file("later/r.sqlite"); // the directory does not exist yet
    log_lines log;
    recorder rec(sqlite_at(path), 100, log.sink(), 0s, 20ms);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i)
        BOOST_TEST(rec.submit(sample_row(i))); // queued: submit never waits for the store
    BOOST_TEST((std::chrono::steady_clock::now() - started < 1s));
    rec.flush();
    BOOST_TEST(rec.dropped() == 10u);
    BOOST_TEST(rec.recorded() == 0u);
    BOOST_TEST(log.count_containing("DMARC report rows not recorded: cannot open the report "
                                    "store: " +
                                    path + ": cannot open") == 1u);

    std::filesystem::create_directory(dir.path / "later");
    std::this_thread::sleep_for(40ms); // past the reopen interval
    BOOST_TEST(rec.submit(sample_row(20)));
    rec.flush();
    BOOST_TEST(rec.recorded() == 1u);
    BOOST_TEST(log.count_containing("recording DMARC report rows again (10 dropped in total)") ==
               1u);
    BOOST_TEST(rows_in(path) == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_without_blocking_and_logs_once) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    // A slow store: the writer's open of the real SQLite store waits until released.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    auto slow_open = [path, released] {
        released.wait();
        return open_sqlite_store(path);
    };
    log_lines log;
    recorder rec(slow_open, 2, log.sink());
    const auto started = std::chrono::steady_clock::now();
    std::size_t accepted = 0;
    for (int i = 0; i < 10; ++i)
        accepted += rec.submit(sample_row(i));
    BOOST_TEST((std::chrono::steady_clock::now() - started < 1s)); // never waited for the store
    // The writer holds at most one batch of `capacity` rows; the queue holds `capacity` more.
    BOOST_TEST(accepted >= 2u);
    BOOST_TEST(accepted <= 4u);
    BOOST_TEST(rec.dropped() == 10u - accepted);
    BOOST_TEST(log.count_containing("queue full (2 rows)") == 1u);

    release.set_value();
    rec.flush();
    BOOST_TEST(rec.recorded() == accepted);
    BOOST_TEST(rows_in(path) == accepted);
}

BOOST_AUTO_TEST_CASE(a_locked_database_past_the_timeout_drops_the_batch) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    BOOST_REQUIRE(open_sqlite_store(path).ok());
    sqlite3* other = nullptr;
    BOOST_REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
    log_lines log;
    recorder rec(sqlite_at(path), 10, log.sink(), 0s, 10ms);
    BOOST_TEST(rec.submit(sample_row(1)));
    rec.flush(); // waits out sqlite_busy_timeout
    BOOST_TEST(rec.dropped() == 1u);
    BOOST_TEST(log.count_containing("1 DMARC report rows not recorded: starting the insert: "
                                    "database is locked") == 1u);
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    std::this_thread::sleep_for(20ms);
    BOOST_TEST(rec.submit(sample_row(2)));
    rec.flush();
    BOOST_TEST(rec.recorded() == 1u);
    BOOST_TEST(rows_in(path) == 1u);
}

BOOST_AUTO_TEST_CASE(rows_past_the_retention_are_deleted) {
    scratch_dir dir;
    const auto path = dir.file("r.sqlite");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    {
        auto store = open_sqlite_store(path);
        BOOST_REQUIRE(store.ok());
        auto old_row = sample_row();
        old_row.time = now - 3 * 3600;
        auto kept_row = sample_row();
        kept_row.time = now - 1800;
        BOOST_REQUIRE((*store)->insert(std::vector<dmarc_row>{old_row, kept_row}).ok());
    }
    log_lines log;
    recorder rec(sqlite_at(path), 10, log.sink(), std::chrono::hours(2));
    auto fresh = sample_row();
    fresh.time = now;
    BOOST_TEST(rec.submit(fresh));
    rec.flush();
    auto store = open_sqlite_store(path);
    BOOST_REQUIRE(store.ok());
    const auto left = (*store)->rows_between(0, now + 1);
    BOOST_TEST_REQUIRE(left->size() == 2u);
    BOOST_TEST(left->at(0).time == now - 1800);
    BOOST_TEST(left->at(1).time == now);
}

BOOST_AUTO_TEST_SUITE_END()
