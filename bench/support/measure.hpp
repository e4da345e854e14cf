// bench/support/measure.hpp — timing loops. Time is the calling thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID), so a loaded, shared machine slows the wall clock but not the
// per-core figure; the wall time is kept alongside for comparison.
#pragma once

#include <cstdint>
#include <functional>

namespace arcrelay::bench {

struct measurement {
    double cpu_seconds_per_op = 0;  // median over the repetitions
    double wall_seconds_per_op = 0; // of the same repetition
    std::uint64_t operations = 0;   // in all repetitions
    double ops_per_second() const { return cpu_seconds_per_op > 0 ? 1 / cpu_seconds_per_op : 0; }
};

struct measure_options {
    double min_seconds = 0.1; // CPU time per repetition
    unsigned repetitions = 1;
};

// Runs `op` once untimed (warm-up), then `repetitions` times in a loop of at least
// `min_seconds` CPU time each; the result is the median repetition.
measurement measure(const std::function<void()>& op, const measure_options& options);

// Keeps a computed value alive so the optimiser cannot drop the work that made it.
template <class T>
void keep(const T& value) {
    asm volatile("" : : "r,m"(value) : "memory");
}

} // namespace arcrelay::bench
