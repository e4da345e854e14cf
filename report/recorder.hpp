// report/recorder.hpp — records DMARC report rows off the message path: a bounded queue that
// the verify stage's callers push into without blocking, and one writer thread that inserts
// batches into the row store (SQLite: one writer).
//
// Recording never delays or fails a message: submit() only takes a mutex for a push; when
// the queue is full, or the store cannot be opened or refuses a batch, the rows are dropped,
// counted, and a log line says how many and why (at most one line per failure streak, and one
// when the store works again). A store that failed to open is retried at most once per
// reopen_interval. Rows older than the retention are deleted by the writer, when it opens the
// store and then at most once per prune_interval.
#pragma once

#include "base/result.hpp"
#include "report/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace arcrelay::report {

inline constexpr std::size_t max_batch_rows = 500;
// How long the writer waits for more rows before writing a batch smaller than max_batch_rows:
// one commit (WAL pages, index pages, the checkpoints they bring) per tens of rows on a busy
// relay instead of one per message; a row reaches the store at most this much later.
inline constexpr std::chrono::milliseconds gather_window{50};
inline constexpr std::chrono::seconds default_reopen_interval{5};
inline constexpr std::chrono::hours prune_interval{1};

class recorder {
public:
    using store_opener = std::function<result<std::unique_ptr<row_store>>()>;
    using log_sink = std::function<void(const std::string&)>;

    // Starts the writer thread, which opens the store with `open`. `log` gets one line per
    // problem (it is called from the writer thread and from submit()).
    // `retention`: rows whose time is older than now - retention are deleted (0: never).
    recorder(store_opener open, std::size_t capacity, log_sink log,
             std::chrono::seconds retention = std::chrono::seconds{0},
             std::chrono::milliseconds reopen_interval = default_reopen_interval);
    // Writes what is queued (if the store works), then stops the thread.
    ~recorder();
    recorder(const recorder&) = delete;
    recorder& operator=(const recorder&) = delete;

    // Queues a row; false (and counted as dropped) when the queue is full. Never blocks on
    // the store.
    bool submit(dmarc_row row);

    // Blocks until every row submitted so far was written or dropped (tests, reports send).
    void flush();

    std::uint64_t recorded() const { return recorded_.load(); }
    std::uint64_t dropped() const { return dropped_.load(); }
    std::size_t capacity() const { return capacity_; }

private:
    void run();
    std::size_t batch_target() const;
    bool ensure_store(std::chrono::steady_clock::time_point now, std::string& why);
    void drop(std::size_t n, const std::string& why);
    void prune(std::chrono::steady_clock::time_point now);

    store_opener open_;
    std::size_t capacity_;
    log_sink log_;
    std::chrono::seconds retention_;
    std::chrono::milliseconds reopen_interval_;

    std::mutex mutex_;
    std::condition_variable wake_;    // rows queued, or stopping
    std::condition_variable settled_; // the queue drained and the batch in hand finished
    std::deque<dmarc_row> queue_;
    bool stopping_ = false;
    bool writing_ = false;     // the writer holds a batch
    bool full_logged_ = false; // a "queue full" line was written for this streak

    // Writer thread only.
    std::unique_ptr<row_store> store_;
    std::chrono::steady_clock::time_point next_open_{};
    std::chrono::steady_clock::time_point next_prune_{};
    bool failing_ = false; // the last open or insert failed (log once per streak)

    std::atomic<std::uint64_t> recorded_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::thread thread_;
};

} // namespace arcrelay::report
