// relay/report_timer.cpp — see report_timer.hpp.
#include "relay/report_timer.hpp"

#include "report/open_store.hpp"

#include <fmt/format.h>

#include <chrono>

#include <unistd.h>

namespace arcrelay::relay {

report_timer::report_timer(const runtime_holder& holder, report_log log)
    : holder_(holder), log_(std::move(log)),
      owner_(fmt::format("{}:{}", holder.get()->config.server.hostname, ::getpid())) {
    thread_ = std::thread([this] { run(); });
}

report_timer::~report_timer() {
    stop();
}

void report_timer::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void report_timer::run() {
    std::unique_ptr<report::row_store> store;
    for (;;) {
        round(store); // at start too: reports that fell due while arcrelay was down
        const auto interval = holder_.get()->config.reports.send_interval;
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, interval, [this] { return stopping_; })) return;
    }
}

void report_timer::round(std::unique_ptr<report::row_store>& store) {
    const auto rt = holder_.get();
    if (!store) {
        auto opened =
            report::open_row_store(rt->config.reports.database, rt->config.reports.database_shown);
        if (!opened) {
            log_(config::log_level::error,
                 "reports: not sending this round: " + opened.error().message);
            return;
        }
        store = std::move(*opened);
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto counts = send_reports(*rt, *store, now, owner_, log_, &metrics_);
    if (!counts) {
        log_(config::log_level::error,
             "reports: sending stopped this round: " + counts.error().message);
        store.reset(); // reopened next round
    }
}

} // namespace arcrelay::relay
