// relay/pipeline.hpp — the per-message stages of a listener (DESIGN.md Pipeline steps 2-6)
// between the received transaction and the next hop: parse, verify, record, policy,
// rewrite, seal, and what is to be forwarded. Blocking (DNS, RSA): the daemon runs it on a
// worker pool, never on the I/O threads. Time is an input.
#pragma once

#include "config/config.hpp"
#include "dns/resolver.hpp"
#include "relay/handover.hpp"
#include "relay/message_checks.hpp"
#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace arcrelay::relay {

struct pipeline_context {
    const config::configuration& config;
    const config::listener& listener;
    const std::vector<sealing_key>& keys;
    dns::resolver& resolver; // shared (cached); the pipeline adds the per-message budget
    std::string transaction_id;
    std::uint64_t now = 0;                             // seconds since the epoch
    auth::dkim::key_record_cache* key_cache = nullptr; // shared parsed keys (may be null)
    // When the message time budget runs out: later DNS questions are not sent (the checks end
    // in temperror within one round) because the client has been answered 451 already.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    // Split layout: the hand-over secrets (relay/handover.hpp); null = none, so a seal-only
    // listener trusts no A-R of ours.
    const handover_keys* handover = nullptr;
};

struct pipeline_result {
    // Set when the pipeline itself answers the final "." (malformed header 554 5.6.0, policy
    // rejection, seal failure 451 4.3.0); then nothing is forwarded.
    std::optional<smtp::reply> reply;
    std::vector<smtp::transaction> forward; // the next-hop transactions, in order
    std::optional<check_report> report;     // the verify stage's findings, when it ran
    std::string notes;                      // policy override, seal notes, for the log
    std::string list;                       // the list a post was rewritten for ("" if none)
    std::size_t arc_sets_added = 0;
    std::size_t results_removed = 0; // A-R fields the record stage dropped
};

// Runs the listener's stages in pipeline order, taking the transaction over (its message
// becomes the parsed message's body buffer: a large message is not copied). Never throws for
// bad input; a broken invariant (std::exception) is answered 451 4.3.0 by the caller.
pipeline_result run_pipeline(smtp::transaction t, const pipeline_context& ctx);

// RFC 3463 5.6.0 reply for a header block mail::parse_message refused.
smtp::reply malformed_message_reply(const error& e);

} // namespace arcrelay::relay
