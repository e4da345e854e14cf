// arc/chain.hpp — the ARC sets of a message grouped into per-algorithm chains
// (RFC 8617 §4.2, §5.2 steps 1 and 3; draft-ietf-dmarc-arc-multi-02 §4, §5).
//
// A set is one AAR, AMS and AS with the same i=. An instance carries at least one set and at
// most one per algorithm (arc-multi §4); its AAR is shared (one field, or byte-identical
// copies after relaxed canonicalization). A message with one set per instance is one plain
// RFC 8617 chain whatever algorithm each hop used. Where an instance has several sets, the
// chain of algorithm X takes at each instance the set whose ARC-Seal uses X, or the only set
// there is; its length is the highest instance where X itself sealed.
#pragma once

#include "arc/fields.hpp"
#include "base/result.hpp"
#include "mail/message.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace arcrelay::arc {

// ARC header fields a message may carry before the chain fails unread: 50 instances with
// two algorithms each, three fields per set (bounded work on hostile input).
inline constexpr std::size_t max_arc_fields = 3 * 2 * max_instance;

struct arc_set {
    std::uint32_t instance = 0;
    // Views into the message the chain was collected from.
    const mail::header_field* results_field = nullptr;
    const mail::header_field* signature_field = nullptr;
    const mail::header_field* seal_field = nullptr;
    message_signature signature;
    arc_seal seal;
};

struct algorithm_chain {
    std::string algorithm;         // a= of the seals that define it
    std::vector<std::size_t> sets; // indexes into arc_chain::sets, for instances 1..N
    std::string broken;            // non-empty: why no set exists at some instance
};

struct arc_chain {
    std::vector<arc_set> sets; // ordered by instance, then header order
    std::uint32_t highest_instance = 0;
    std::vector<algorithm_chain> longest; // the chains that reach highest_instance
    bool empty() const { return sets.empty(); }
};

// Collects and groups the ARC sets of `m` (which must outlive the result unchanged). A
// message without ARC fields gives an empty chain. Permanent errors, each the reason the
// chain fails (RFC 8617 §5.2 steps 1 and 3): more than max_arc_fields fields, a field that
// does not parse (with its name), an instance over max_instance, an instance with no set
// (a gap), an instance missing its AAR, AMS or AS, two AMS or AS fields of one algorithm at
// one instance, an AMS without an AS of its algorithm (or the reverse), differing AARs at
// one instance.
result<arc_chain> collect_chain(const mail::message& m);

// The instance of the newest set and whether any ARC-Seal there says cv=fail, read
// leniently (fields that do not parse are skipped). Used to seal a chain that did not
// even collect (RFC 8617 §5.1.2) and never to extend one whose newest seal failed.
struct chain_top {
    std::uint32_t instance = 0;
    bool sealed_fail = false;
};
chain_top find_chain_top(const mail::message& m);

} // namespace arcrelay::arc
