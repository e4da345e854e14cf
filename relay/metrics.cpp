// relay/metrics.cpp — see metrics.hpp. Label values are escaped as the text format requires
// (backslash, double quote, newline).
#include "relay/metrics.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {
namespace {

std::string escape_label(std::string_view v) {
    std::string out;
    for (const char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

void metrics::count_transaction(const std::string& listener, std::string_view outcome,
                                double seconds) {
    const std::lock_guard lock(mutex_);
    ++transactions_[{listener, std::string(outcome)}];
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        if (seconds <= latency_buckets[i]) ++bucket_counts_[i];
    ++latency_count_;
    latency_sum_ += seconds;
}

void metrics::count_verdict(std::string_view check, std::string_view result) {
    const std::lock_guard lock(mutex_);
    ++verdicts_[{std::string(check), std::string(result.empty() ? "none" : result)}];
}

void metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    const std::lock_guard lock(mutex_);
    gauges_.push_back({std::move(name), std::move(help), std::move(read), "gauge"});
}

void metrics::add_counter(std::string name, std::string help, std::function<double()> read) {
    const std::lock_guard lock(mutex_);
    gauges_.push_back({std::move(name), std::move(help), std::move(read), "counter"});
}

std::string metrics::render() const {
    const std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& g : gauges_)
        out += fmt::format("# HELP {0} {1}\n# TYPE {0} {3}\n{0} {2}\n", g.name, g.help, g.read(),
                           g.type);
    out += "# HELP arcrelay_transactions_total Transactions by listener and outcome.\n"
           "# TYPE arcrelay_transactions_total counter\n";
    for (const auto& [k, n] : transactions_)
        out += fmt::format("arcrelay_transactions_total{{listener=\"{}\",outcome=\"{}\"}} {}\n",
                           escape_label(k.first), escape_label(k.second), n);
    out += "# HELP arcrelay_verdicts_total Authentication verdicts by check and result.\n"
           "# TYPE arcrelay_verdicts_total counter\n";
    for (const auto& [k, n] : verdicts_)
        out += fmt::format("arcrelay_verdicts_total{{check=\"{}\",result=\"{}\"}} {}\n",
                           escape_label(k.first), escape_label(k.second), n);
    out += "# HELP arcrelay_transaction_seconds Time from the final dot to the reply.\n"
           "# TYPE arcrelay_transaction_seconds histogram\n";
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        out += fmt::format("arcrelay_transaction_seconds_bucket{{le=\"{}\"}} {}\n",
                           latency_buckets[i], bucket_counts_[i]);
    out += fmt::format("arcrelay_transaction_seconds_bucket{{le=\"+Inf\"}} {}\n", latency_count_);
    out +=
        fmt::format("arcrelay_transaction_seconds_sum {}\narcrelay_transaction_seconds_count {}\n",
                    latency_sum_, latency_count_);
    return out;
}

} // namespace arcrelay::relay
