// dns/budget.hpp — budgeted_resolver: a per-message cap on DNS questions and on the time they
// may take (DESIGN.md "Limits"; it bounds the work one message can cause, as RFC 7208 4.6.4
// does for SPF alone). Once the questions are spent or the deadline has passed every further
// question is answered temp_failure without being sent, so a check whose message time budget
// ran out ends within one more round of queries instead of holding its worker thread.
#pragma once

#include "dns/resolver.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <span>
#include <vector>

namespace arcrelay::dns {

inline constexpr std::size_t default_message_query_budget = 100;
inline constexpr const char* budget_exhausted_reason = "DNS query budget exhausted";
inline constexpr const char* deadline_passed_reason = "message time budget exhausted";

class budgeted_resolver final : public resolver {
public:
    // `upstream` must outlive this object.
    using time_point = std::chrono::steady_clock::time_point;
    explicit budgeted_resolver(resolver& upstream,
                               std::size_t budget = default_message_query_budget,
                               time_point deadline = time_point::max());

    // The first questions, up to what is left of the budget, go upstream (in one call); the
    // rest are answered temp_failure with budget_exhausted_reason. After the deadline nothing
    // goes upstream and every answer is temp_failure with deadline_passed_reason.
    // Thread-safe.
    std::vector<answer> resolve(std::span<const question> questions) override;

    std::size_t used() const;

private:
    resolver& upstream_;
    const std::size_t budget_;
    const time_point deadline_;
    mutable std::mutex mutex_;
    std::size_t used_ = 0;
};

} // namespace arcrelay::dns
