// dns/budget.hpp — budgeted_resolver: a per-message cap on DNS questions (DESIGN.md "Limits";
// it bounds the work one message can cause, as RFC 7208 4.6.4 does for SPF alone). Once the
// budget is spent every further question is answered temp_failure without being sent.
#pragma once

#include "dns/resolver.hpp"

#include <cstddef>
#include <mutex>
#include <span>
#include <vector>

namespace arcrelay::dns {

inline constexpr std::size_t default_message_query_budget = 100;
inline constexpr const char* budget_exhausted_reason = "DNS query budget exhausted";

class budgeted_resolver final : public resolver {
public:
    // `upstream` must outlive this object.
    explicit budgeted_resolver(resolver& upstream,
                               std::size_t budget = default_message_query_budget);

    // The first questions, up to what is left of the budget, go upstream (in one call); the
    // rest are answered temp_failure with budget_exhausted_reason. Thread-safe.
    std::vector<answer> resolve(std::span<const question> questions) override;

    std::size_t used() const;

private:
    resolver& upstream_;
    const std::size_t budget_;
    mutable std::mutex mutex_;
    std::size_t used_ = 0;
};

} // namespace arcrelay::dns
