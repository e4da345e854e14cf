// tests/unit/relay/log_writer_test.cpp — relay/log_writer.hpp over a pipe: lines arrive whole
// and in order from many threads, a stalled reader does not stall the submitter until the
// queue is full, a full queue waits instead of dropping, destruction writes what is left, and
// lines close together go out in one write after the gathering interval.
#include "relay/log_writer.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace arcrelay;
using namespace std::chrono_literals;

namespace {

// A pipe; `drain` reads its read end until every write end is closed.
struct pipe_pair {
    int read_end = -1, write_end = -1;
    pipe_pair() {
        int fds[2];
        BOOST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
        read_end = fds[0];
        write_end = fds[1];
    }
    ~pipe_pair() {
        close_write();
        if (read_end >= 0) ::close(read_end);
    }
    void close_write() {
        if (write_end >= 0) ::close(write_end);
        write_end = -1;
    }
    std::string drain() const {
        std::string out;
        char buf[65536];
        for (;;) {
            const auto n = ::read(read_end, buf, sizeof buf);
            if (n <= 0) return out;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// Whether the read end has bytes within `wait`.
bool readable_within(const pipe_pair& p, std::chrono::milliseconds wait) {
    pollfd fd{p.read_end, POLLIN, 0};
    return ::poll(&fd, 1, static_cast<int>(wait.count())) == 1;
}

std::string read_once(const pipe_pair& p) {
    char buf[1 << 17];
    const auto n = ::read(p.read_end, buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

} // namespace

BOOST_AUTO_TEST_SUITE(log_writer_test)

BOOST_AUTO_TEST_CASE(lines_from_many_threads_arrive_whole_and_in_order) {
    pipe_pair p;
    auto reader = std::async(std::launch::async, [&] { return p.drain(); });
    constexpr int threads = 4, per_thread = 5000;
    {
        relay::log_writer w(p.write_end, 64 * 1024); // small: the queue fills and waits too
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&w, t] {
                for (int i = 0; i < per_thread; ++i)
                    w.submit("thread=" + std::to_string(t) + " line=" + std::to_string(i) + " " +
                             std::string(static_cast<std::size_t>(i % 200), 'x'));
            });
        for (auto& t : ts)
            t.join();
    } // the destructor writes what is queued
    p.close_write();
    const auto lines = lines_of(reader.get());
    BOOST_REQUIRE_EQUAL(lines.size(), static_cast<std::size_t>(threads * per_thread));
    std::map<int, int> next; // per thread, the line number expected next
    for (const auto& l : lines) {
        int t = -1, i = -1;
        BOOST_REQUIRE(std::sscanf(l.c_str(), "thread=%d line=%d", &t, &i) == 2);
        BOOST_REQUIRE_EQUAL(i, next[t]++);
        BOOST_REQUIRE_EQUAL(l, "thread=" + std::to_string(t) + " line=" + std::to_string(i) + " " +
                                   std::string(static_cast<std::size_t>(i % 200), 'x'));
    }
}

BOOST_AUTO_TEST_CASE(a_stalled_reader_does_not_stall_the_submitter) {
    pipe_pair p; // nobody reads until the submits are done: the pipe (64 KiB) fills at once
    relay::log_writer w(p.write_end);
    auto submits = std::async(std::launch::async, [&w] {
        for (int i = 0; i < 20000; ++i) // ~1.2 MB, well under the queue's 8 MiB
            w.submit("line " + std::to_string(i) + " " + std::string(50, 'y'));
    });
    BOOST_REQUIRE(submits.wait_for(20s) == std::future_status::ready);
    submits.get();
    // Everything arrives once the pipe is read: the writer was only waiting on it.
    std::string got;
    while (lines_of(got).size() < 20000u) {
        char buf[65536];
        const auto n = ::read(p.read_end, buf, sizeof buf);
        BOOST_REQUIRE(n > 0);
        got.append(buf, static_cast<std::size_t>(n));
    }
    BOOST_TEST(lines_of(got).back() == "line 19999 " + std::string(50, 'y'));
}

BOOST_AUTO_TEST_CASE(a_full_queue_waits_for_room_and_drops_nothing) {
    pipe_pair p;
    std::atomic<int> submitted{0};
    auto submits = std::async(std::launch::async, [&] {
        relay::log_writer w(p.write_end, 4096, 60s); // small: fills; no gathering wait
        for (int i = 0; i < 5000; ++i) { // ~300 KB through a 64 KiB pipe and a 4 KiB queue
            w.submit("line " + std::to_string(i) + " " + std::string(50, 'z'));
            ++submitted;
        }
    });
    // With nobody reading, the submitter waits for room once the pipe and the queue are full
    // (~70 KiB: about 1 200 lines), rather than run ahead.
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(submitted.load() < 2000);
    auto reader = std::async(std::launch::async, [&] {
        std::string out;
        char buf[65536];
        while (lines_of(out).size() < 5000u) {
            const auto n = ::read(p.read_end, buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    });
    BOOST_REQUIRE(submits.wait_for(20s) == std::future_status::ready);
    submits.get();
    const auto lines = lines_of(reader.get());
    BOOST_REQUIRE_EQUAL(lines.size(), 5000u);
    for (int i = 0; i < 5000; ++i)
        BOOST_REQUIRE_EQUAL(lines[static_cast<std::size_t>(i)],
                            "line " + std::to_string(i) + " " + std::string(50, 'z'));
}

BOOST_AUTO_TEST_CASE(lines_close_together_go_out_in_one_write_after_the_gathering) {
    pipe_pair p;
    relay::log_writer w(p.write_end, relay::log_writer::default_max_queued_bytes, 400ms);
    const auto start = std::chrono::steady_clock::now();
    w.submit("first");
    // Nothing is written while the writer gathers, so the next line joins the same write.
    BOOST_TEST(!readable_within(p, 100ms));
    w.submit("second");
    BOOST_REQUIRE(readable_within(p, 5s));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 400ms));
    BOOST_TEST(read_once(p) == "first\nsecond\n");
}

BOOST_AUTO_TEST_CASE(a_full_batch_does_not_wait_for_the_gathering) {
    pipe_pair p;
    const std::string line(1000, 'b');
    std::size_t lines = 0;
    std::future<std::string> reader;
    {
        relay::log_writer w(p.write_end, relay::log_writer::default_max_queued_bytes, 60s);
        for (std::size_t queued = 0; queued < relay::log_writer::batch_bytes;
             queued += line.size() + 1, ++lines)
            w.submit(line);
        BOOST_TEST(readable_within(p, 5s));
        reader = std::async(std::launch::async, [&] { return p.drain(); }); // the pipe is full
    }
    p.close_write();
    BOOST_TEST(lines_of(reader.get()).size() == lines);
}

BOOST_AUTO_TEST_CASE(destruction_ends_the_gathering_and_writes_everything) {
    pipe_pair p;
    const auto start = std::chrono::steady_clock::now();
    {
        relay::log_writer w(p.write_end, relay::log_writer::default_max_queued_bytes, 60s);
        w.submit("last words");
    }
    BOOST_TEST((std::chrono::steady_clock::now() - start < 10s));
    p.close_write();
    BOOST_TEST(p.drain() == "last words\n");
}

BOOST_AUTO_TEST_CASE(write_all_waits_on_a_non_blocking_fd) {
    pipe_pair p;
    BOOST_REQUIRE(::fcntl(p.write_end, F_SETFL, O_NONBLOCK) == 0);
    auto reader = std::async(std::launch::async, [&] { return p.drain(); });
    const std::string big(1 << 20, 'n'); // far more than the pipe holds: EAGAIN on the way
    BOOST_TEST(relay::write_all(p.write_end, big));
    p.close_write();
    BOOST_TEST(reader.get() == big);
}

BOOST_AUTO_TEST_CASE(write_all_reports_a_closed_reader) {
    pipe_pair p;
    ::close(p.read_end);
    p.read_end = -1;
    const auto old = std::signal(SIGPIPE, SIG_IGN);
    BOOST_TEST(!relay::write_all(p.write_end, "x\n"));
    std::signal(SIGPIPE, old);
}

BOOST_AUTO_TEST_CASE(installation_is_scoped) {
    pipe_pair p;
    BOOST_TEST(relay::installed_log_writer() == nullptr);
    {
        relay::log_writer w(p.write_end);
        const relay::log_writer_installation installed(w);
        BOOST_TEST(relay::installed_log_writer() == &w);
    }
    BOOST_TEST(relay::installed_log_writer() == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
