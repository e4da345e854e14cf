// relay/relay_handler.hpp — the smtp::transaction_handler of one listener: RCPT decisions
// from the current configuration (recipient_policy.hpp) and, for each complete transaction,
// the pipeline on the worker pool under the per-message time budget, then the next hop, with
// the final reply given only after the next hop answered (before-queue proxy). Writes the
// transaction's log line and metrics.
#pragma once

#include "relay/metrics.hpp"
#include "relay/runtime.hpp"
#include "report/recorder.hpp"
#include "smtp/transaction_handler.hpp"

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/thread_pool.hpp>

namespace arcrelay::relay {

class relay_handler final : public smtp::transaction_handler {
public:
    // `holder`, `pool`, `stats` and `reports` (null: [reports] off) must outlive the handler.
    relay_handler(std::string listener_name, const runtime_holder& holder,
                  boost::asio::thread_pool& pool, metrics& stats,
                  report::recorder* reports = nullptr);

    smtp::reply check_recipient(const smtp::envelope& env, std::string_view rcpt) override;
    boost::asio::awaitable<smtp::reply> deliver(smtp::transaction t) override;

    // 451 4.3.0 when the pipeline took longer than limits.message_time_budget.
    static smtp::reply budget_exceeded_reply();

private:
    std::string next_id();

    std::string listener_name_;
    const runtime_holder& holder_;
    boost::asio::thread_pool& pool_;
    metrics& stats_;
    report::recorder* reports_;
    const unsigned pid_; // getpid(2) is a system call each time (glibc caches it no longer)
    std::atomic<std::uint64_t> counter_{0};
};

} // namespace arcrelay::relay
