// bench/support/recording.hpp — DMARC report recording as the daemon does it (relay/daemon.cpp
// start_recorder, relay/relay_handler.cpp): the report::recorder with its writer thread and
// an SQLite store in a temporary directory, fed the rows relay::finish_rows makes from a
// job's check report once its final reply (250) is known. Issue 11: the full job with
// recording on must stay within 3 % of recording off.
#pragma once

#include "relay/message_checks.hpp"
#include "report/recorder.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::bench {

class recording {
public:
    // Creates the directory and starts the recorder (queue of the daemon's default size).
    // Throws std::runtime_error when the directory cannot be made.
    recording();
    // Stops the writer and removes the directory.
    ~recording();
    recording(const recording&) = delete;
    recording& operator=(const recording&) = delete;

    // What the daemon does when a transaction ends with `reply_code`.
    void record(const relay::check_report& report, int reply_code,
                std::span<const std::string> trusted_sealers);

    // Waits until every row submitted was written; throws std::runtime_error if any was
    // dropped (a benchmark that dropped rows measured less than recording).
    void settle();

    std::uint64_t recorded() const { return recorder_->recorded(); }

private:
    std::filesystem::path dir_;
    std::mutex mutex_;                  // problems_ is written by the writer thread
    std::vector<std::string> problems_; // the recorder's log lines
    std::unique_ptr<report::recorder> recorder_;
    std::uint64_t submitted_ = 0;
};

} // namespace arcrelay::bench
