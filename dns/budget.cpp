// dns/budget.cpp — per-message DNS question budget.
#include "dns/budget.hpp"

#include <algorithm>

namespace arcrelay::dns {

budgeted_resolver::budgeted_resolver(resolver& upstream, std::size_t budget, time_point deadline)
    : upstream_(upstream), budget_(budget), deadline_(deadline) {}

std::size_t budgeted_resolver::used() const {
    const std::lock_guard lock(mutex_);
    return used_;
}

std::vector<answer> budgeted_resolver::resolve(std::span<const question> questions) {
    if (deadline_ != time_point::max() && std::chrono::steady_clock::now() >= deadline_)
        return std::vector<answer>(questions.size(),
                                   answer{outcome::temp_failure, {}, deadline_passed_reason});
    std::size_t granted = 0;
    {
        const std::lock_guard lock(mutex_);
        granted = std::min(questions.size(), budget_ - used_);
        used_ += granted;
    }
    std::vector<answer> answers =
        granted > 0 ? upstream_.resolve(questions.first(granted)) : std::vector<answer>{};
    answers.resize(questions.size(), answer{outcome::temp_failure, {}, budget_exhausted_reason});
    return answers;
}

} // namespace arcrelay::dns
