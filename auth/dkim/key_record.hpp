// auth/dkim/key_record.hpp — DKIM key records in DNS (RFC 6376 §3.6.1, RFC 8463 §4,
// RFC 8301 §3.2), used by DKIM and ARC (RFC 8617 §4.1.3 reuses them).
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dkim {

struct key_record {
    key_type type = key_type::rsa;
    std::vector<std::string> hashes; // h= (empty: any)
    bool revoked = false;            // p= empty (RFC 6376 §3.6.1)
    bool testing = false;            // t=y
    bool strict_identity = false;    // t=s: i= must equal d=, no subdomains
    std::optional<public_key> key;   // absent when revoked

    // True when h= allows `a`'s hash (sha256 for both rsa-sha256 and ed25519-sha256).
    bool allows(algorithm a) const;
};

// Parses one TXT record. Permanent errors with a reason: not a tag-list, v= present but not
// "DKIM1" or not first, unknown k=, s= without "email" or "*", missing p=, bad base64,
// undecodable key, RSA key under 1024 bits.
result<key_record> parse_key_record(std::string_view txt);

// The DNS name of a key: "<selector>._domainkey.<domain>" (RFC 6376 §3.6.2.1).
std::string key_name(std::string_view selector, std::string_view domain);

} // namespace arcrelay::auth::dkim
