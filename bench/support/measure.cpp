// bench/support/measure.cpp — see measure.hpp.
#include "bench/support/measure.hpp"

#include <algorithm>
#include <ctime>
#include <vector>

namespace arcrelay::bench {

namespace {

double now(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct repetition {
    double cpu_per_op = 0;
    double wall_per_op = 0;
    double thread_cpu_per_op = 0;
    std::uint64_t ops = 0;
};

repetition run_for(const std::function<void()>& op, double min_seconds) {
    double cpu0 = now(CLOCK_PROCESS_CPUTIME_ID);
    double thread0 = now(CLOCK_THREAD_CPUTIME_ID);
    double wall0 = now(CLOCK_MONOTONIC);
    std::uint64_t ops = 0;
    std::uint64_t batch = 1;
    double cpu = 0;
    // Batches double so that reading the clock stays a negligible share of the loop.
    while (cpu < min_seconds) {
        for (std::uint64_t i = 0; i < batch; ++i)
            op();
        ops += batch;
        batch *= 2;
        cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    }
    double thread = now(CLOCK_THREAD_CPUTIME_ID) - thread0;
    double wall = now(CLOCK_MONOTONIC) - wall0;
    auto n = static_cast<double>(ops);
    return {cpu / n, wall / n, thread / n, ops};
}

} // namespace

measurement measure(const std::function<void()>& op, const measure_options& options) {
    op();
    std::vector<repetition> reps;
    for (unsigned r = 0; r < std::max(options.repetitions, 1u); ++r)
        reps.push_back(run_for(op, options.min_seconds));
    std::sort(reps.begin(), reps.end(),
              [](const auto& a, const auto& b) { return a.cpu_per_op < b.cpu_per_op; });
    const auto& median = reps[reps.size() / 2];
    measurement m{median.cpu_per_op, median.wall_per_op, median.thread_cpu_per_op, 0};
    for (const auto& r : reps)
        m.operations += r.ops;
    return m;
}

} // namespace arcrelay::bench
