// relay/log_writer.hpp — the daemon's log lines reach stderr from one writer thread, so a
// slow stderr never stalls the thread that logs. A file's write(2) can block for milliseconds
// (ext4 appending to a page under writeback, a journal commit), journald's stream socket for
// as long as journald is busy; the transaction line is written by the I/O thread, and while
// it waited every connection of that thread waited too (issue 14: write(2) calls of 4-8 ms
// on the I/O thread in a half-load run).
//
// Lines are queued in order, whole, with their newline, and written in batches (one write(2)
// for as many lines as are queued). Woken by a line, the writer gathers for `gather` (or
// until batch_bytes are queued) before it writes: a busy relay logs a transaction every few
// milliseconds, and one wake-up and one write(2) per line was a context switch per
// transaction on a second thread (issue 14, seal fan-out). The queue is bounded: when it is full,
// submit waits for room rather than drop a line (the transaction log is the audit trail). The
// destructor writes every queued line before it returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace arcrelay::relay {

// Writes all of `bytes` to `fd` (EINTR, partial writes and a non-blocking fd handled); false
// when the fd fails (the rest is dropped: there is nowhere else to report it).
bool write_all(int fd, std::string_view bytes);

class log_writer {
public:
    static constexpr std::size_t default_max_queued_bytes = 8u << 20;
    static constexpr std::chrono::milliseconds default_gather{20};
    static constexpr std::size_t batch_bytes = 64u << 10;

    explicit log_writer(int fd, std::size_t max_queued_bytes = default_max_queued_bytes,
                        std::chrono::milliseconds gather = default_gather);
    ~log_writer();
    log_writer(const log_writer&) = delete;
    log_writer& operator=(const log_writer&) = delete;

    // Queues `line` and a newline; waits only while the queue holds max_queued_bytes.
    void submit(std::string_view line);

private:
    void run();

    const int fd_;
    const std::size_t max_queued_bytes_;
    const std::chrono::milliseconds gather_;
    std::mutex mutex_;
    std::condition_variable queued_or_stopping_; // the writer waits on it
    std::condition_variable room_;               // submitters wait on it when full
    std::string queued_;                         // whole lines, newline-terminated
    bool stopping_ = false;
    bool idle_ = false;                // the writer waits for a first line (not gathering)
    std::size_t waiting_for_room_ = 0; // submitters waiting for the queue to drain
    std::thread thread_;               // last: starts after the members it uses
};

// While it lives, write_log_line (transaction_log.hpp) hands lines to `writer` instead of
// writing them itself. The daemon holds one around every thread that logs: no line may be
// submitted once it is gone.
class log_writer_installation {
public:
    explicit log_writer_installation(log_writer& writer);
    ~log_writer_installation();
    log_writer_installation(const log_writer_installation&) = delete;
    log_writer_installation& operator=(const log_writer_installation&) = delete;
};

// The installed writer, or nullptr.
log_writer* installed_log_writer();

} // namespace arcrelay::relay
