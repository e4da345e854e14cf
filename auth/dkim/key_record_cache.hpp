// auth/dkim/key_record_cache.hpp — parsed key records by their TXT text. Decoding a public
// key (RSA Montgomery set-up) costs more than verifying with it, and the same few keys sign
// most mail; the DNS answer itself stays with the resolver's TTL cache, so a changed record
// is a new text and a new entry. Thread-safe; bounded.
#pragma once

#include "auth/dkim/key_record.hpp"

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace arcrelay::auth::dkim {

class key_record_cache {
public:
    explicit key_record_cache(std::size_t max_entries = 1000) : max_entries_(max_entries) {}

    // parse_key_record(txt), from the cache when this text was parsed before (errors are not
    // cached: they are cheap and rare).
    result<key_record> parse(const std::string& txt);
    std::size_t size() const;

private:
    std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::list<std::string> order_; // least recently used first
    std::unordered_map<std::string, std::pair<key_record, std::list<std::string>::iterator>> map_;
};

} // namespace arcrelay::auth::dkim
