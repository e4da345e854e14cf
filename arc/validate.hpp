// arc/validate.hpp — ARC chain validation (RFC 8617 §5.2) with several signing algorithms
// (draft-ietf-dmarc-arc-multi-02 §5.2).
//
// Every longest chain is validated per RFC 8617 §5.2: the newest seal must not say
// cv=fail (step 2); cv=none at i=1 and pass above (step 3.3); the newest AMS verifies
// (step 4); older AMSs give oldest-pass (steps 5-6); every AS verifies (step 7). The chain
// result is pass only if every longest chain passes; an algorithm we cannot process on a
// longest chain fails it even when a shorter chain would verify (arc-multi §5.2). A DNS
// failure is a fail whose reason says it was temporary (RFC 8617 §5.2.1).
//
// Flow (STYLE.md): collect_chain → key_names → fetch_keys (one resolver call, together
// with DKIM's names if wanted) → validate_chain with the keys and the time.
#pragma once

#include "arc/chain.hpp"
#include "auth/dkim/body_hash_cache.hpp"
#include "auth/dkim/key_lookup.hpp"
#include "base/result.hpp"
#include "dns/resolver.hpp"
#include "mail/message.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::arc {

// Distinct body hashes (canonicalization, l=) computed for the older AMSs of step 6: each
// costs a pass over the body, and l= values are the sender's choice (bounded work). The
// newest AMS of each chain is always checked; an older one past the limit counts as failed.
inline constexpr std::size_t max_body_hashes = 8;

// The Authentication-Results "arc" method result (RFC 8617 §10.1).
enum class arc_result { none, pass, fail };
std::string_view arc_result_name(arc_result r);

struct chain_result {
    std::string algorithm; // a= of the seals of this chain
    std::uint32_t length = 0;
    arc_result result = arc_result::fail;
    std::uint32_t oldest_pass = 0; // RFC 8617 §5.2 step 6; 0 when every AMS verifies
    std::string reason;            // why it failed; empty on pass
    bool temporary = false;        // the fail came from a DNS temporary failure
};

struct validation_result {
    arc_result result = arc_result::none;
    std::uint32_t oldest_pass = 0; // header.oldest-pass, the worst of the longest chains
    std::uint32_t highest_instance = 0;
    std::string reason; // a human reason for every fail
    bool temporary = false;
    std::vector<chain_result> chains; // one per longest chain, in header order at i=N
};

// The key names ("sel._domainkey.domain", lower-case) of every AMS and AS on the longest
// chains: all that validate_chain may look at.
std::vector<std::string> key_names(const arc_chain& chain);

// Validates a collected chain (a collect_chain error is a fail with that reason). `now` is
// seconds since the epoch, for the AMS x= expiry. `bodies` caches body hashes of `m`.
validation_result validate_chain(const mail::message& m, const result<arc_chain>& chain,
                                 const auth::dkim::key_map& keys,
                                 auth::dkim::body_hash_cache& bodies, std::uint64_t now);

// Convenience: collect, fetch every key with one resolver call, validate.
validation_result validate_message(const mail::message& m, dns::resolver& resolver,
                                   std::uint64_t now);

} // namespace arcrelay::arc
