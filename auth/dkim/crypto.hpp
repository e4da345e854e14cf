// auth/dkim/crypto.hpp — the signature algorithms of DKIM and ARC, and their keys.
//
// The only place that calls Botan's public-key API and OpenSSL's libcrypto for DKIM/ARC
// (STYLE.md: Botan's exceptions are caught in the one file that calls Botan). RSA
// private-key operations run in libcrypto (about 3.5x Botan 2's speed, DESIGN.md
// "Decisions"); Botan does Ed25519, verification, hashing and key parsing. rsa-sha256 is
// RSASSA-PKCS1-v1_5 over SHA-256 (RFC 6376 §3.3.1); ed25519-sha256 is PureEdDSA over the SHA-256
// digest of the signing input (RFC 8463 §3). rsa-sha1 is recognised only to be refused (RFC 8301
// §3.1).
#pragma once

#include "base/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dkim {

enum class algorithm { rsa_sha256, ed25519_sha256, rsa_sha1 };
enum class key_type { rsa, ed25519 };

// "rsa-sha256" / "ed25519-sha256" / "rsa-sha1" (case-insensitive); nullopt otherwise.
std::optional<algorithm> parse_algorithm(std::string_view name);
std::string_view algorithm_name(algorithm a);
key_type key_type_of(algorithm a);
std::string_view key_type_name(key_type k); // "rsa" / "ed25519" (k= tag)

class public_key {
public:
    key_type type() const { return type_; }
    std::size_t bits() const { return bits_; }

private:
    friend result<public_key> parse_public_key(key_type, std::string_view);
    friend bool verify_signature(const public_key&, algorithm, std::string_view,
                                 std::span<const std::uint8_t>);
    friend struct key_access; // crypto.cpp
    struct impl;
    std::shared_ptr<const impl> impl_; // immutable, so copies may share it across threads
    key_type type_ = key_type::rsa;
    std::size_t bits_ = 0;
};

// Decodes a p= value (base64, whitespace already removed or not). RSA: SubjectPublicKeyInfo
// DER or bare PKCS#1 RSAPublicKey DER; Ed25519: the raw 32-byte key (RFC 8463 §4).
// Permanent errors: bad base64, undecodable key, wrong Ed25519 length, RSA under
// min_rsa_bits (RFC 8301 §3.2: verifiers must not consider keys under 1024 bits).
inline constexpr std::size_t min_rsa_bits = 1024;
result<public_key> parse_public_key(key_type type, std::string_view base64);

// True when `signature` is valid for `data` under `a`. Never throws.
bool verify_signature(const public_key& key, algorithm a, std::string_view data,
                      std::span<const std::uint8_t> signature);

// Which library performs an RSA signature. PKCS#1 v1.5 is deterministic (RFC 8017 §8.2.1),
// so both give the same bytes; Botan stays as the reference tests and benchmarks compare
// with. Ed25519 is always Botan's.
enum class rsa_engine { openssl, botan };

class private_key {
public:
    key_type type() const { return type_; }
    std::size_t bits() const { return bits_; }
    // The p= value for the key's DNS TXT record (base64).
    std::string public_key_base64() const;
    // PKCS#8 PEM, for keygen.
    std::string to_pem() const;

private:
    friend result<std::vector<std::uint8_t>> sign_data(const private_key&, algorithm,
                                                       std::string_view, rsa_engine);
    friend struct key_access; // crypto.cpp
    struct impl;
    std::shared_ptr<const impl> impl_;
    key_type type_ = key_type::rsa;
    std::size_t bits_ = 0;
};

// PEM: PKCS#8 ("PRIVATE KEY", RSA or Ed25519) or PKCS#1 ("RSA PRIVATE KEY"); also the bare
// base64 of a PKCS#8 or PKCS#1 DER. Permanent errors name what was wrong.
result<private_key> load_private_key(std::string_view text);
// RSA with `bits` (2048 by default in keygen) or Ed25519 (bits ignored).
result<private_key> generate_private_key(key_type type, std::size_t bits);
// Signs `data` (the signing input; hashed here). Errors if the key does not fit `a`.
// Thread-safe; ready signers are kept with the key, so no call allocates one after warm-up.
result<std::vector<std::uint8_t>> sign_data(const private_key& key, algorithm a,
                                            std::string_view data,
                                            rsa_engine engine = rsa_engine::openssl);

} // namespace arcrelay::auth::dkim
