// bench/support/crypto_bound.hpp — what this machine's Botan can do per core, measured in
// the same run as the relay: the rates the "crypto bound" of a job is computed with.
#pragma once

#include "bench/support/measure.hpp"

#include <string>

namespace arcrelay::bench {

struct crypto_rates {
    double rsa_sign = 0;   // RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second
    double rsa_verify = 0; // verifications per second
    double ed_sign = 0;    // Ed25519 signatures (of a 32-byte digest) per second
    double ed_verify = 0;
    double sha256_bytes = 0; // SHA-256 bytes per second over a 1 MiB buffer
};

// Botan called directly with signer/verifier objects made once: the raw operations.
// `rsa_pem` and `ed_pem` are the corpus's private keys (PKCS#8 PEM files).
crypto_rates measure_crypto(const std::string& rsa_pem, const std::string& ed_pem,
                            const measure_options& options);

} // namespace arcrelay::bench
