// auth/dkim/sign.hpp — DKIM signing (RFC 6376 §5) with rsa-sha256 or ed25519-sha256.
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"
#include "mail/canonicalization.hpp"
#include "mail/message.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace arcrelay::auth::dkim {

// Fields signed by default, and those signed once more than present so that none can be
// added later (RFC 6376 §8.15 "oversigning").
const std::vector<std::string>& default_signed_headers();
const std::vector<std::string>& default_oversigned_headers();

struct signer {
    algorithm alg = algorithm::rsa_sha256;
    std::string domain;   // d=
    std::string selector; // s=
    std::string identity; // i= (optional: the default is "@" + d=)
    private_key key;
    std::vector<std::string> headers = default_signed_headers();
    std::vector<std::string> oversign = default_oversigned_headers();
    mail::canonicalization header_canon = mail::canonicalization::relaxed;
    mail::canonicalization body_canon = mail::canonicalization::relaxed;
};

// The h= list: every name of `headers` once per instance in `m` (absent names skipped),
// once more for names in `oversign`; From always (RFC 6376 §5.4).
std::vector<std::string> select_signed_headers(const mail::message& m,
                                               const std::vector<std::string>& headers,
                                               const std::vector<std::string>& oversign);

// Returns the DKIM-Signature field to prepend. `timestamp` is t= (seconds since the epoch).
// Errors: a key that does not fit the algorithm, signing failure.
result<mail::header_field> sign_dkim(const mail::message& m, const signer& s,
                                     std::uint64_t timestamp);

} // namespace arcrelay::auth::dkim
