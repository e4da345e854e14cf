// tests/unit/dns/counting_resolver.hpp — a static_zone behind a counter and an optional gate,
// to see what a decorator sends upstream and to hold a call in flight.
#pragma once

#include "dns/static_zone.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

namespace arcrelay::dns::testing {

class counting_resolver final : public resolver {
public:
    static_zone zone;

    std::vector<answer> resolve(std::span<const question> questions) override {
        std::unique_lock lock(mutex_);
        ++calls_;
        asked_.insert(asked_.end(), questions.begin(), questions.end());
        opened_.wait(lock, [this] { return open_; });
        lock.unlock();
        return zone.resolve(questions);
    }

    int calls() const {
        const std::lock_guard lock(mutex_);
        return calls_;
    }
    std::vector<question> asked() const {
        const std::lock_guard lock(mutex_);
        return asked_;
    }
    // While closed, calls wait inside resolve().
    void set_open(bool open) {
        {
            const std::lock_guard lock(mutex_);
            open_ = open;
        }
        opened_.notify_all();
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = true;
    int calls_ = 0;
    std::vector<question> asked_;
};

} // namespace arcrelay::dns::testing
