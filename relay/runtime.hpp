// relay/runtime.hpp — what the daemon builds from one configuration: the configuration
// itself, the sealing keys, the shared resolver (static zone, or the network stub resolver
// behind the cache) and one next hop per listener. Immutable once built; SIGHUP builds a
// new one and new transactions use it while running ones finish with theirs.
#pragma once

#include "auth/dkim/key_record_cache.hpp"

#include "config/config.hpp"
#include "dns/resolver.hpp"
#include "relay/handover.hpp"
#include "relay/message_checks.hpp"
#include "relay/next_hop.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace arcrelay::relay {

struct runtime {
    config::configuration config;
    std::vector<sealing_key> keys;
    handover_keys handover; // verify -> seal hand-over secrets (empty when no listener needs them)
    std::map<std::string, std::unique_ptr<next_hop>> next_hops; // by listener name

    dns::resolver& resolver() const { return *shared_resolver_; }
    // Parsed DKIM/ARC key records by TXT text, shared by every message.
    auth::dkim::key_record_cache& key_cache() const { return *key_cache_; }
    const config::listener* find_listener(const std::string& name) const;

    // Loads keys, hand-over secrets and the zone file or starts the network resolver. Errors:
    // unreadable keys, zone file, resolver settings.
    static result<std::shared_ptr<const runtime>> build(config::configuration config);

private:
    std::unique_ptr<dns::resolver> base_resolver_;
    std::unique_ptr<dns::resolver> cache_;
    dns::resolver* shared_resolver_ = nullptr;
    std::unique_ptr<auth::dkim::key_record_cache> key_cache_ =
        std::make_unique<auth::dkim::key_record_cache>();
};

// The current runtime, replaced on reload; read by every transaction.
class runtime_holder {
public:
    explicit runtime_holder(std::shared_ptr<const runtime> r) : current_(std::move(r)) {}
    std::shared_ptr<const runtime> get() const {
        const std::lock_guard lock(mutex_);
        return current_;
    }
    void set(std::shared_ptr<const runtime> r) {
        const std::lock_guard lock(mutex_);
        current_ = std::move(r);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const runtime> current_;
};

} // namespace arcrelay::relay
