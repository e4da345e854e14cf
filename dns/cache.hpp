// dns/cache.hpp — caching_resolver: a resolver decorator that keeps answers for their TTL
// (RFC 1035 3.2.1, RFC 2181 8), negative answers for their SOA-derived TTL (RFC 2308 5),
// temporary failures only for a few seconds, at most a fixed number of entries (least recently
// used first out), and that asks the upstream resolver once for identical questions in flight
// on several threads at the same time.
#pragma once

#include "dns/resolver.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace arcrelay::dns {

inline constexpr std::size_t default_cache_entries = 10000;
inline constexpr std::uint32_t default_cache_max_ttl = 86400;         // RFC 8767 4: a day
inline constexpr std::uint32_t default_cache_max_negative_ttl = 3600; // RFC 2308 5: 1-3 hours
inline constexpr std::uint32_t default_cache_failure_ttl = 5;         // temp_failure, malformed

struct cache_options {
    std::size_t max_entries = default_cache_entries;
    std::uint32_t max_ttl = default_cache_max_ttl;                   // cap for records
    std::uint32_t max_negative_ttl = default_cache_max_negative_ttl; // cap for nxdomain, nodata
    std::uint32_t failure_ttl = default_cache_failure_ttl;           // temp_failure, malformed
    std::function<std::chrono::steady_clock::time_point()> clock = std::chrono::steady_clock::now;
};

class caching_resolver final : public resolver {
public:
    // `upstream` must outlive this object. Answers with a TTL of 0 (records, or negative
    // answers without an SOA) are not kept.
    explicit caching_resolver(resolver& upstream, cache_options options = {});

    // Answers from the cache where it can (with the TTL that remains), waits for identical
    // questions another thread is already asking, and sends the rest upstream in one call.
    // Safe to call from several threads at once.
    std::vector<answer> resolve(std::span<const question> questions) override;

    std::size_t size() const;

private:
    using clock = std::chrono::steady_clock;
    struct key {
        std::string name; // canonical_name
        rr_type type;
        bool operator==(const key&) const = default;
    };
    struct key_hash {
        std::size_t operator()(const key& k) const;
    };
    struct entry {
        answer value;
        clock::time_point expires;
        std::list<key>::iterator recency; // position in recency_
    };

    void store(const key& k, const answer& a, clock::time_point now);
    std::chrono::seconds lifetime(const answer& a) const;

    resolver& upstream_;
    cache_options options_;
    mutable std::mutex mutex_;
    std::unordered_map<key, entry, key_hash> entries_;
    std::list<key> recency_; // most recently used first
    std::unordered_map<key, std::shared_future<answer>, key_hash> in_flight_;
};

} // namespace arcrelay::dns
