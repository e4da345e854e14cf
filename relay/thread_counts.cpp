// relay/thread_counts.cpp — see thread_counts.hpp.
#include "relay/thread_counts.hpp"

#include <algorithm>

namespace arcrelay::relay {

namespace {
constexpr unsigned workers_per_io_thread = 4;
}

thread_counts resolve_thread_counts(const config::server_settings& s, unsigned cores) {
    thread_counts out;
    out.workers = s.threads ? s.threads : std::max(1u, cores);
    out.io = s.io_threads ? s.io_threads : std::max(1u, out.workers / workers_per_io_thread);
    return out;
}

} // namespace arcrelay::relay
