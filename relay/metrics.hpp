// relay/metrics.hpp — the daemon's counters in the Prometheus text exposition format
// (version 0.0.4): connections open, transactions by listener and outcome, verdicts by check
// and result, and a latency histogram. Thread-safe; served by metrics_server.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace arcrelay::relay {

class metrics {
public:
    // Upper bounds (seconds) of the latency histogram buckets.
    static constexpr std::array<double, 10> latency_buckets{0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5,  1.0,   2.5,  5.0, 10.0};

    void count_transaction(const std::string& listener, std::string_view outcome, double seconds);
    void count_verdict(std::string_view check, std::string_view result);
    // A gauge read at scrape time (e.g. open connections per listener).
    void add_gauge(std::string name, std::string help, std::function<double()> read);
    // The same for a count that only grows (TYPE counter; the name should end in _total).
    void add_counter(std::string name, std::string help, std::function<double()> read);

    // The exposition text.
    std::string render() const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> transactions_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> verdicts_;
    std::array<std::uint64_t, latency_buckets.size()> bucket_counts_{};
    std::uint64_t latency_count_ = 0;
    double latency_sum_ = 0;
    struct gauge {
        std::string name;
        std::string help;
        std::function<double()> read;
        std::string_view type; // "gauge" | "counter"
    };
    std::vector<gauge> gauges_;
};

} // namespace arcrelay::relay
