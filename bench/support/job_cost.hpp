// bench/support/job_cost.hpp — the work one message's relay job cannot avoid, counted from
// the message and from what the job added: every DKIM-Signature (RFC 6376 §6.1) and every
// ARC-Message-Signature whose body hash matches costs one verification, every ARC-Seal one
// (RFC 8617 §5.2 steps 4-7, oldest-pass included); each new AMS and AS one signature
// (§5.1); the canonical body is hashed once per distinct (c=, l=) pair (RFC 6376 §3.7), our
// own relaxed AMS included. Header hashes (a few KB) are left out.
#pragma once

#include "bench/support/crypto_bound.hpp"
#include "mail/message.hpp"

#include <cstdint>

namespace arcrelay::bench {

struct job_cost {
    unsigned rsa_verify = 0;
    unsigned ed_verify = 0;
    unsigned rsa_sign = 0;
    unsigned ed_sign = 0;
    std::uint64_t hash_bytes = 0; // canonical body bytes, once per (c=, l=)

    // Seconds this work takes at `r`.
    double seconds(const crypto_rates& r) const;
    // Seconds of the hashing alone.
    double hash_seconds(const crypto_rates& r) const;
    // Does this work with the raw operations: the bound as one operation, to be timed next
    // to the job (bench_arcrelay's paired ratio).
    void perform(crypto_ops& ops) const;
};

// `input` is the message as received, `output` the same message after the job (its new
// ARC-Seal fields say which algorithms were sealed with). At most `max_dkim` DKIM
// signatures count, as the relay verifies no more.
job_cost count_job_cost(const mail::message& input, const mail::message& output,
                        std::size_t max_dkim);

} // namespace arcrelay::bench
