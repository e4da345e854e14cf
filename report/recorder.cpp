// report/recorder.cpp — the bounded queue and the writer thread (see recorder.hpp).
#include "report/recorder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace arcrelay::report {

recorder::recorder(store_opener open, std::size_t capacity, log_sink log,
                   std::chrono::seconds retention, std::chrono::milliseconds reopen_interval)
    : open_(std::move(open)), capacity_(capacity), log_(std::move(log)), retention_(retention),
      reopen_interval_(reopen_interval) {
    thread_ = std::thread([this] { run(); });
}

recorder::~recorder() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool recorder::submit(dmarc_row row) {
    std::unique_lock lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) {
        const bool first = !full_logged_;
        full_logged_ = true;
        lock.unlock();
        dropped_.fetch_add(1);
        if (first)
            log_(fmt::format("reports: queue full ({} rows): DMARC report rows are dropped "
                             "until the writer catches up (counted in "
                             "arcrelay_report_rows_dropped)",
                             capacity_));
        return false;
    }
    queue_.push_back(std::move(row));
    // Wake the writer for the first row and for a full batch; it gathers the rest itself.
    const bool wake = queue_.size() == 1 || queue_.size() == batch_target();
    lock.unlock();
    if (wake) wake_.notify_one();
    return true;
}

std::size_t recorder::batch_target() const {
    return std::min(capacity_, max_batch_rows); // a full queue would drop rows: no waiting then
}

void recorder::flush() {
    std::unique_lock lock(mutex_);
    settled_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void recorder::drop(std::size_t n, const std::string& why) {
    dropped_.fetch_add(n);
    if (!failing_)
        log_(fmt::format("reports: {} DMARC report rows not recorded: {} (further drops are "
                         "counted in arcrelay_report_rows_dropped)",
                         n, why));
    failing_ = true;
}

bool recorder::ensure_store(std::chrono::steady_clock::time_point now, std::string& why) {
    if (store_) return true;
    why = "the report store is unavailable (next try to open it pending)";
    if (now < next_open_) return false;
    auto opened = open_();
    if (!opened) {
        next_open_ = now + reopen_interval_;
        why = "cannot open the report store: " + opened.error().message;
        return false;
    }
    store_ = std::move(*opened);
    next_prune_ = {};
    return true;
}

void recorder::prune(std::chrono::steady_clock::time_point now) {
    if (retention_.count() <= 0 || !store_ || now < next_prune_) return;
    next_prune_ = now + prune_interval;
    const auto cutoff = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch() - retention_)
                            .count();
    if (auto deleted = store_->delete_before(cutoff); !deleted)
        log_("reports: deleting rows past the retention failed: " + deleted.error().message);
}

void recorder::run() {
    for (;;) {
        std::vector<dmarc_row> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return; // stopping, and everything written
            // Gather for a bounded window so a busy relay commits once per batch, not per row.
            wake_.wait_for(lock, gather_window,
                           [this] { return stopping_ || queue_.size() >= batch_target(); });
            while (!queue_.empty() && batch.size() < max_batch_rows) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            writing_ = true;
        }
        const auto before = dropped_.load();
        std::string why;
        if (!ensure_store(std::chrono::steady_clock::now(), why)) {
            drop(batch.size(), why);
        } else if (auto stored = store_->insert(batch); !stored) {
            store_.reset(); // reopened after reopen_interval: the file may have been fixed
            next_open_ = std::chrono::steady_clock::now() + reopen_interval_;
            drop(batch.size(), stored.error().message);
        } else {
            recorded_.fetch_add(batch.size());
            prune(std::chrono::steady_clock::now());
            if (failing_) {
                log_(fmt::format("reports: recording DMARC report rows again ({} dropped in "
                                 "total)",
                                 before));
                failing_ = false;
            }
        }
        {
            const std::lock_guard lock(mutex_);
            writing_ = false;
            // A streak of "queue full" ends once a batch is done and the queue has drained:
            // taking a batch alone is no sign that the writer caught up.
            if (queue_.empty()) full_logged_ = false;
        }
        settled_.notify_all();
    }
}

} // namespace arcrelay::report
