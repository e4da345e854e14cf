// auth/dkim/verify.hpp — DKIM verification of every signature of a message
// (RFC 6376 §6.1, RFC 8463, RFC 8301), each with its own result (RFC 8601 §2.7.1).
#pragma once

#include "auth/dkim/body_hash_cache.hpp"
#include "auth/dkim/key_lookup.hpp"
#include "mail/message.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace arcrelay::auth::dkim {

enum class result_code { none, pass, fail, neutral, policy, temperror, permerror };
std::string_view result_name(result_code r);

struct verification {
    result_code result = result_code::none;
    std::string reason;    // human text for every result but pass
    std::string domain;    // header.d
    std::string selector;  // header.s
    std::string identity;  // header.i
    std::string algorithm; // header.a
    std::string b_prefix;  // header.b: first 8 characters of b= (RFC 6008)
    std::size_t key_bits = 0;
    bool testing = false; // key record t=y
};

struct verify_options {
    std::uint64_t now = 0;           // seconds since the epoch (x=, t= checks)
    std::uint64_t clock_skew = 300;  // t= may be this far in the future
    std::size_t max_signatures = 10; // more are reported neutral, not verified
};

inline constexpr std::string_view dkim_signature_field = "DKIM-Signature";

// The key names the message's signatures need (for one batched lookup with ARC's).
std::vector<std::string> dkim_key_names(const mail::message& m, std::size_t max_signatures);

// Verifies every DKIM-Signature in header order with keys already fetched.
std::vector<verification> verify_dkim(const mail::message& m, const key_map& keys,
                                      body_hash_cache& bodies, const verify_options& opt);

// Convenience: fetch the keys (one resolver call) and verify.
std::vector<verification> verify_dkim(const mail::message& m, dns::resolver& resolver,
                                      const verify_options& opt);

} // namespace arcrelay::auth::dkim
