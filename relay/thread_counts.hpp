// relay/thread_counts.hpp — how many threads the daemon runs: [server] threads workers for the
// pipeline (checks, signatures, DNS waits) and [server] io_threads running the io_context (SMTP
// sessions, next-hop connections). An I/O thread only moves bytes and parses SMTP, a small part
// of a message's CPU beside the checks and signatures, and every further thread on the one
// io_context adds cross-thread wake-ups to each hand-off; so the default is one I/O thread per
// four workers, at least one (bench/profile_notes.md, issue 14).
#pragma once

#include "config/config.hpp"

namespace arcrelay::relay {

struct thread_counts {
    unsigned io = 1;
    unsigned workers = 1;
};

// `cores` is what the machine reports (0 when unknown, counted as 1).
thread_counts resolve_thread_counts(const config::server_settings& s, unsigned cores);

} // namespace arcrelay::relay
