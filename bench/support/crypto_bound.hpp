// bench/support/crypto_bound.hpp — what this machine's crypto libraries can do per core,
// measured in the same run as the relay: the rates the "crypto bound" of a job is computed
// with. Each operation is counted in the library arcrelay uses for it (auth/dkim/crypto.cpp):
// RSA signing in OpenSSL's libcrypto, the rest in Botan. All rates are per process-CPU-second
// (measure.hpp); Botan's RSA signing is kept for comparison, by process and by thread CPU.
#pragma once

#include "bench/support/measure.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace arcrelay::bench {

struct crypto_rates {
    double rsa_sign = 0;   // RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second (libcrypto)
    double rsa_verify = 0; // verifications per second
    double ed_sign = 0;    // Ed25519 signatures (of a 32-byte digest) per second
    double ed_verify = 0;
    double sha256_bytes = 0; // SHA-256 bytes per second over a 1 MiB buffer
    // Not in the bound: Botan's RSA-2048 signing, what arcrelay used before issue 14, per
    // process-CPU-second and per second of the calling thread's CPU (the old, flattering clock).
    double botan_rsa_sign = 0;
    double botan_rsa_sign_thread_cpu = 0;
};

// The raw operations, Botan and libcrypto called directly with signer/verifier objects made
// once: each call does one operation on fixed inputs (a 512-byte header signing input, a
// 32-byte Ed25519 digest, a 1 MiB block to hash).
class crypto_ops {
public:
    // `rsa_pem` and `ed_pem` are the corpus's private keys (PKCS#8 or PKCS#1 PEM files).
    crypto_ops(const std::string& rsa_pem, const std::string& ed_pem);
    ~crypto_ops();
    crypto_ops(const crypto_ops&) = delete;
    crypto_ops& operator=(const crypto_ops&) = delete;

    void rsa_sign();                  // libcrypto, as auth/dkim/crypto.cpp signs
    void rsa_verify();                // Botan
    void ed_sign();                   // Botan
    void ed_verify();                 // Botan
    void sha256(std::uint64_t bytes); // Botan, `bytes` of the block (repeated past 1 MiB)
    void botan_rsa_sign();            // not in the bound: what signed before issue 14
    std::uint64_t block_bytes() const;

private:
    struct parts;
    std::unique_ptr<parts> p_;
};

// Each operation of `crypto_ops` timed alone.
// `rsa_pem` and `ed_pem` are the corpus's private keys (PKCS#8 PEM files).
crypto_rates measure_crypto(const std::string& rsa_pem, const std::string& ed_pem,
                            const measure_options& options);

} // namespace arcrelay::bench
