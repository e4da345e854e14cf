// arc/seal.hpp — adding an ARC set (RFC 8617 §5.1) for each configured algorithm
// (draft-ietf-dmarc-arc-multi-02 §5.1). Pure: no I/O, the time is an input.
//
// - No chain on the message: one new chain per sealing key, cv=none.
// - Otherwise the longest chain(s) are continued with every key whose algorithm they use;
//   a new algorithm is never introduced into an existing chain (arc-multi §5.1). When no
//   longest chain uses an algorithm we hold a key for, nothing is added.
// - cv comes from the validation of that chain (pass or fail); a chain whose newest seal
//   already says cv=fail is never extended; a failed chain is sealed with cv=fail and an AS
//   covering only the new set (RFC 8617 §5.1.2).
// - One ARC-Authentication-Results per instance, shared by the algorithms.
#pragma once

#include "auth/dkim/body_hash_cache.hpp"

#include "arc/validate.hpp"
#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"
#include "mail/canonicalization.hpp"
#include "mail/message.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::arc {

struct sealing_key {
    auth::dkim::algorithm algorithm = auth::dkim::algorithm::rsa_sha256;
    std::string domain;   // d=
    std::string selector; // s=
    auth::dkim::private_key key;
};

// The AMS's default h= candidates: DKIM's list plus DKIM-Signature (RFC 8617 §4.1.2 SHOULD).
const std::vector<std::string>& default_sealed_headers();

struct seal_options {
    // Fields the AMS signs, each once per instance present (From always). ARC-* and
    // Authentication-Results names are dropped (RFC 8617 §4.1.2, RFC 8601 §5).
    std::vector<std::string> signed_headers = default_sealed_headers();
    mail::canonicalization header_canon = mail::canonicalization::relaxed;
    mail::canonicalization body_canon = mail::canonicalization::relaxed;
    bool fold = true; // fold under 78 columns (false: one line per field)
    // The verifier's body hashes of this very message (DKIM and ARC verification usually
    // computed the relaxed one already); used only when it covers the message's body.
    auth::dkim::body_hash_cache* bodies = nullptr;
};

struct seal_output {
    // The fields to add at the top of the header block, in top-to-bottom order: for each
    // algorithm its ARC-Seal and ARC-Message-Signature, then the ARC-Authentication-Results.
    // Empty when nothing is added.
    std::vector<mail::header_field> fields;
    std::uint32_t instance = 0;          // i= of the new sets
    std::vector<std::string> algorithms; // the algorithms sealed with
    std::string reason;                  // why a key (or every key) was not used
};

// `verdict` is the validation of the message's chain: validate_chain's result, or one built
// by the caller from its own earlier Authentication-Results (split mode, DESIGN.md) with an
// overall result and no per-chain detail. `results` is the AAR payload after "i=N; ":
// "authserv-id; arc=pass; dkim=pass header.d=...". `timestamp` is t= (seconds since the
// epoch). Errors: a key that does not fit its algorithm or a signing failure; a sealing
// key list that is empty.
result<seal_output> seal_message(const mail::message& m, const validation_result& verdict,
                                 std::string_view results, std::span<const sealing_key> keys,
                                 std::uint64_t timestamp, const seal_options& options = {});

// Prepends the output's fields to `m` so that they appear in seal_output order.
void add_sealed_fields(mail::message& m, const seal_output& out);

} // namespace arcrelay::arc
