// auth/dkim/body_hash_cache.hpp — one body hash per (canonicalization, l=) per message:
// several DKIM signatures and the ARC-Message-Signatures usually share it (RFC 6376 §3.7).
#pragma once

#include "mail/canonicalization.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

namespace arcrelay::auth::dkim {

struct body_hash {
    mail::sha256_digest digest{};
    std::uint64_t canonical_length = 0; // of the whole canonical body, ignoring l=
};

class body_hash_cache {
public:
    explicit body_hash_cache(std::string_view body) : body_(body) {}
    const body_hash& get(mail::canonicalization c, std::optional<std::uint64_t> length_limit);
    // True when this cache hashes exactly `body` (the same bytes, not a copy).
    bool covers(std::string_view body) const {
        return body.data() == body_.data() && body.size() == body_.size();
    }

private:
    std::string_view body_; // view into the message being verified
    std::map<std::pair<mail::canonicalization, std::optional<std::uint64_t>>, body_hash> cache_;
};

} // namespace arcrelay::auth::dkim
