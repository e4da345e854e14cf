// dns/cache.cpp — TTL-honouring LRU answer cache with coalescing of in-flight questions
// (RFC 1035 3.2.1, RFC 2181 8, RFC 2308 5).
#include "dns/cache.hpp"

#include "dns/name.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

namespace arcrelay::dns {

std::size_t caching_resolver::key_hash::operator()(const key& k) const {
    return std::hash<std::string>()(k.name) ^ (static_cast<std::size_t>(k.type) << 1);
}

caching_resolver::caching_resolver(resolver& upstream, cache_options options)
    : upstream_(upstream), options_(std::move(options)) {}

std::size_t caching_resolver::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

std::chrono::seconds caching_resolver::lifetime(const answer& a) const {
    switch (a.result) {
    case outcome::records:
        return std::chrono::seconds(std::min(a.ttl, options_.max_ttl));
    case outcome::nxdomain:
    case outcome::nodata:
        return std::chrono::seconds(std::min(a.ttl, options_.max_negative_ttl));
    case outcome::temp_failure:
    case outcome::malformed:
        return std::chrono::seconds(options_.failure_ttl);
    }
    return std::chrono::seconds(0);
}

void caching_resolver::store(const key& k, const answer& a, clock::time_point now) {
    const std::chrono::seconds keep = lifetime(a);
    if (keep.count() == 0 || options_.max_entries == 0) return;
    if (auto it = entries_.find(k); it != entries_.end()) {
        recency_.erase(it->second.recency);
        entries_.erase(it);
    }
    recency_.push_front(k);
    entries_.emplace(k, entry{a, now + keep, recency_.begin()});
    while (entries_.size() > options_.max_entries) {
        entries_.erase(recency_.back());
        recency_.pop_back();
    }
}

std::vector<answer> caching_resolver::resolve(std::span<const question> questions) {
    std::vector<std::optional<answer>> answers(questions.size());
    std::vector<std::shared_future<answer>> waits(questions.size());
    std::vector<question> mine; // to ask upstream
    std::vector<std::promise<answer>> promises;

    {
        const std::lock_guard lock(mutex_);
        const clock::time_point now = options_.clock();
        for (std::size_t i = 0; i < questions.size(); ++i) {
            const key k{canonical_name(questions[i].name), questions[i].type};
            if (auto it = entries_.find(k); it != entries_.end()) {
                if (it->second.expires > now) {
                    recency_.splice(recency_.begin(), recency_, it->second.recency);
                    answer a = it->second.value;
                    // The TTL that remains, so a cache behind this one keeps no longer.
                    const auto left =
                        std::chrono::ceil<std::chrono::seconds>(it->second.expires - now);
                    a.ttl = static_cast<std::uint32_t>(std::min<std::int64_t>(a.ttl, left.count()));
                    answers[i] = std::move(a);
                    continue;
                }
                recency_.erase(it->second.recency);
                entries_.erase(it);
            }
            if (auto flight = in_flight_.find(k); flight != in_flight_.end()) {
                waits[i] = flight->second;
                continue;
            }
            promises.emplace_back();
            in_flight_.emplace(k, promises.back().get_future().share());
            waits[i] = in_flight_.at(k);
            mine.push_back({k.name, k.type});
        }
    }

    if (!mine.empty()) {
        std::vector<answer> fetched;
        try {
            fetched = upstream_.resolve(mine);
        } catch (...) {
            // resolver::resolve never throws; if one does, nobody may wait forever.
            fetched.clear();
        }
        fetched.resize(mine.size(), answer{outcome::temp_failure, {}, "DNS resolver failed"});
        const std::lock_guard lock(mutex_);
        const clock::time_point now = options_.clock();
        for (std::size_t j = 0; j < mine.size(); ++j) {
            const key k{mine[j].name, mine[j].type};
            store(k, fetched[j], now);
            in_flight_.erase(k);
            promises[j].set_value(std::move(fetched[j]));
        }
    }

    std::vector<answer> result;
    result.reserve(questions.size());
    for (std::size_t i = 0; i < questions.size(); ++i) {
        result.push_back(answers[i] ? std::move(*answers[i]) : waits[i].get());
    }
    return result;
}

} // namespace arcrelay::dns
