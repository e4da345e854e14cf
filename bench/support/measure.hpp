// bench/support/measure.hpp — timing loops. Time is the process's CPU time
// (CLOCK_PROCESS_CPUTIME_ID): every thread that works for the operation counts, Botan's
// RSA pool thread included, which the calling thread's clock misses (issue 14: a Botan
// RSA-2048 loop read 1159 signatures per thread-CPU-second, 632 per process-CPU-second).
// A loaded, shared machine slows the wall clock but not the per-core figure. The wall time
// and the calling thread's CPU time are kept alongside, labelled, for comparison. The
// benchmarks run no other thread while measuring.
#pragma once

#include <cstdint>
#include <functional>

namespace arcrelay::bench {

struct measurement {
    double cpu_seconds_per_op = 0;        // process CPU; median over the repetitions
    double wall_seconds_per_op = 0;       // of the same repetition
    double thread_cpu_seconds_per_op = 0; // the calling thread's alone, same repetition
    std::uint64_t operations = 0;         // in all repetitions
    double ops_per_second() const { return cpu_seconds_per_op > 0 ? 1 / cpu_seconds_per_op : 0; }
};

struct measure_options {
    double min_seconds = 0.1; // process CPU time per repetition
    unsigned repetitions = 1;
};

// Runs `op` once untimed (warm-up), then `repetitions` times in a loop of at least
// `min_seconds` process CPU time each; the result is the median repetition.
measurement measure(const std::function<void()>& op, const measure_options& options);

// Keeps a computed value alive so the optimiser cannot drop the work that made it.
template <class T>
void keep(const T& value) {
    asm volatile("" : : "r,m"(value) : "memory");
}

} // namespace arcrelay::bench
