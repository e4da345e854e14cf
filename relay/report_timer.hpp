// relay/report_timer.hpp — `serve` with [reports] send = true: a thread of its own that
// every send_interval_s mails the due DMARC reports (relay/report_sender) with its own store
// connection. It never runs on an I/O or worker thread, so it never blocks or delays mail;
// a report hop that hangs only delays the next round (and shutdown, by at most the hop's
// timeouts).
#pragma once

#include "relay/report_sender.hpp"
#include "relay/runtime.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace arcrelay::relay {

class report_timer {
public:
    // Starts the thread; the first round runs at once, then one every send_interval_s. The
    // runtime is read every round (a reload's new keys and settings apply to the next).
    report_timer(const runtime_holder& holder, report_log log);
    ~report_timer(); // stop()
    void stop();     // ends after the round in progress

    report_send_metrics& metrics() { return metrics_; }

private:
    void run();
    void round(std::unique_ptr<report::row_store>& store);

    const runtime_holder& holder_;
    report_log log_;
    std::string owner_;
    report_send_metrics metrics_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace arcrelay::relay
