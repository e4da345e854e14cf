// auth/dkim/key_lookup.hpp — fetches and parses the key records a message needs, all in one
// round of concurrent DNS queries (DESIGN.md: all lookups a message needs start together).
#pragma once

#include "auth/dkim/key_record.hpp"
#include "auth/dkim/key_record_cache.hpp"
#include "dns/resolver.hpp"

#include <map>
#include <string>
#include <vector>

namespace arcrelay::auth::dkim {

enum class key_status {
    found,     // a usable key record
    none,      // NXDOMAIN / NODATA: "no key for signature" (permerror, RFC 6376 §6.1.2)
    temporary, // DNS temporary failure (temperror)
    invalid,   // a record that does not parse, or several records (permerror)
};

struct key_answer {
    key_status status = key_status::none;
    std::optional<key_record> record;
    std::string reason;
};

// name ("sel._domainkey.example.com", lower-case) -> answer
using key_map = std::map<std::string, key_answer>;

// Resolves every distinct name in `names` with one resolver call and parses the answers
// (through `cache` when given).
key_map fetch_keys(dns::resolver& resolver, const std::vector<std::string>& names,
                   key_record_cache* cache = nullptr);

} // namespace arcrelay::auth::dkim
