// tests/unit/report_pg/pg_sending_test.cpp — what the sender keeps in PostgreSQL: the sending
// lease (taken, renewed, expired, released; never held by two processes at once while they
// race for it), deliveries per (report part, destination), and deleting reported rows.
#include "pg_test_support.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace pg_test;

namespace {

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Shared between the racing processes (MAP_SHARED survives fork).
struct race_board {
    std::atomic<int> holders{0};  // processes that believe they hold the lease now
    std::atomic<int> overlaps{0}; // times a holder found another one
    std::atomic<int> errors{0};   // store calls that failed
    std::atomic<int> acquired[2]{0, 0};
};

// Runs body(who, store) in `n` forked processes (who = 0..n-1), each with its own store
// connection, and requires every one to exit 0 (a child that cannot connect exits 2).
template <typename Body>
void in_processes(int n, Body body) {
    std::vector<pid_t> children;
    for (int who = 0; who < n; ++who) {
        const pid_t pid = fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid != 0) {
            children.push_back(pid);
            continue;
        }
        auto s = open_pg_store(uri(), shown);
        if (!s) _exit(2);
        body(who, **s);
        _exit(0);
    }
    for (pid_t pid : children) {
        int st = 0;
        waitpid(pid, &st, 0);
        BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(pg_sending_test)

BOOST_FIXTURE_TEST_CASE(the_lease_is_taken_renewed_expires_and_is_released, fresh_database) {
    auto a = open_ok();
    auto b = open_ok(); // a second instance: its own connection
    BOOST_TEST(*a->acquire_send_lease("host-a", 1000, 60));
    BOOST_TEST(!*b->acquire_send_lease("host-b", 1030, 60)); // held until 1060
    BOOST_TEST(*a->acquire_send_lease("host-a", 1050, 60));  // renewed: now until 1110
    BOOST_TEST(!*b->acquire_send_lease("host-b", 1100, 60));
    BOOST_TEST(*b->acquire_send_lease("host-b", 1110, 60)); // expired: taken over
    BOOST_TEST(!*a->acquire_send_lease("host-a", 1111, 60));
    BOOST_TEST(a->release_send_lease("host-a").ok()); // not a's: a no-op
    BOOST_TEST(!*a->acquire_send_lease("host-a", 1112, 60));
    BOOST_TEST(b->release_send_lease("host-b").ok());
    BOOST_TEST(*a->acquire_send_lease("host-a", 1113, 60));
    BOOST_TEST(admin("SELECT owner || ' ' || expires FROM send_lease") == "host-a 1173");
}

BOOST_FIXTURE_TEST_CASE(two_processes_racing_for_the_lease_never_both_hold_it, fresh_database) {
    open_ok(); // the schema, before the race
    constexpr int rounds = 300;
    void* shared = mmap(nullptr, sizeof(race_board), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    BOOST_REQUIRE(shared != MAP_FAILED);
    auto* board = new (shared) race_board;
    in_processes(2, [&](int who, row_store& store) {
        const std::string owner = "instance-" + std::to_string(who);
        for (int i = 0; i < rounds; ++i) {
            // A long ttl: only release() frees the lease, so an overlap is a real double hold.
            auto got = store.acquire_send_lease(owner, now_s(), 3600);
            if (!got) {
                board->errors.fetch_add(1);
                continue;
            }
            if (!*got) continue;
            board->acquired[who].fetch_add(1);
            if (board->holders.fetch_add(1) != 0) board->overlaps.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            board->holders.fetch_sub(1);
            if (!store.release_send_lease(owner)) board->errors.fetch_add(1);
        }
    });
    BOOST_TEST(board->overlaps.load() == 0);
    BOOST_TEST(board->errors.load() == 0);
    // Both won some rounds and lost some: they really raced.
    BOOST_TEST_MESSAGE("acquired: " << board->acquired[0].load() << " and "
                                    << board->acquired[1].load() << " of " << rounds);
    BOOST_TEST(board->acquired[0].load() > 0);
    BOOST_TEST(board->acquired[1].load() > 0);
    BOOST_TEST(board->acquired[0].load() + board->acquired[1].load() < 2 * rounds);
    munmap(shared, sizeof(race_board));
}

BOOST_FIXTURE_TEST_CASE(two_senders_send_each_report_part_exactly_once, fresh_database) {
    // The contract of store.hpp as a sender uses it: only the lease holder sends, and a part
    // already recorded `sent` is never sent again. Two processes work through 40 parts at
    // once; each "send" is counted in shared memory.
    open_ok();
    constexpr int parts = 40;
    struct board {
        std::atomic<int> sends[parts];
        std::atomic<int> errors;
    };
    void* shared =
        mmap(nullptr, sizeof(board), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    BOOST_REQUIRE(shared != MAP_FAILED);
    auto* b = new (shared) board{};
    in_processes(2, [&](int who, row_store& store) {
        const std::string owner = "sender-" + std::to_string(who);
        for (int part = 0; part < parts;) {
            auto got = store.acquire_send_lease(owner, now_s(), 3600);
            if (!got) b->errors.fetch_add(1);
            if (!got || !*got) continue;
            // While holding the lease: send the next part nobody sent, at most two per turn.
            for (int n = 0; n < 2 && part < parts; ++part) {
                const std::string id = "r." + std::to_string(part);
                auto done = store.deliveries_of(id);
                if (!done) b->errors.fetch_add(1);
                if (!done || !done->empty()) continue;
                b->sends[part].fetch_add(1);
                if (!store.save_delivery(
                        {id, "mailto:d@example.com", delivery_state::sent, 1, 0, "", now_s()}))
                    b->errors.fetch_add(1);
                ++n;
            }
            if (!store.release_send_lease(owner)) b->errors.fetch_add(1);
        }
    });
    BOOST_TEST(b->errors.load() == 0);
    for (int part = 0; part < parts; ++part)
        BOOST_TEST(b->sends[part].load() == 1, "part " << part);
    BOOST_TEST(admin("SELECT count(*) FROM report_deliveries WHERE state = 'sent'") ==
               std::to_string(parts));
    munmap(shared, sizeof(board));
}

BOOST_FIXTURE_TEST_CASE(deliveries_are_upserted_per_part_and_destination, fresh_database) {
    auto store = open_ok();
    delivery d{"r1.1", "mailto:dmarc@example.com", delivery_state::pending, 0, 100, "", 100};
    delivery other{"r1.1",
                   "mailto:agg@thirdparty.example.net",
                   delivery_state::deferred,
                   2,
                   900,
                   "451 4.3.0 try later; it's \"busy\"",
                   300};
    BOOST_TEST_REQUIRE(store->save_delivery(d).ok());
    BOOST_TEST_REQUIRE(store->save_delivery(other).ok());
    d.state = delivery_state::sent;
    d.attempts = 1;
    d.updated = 200;
    BOOST_TEST_REQUIRE(store->save_delivery(d).ok()); // replaces, not a second row
    const auto back = store->deliveries_of("r1.1");
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST_REQUIRE(back->size() == 2u);
    BOOST_TEST((back->at(0) == other)); // ordered by destination
    BOOST_TEST((back->at(1) == d));
    BOOST_TEST(store->deliveries_of("r2.1")->empty());
    BOOST_TEST(*store->delete_deliveries_before(250) == 1u);
    BOOST_TEST(store->deliveries_of("r1.1")->size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(rows_of_one_domain_and_period_are_deleted, fresh_database) {
    auto store = open_ok();
    std::vector<dmarc_row> rows;
    for (int i = 0; i < 6; ++i) {
        rows.push_back(sample_row(i));
        if (i % 2) rows.back().policy.domain = "other.example";
    }
    BOOST_TEST_REQUIRE(store->insert(rows).ok());
    const auto t0 = sample_row(0).time;
    BOOST_TEST(*store->delete_rows("example.com", t0, t0 + 4) == 2u); // rows 0 and 2
    BOOST_TEST(*store->count_rows() == 4u);
    BOOST_TEST(admin("SELECT count(*) FROM dmarc_rows WHERE policy_domain = 'example.com'") == "1");
}

BOOST_AUTO_TEST_SUITE_END()
