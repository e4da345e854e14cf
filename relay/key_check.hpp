// relay/key_check.hpp — does the DNS TXT record of a sealing key match its private key?
// (`arcrelay testkey`, after opendkim-testkey.) Pure: the caller does the lookup.
#pragma once

#include "auth/dkim/crypto.hpp"
#include "dns/resolver.hpp"

#include <string>
#include <string_view>

namespace arcrelay::relay {

// Ordered by severity; the value is the exit status of `arcrelay testkey` (the highest of
// all keys). 2 is the CLI's usage error.
enum class key_check_status {
    match = 0,       // a usable record whose key verifies a signature made with ours
    dns_failure = 1, // timeout, SERVFAIL, malformed answer: try again
    not_found = 3,   // NXDOMAIN or no TXT record
    revoked = 4,     // p= empty (RFC 6376 3.6.1)
    unusable = 5,    // does not parse, or k=, h=, t=y forbid sealing with this key
    different = 6,   // a usable record of another key
};

std::string_view key_check_status_name(key_check_status s); // "match", "not found", ...

struct key_check {
    key_check_status status = key_check_status::not_found;
    std::string detail; // why, for the report line
};

// Checks the TXT answer for the key `key` that seals with `alg`. With several records, the
// first that parses counts (RFC 6376 3.6.2.2, as receivers do).
key_check check_published_key(const dns::answer& answer, const auth::dkim::private_key& key,
                              auth::dkim::algorithm alg);

} // namespace arcrelay::relay
