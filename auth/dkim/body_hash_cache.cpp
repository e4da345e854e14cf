// auth/dkim/body_hash_cache.cpp — see body_hash_cache.hpp.
#include "auth/dkim/body_hash_cache.hpp"

namespace arcrelay::auth::dkim {

const body_hash& body_hash_cache::get(mail::canonicalization c,
                                      std::optional<std::uint64_t> length_limit) {
    auto key = std::pair{c, length_limit};
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    mail::body_hasher hasher(c, length_limit);
    hasher.update(body_);
    body_hash h;
    h.digest = hasher.finish();
    h.canonical_length = hasher.canonical_length();
    return cache_.emplace(key, h).first->second;
}

} // namespace arcrelay::auth::dkim
