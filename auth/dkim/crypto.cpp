// auth/dkim/crypto.cpp — Botan 2 and OpenSSL's libcrypto behind crypto.hpp. Every Botan
// exception and every OpenSSL error stops here.
#include "auth/dkim/crypto.hpp"

#include "mail/base64.hpp"
#include "mail/canonicalization.hpp"

#include <botan/ber_dec.h>
#include <botan/data_src.h>
#include <botan/ed25519.h>
#include <botan/pem.h>
#include <botan/pk_keys.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <mutex>

namespace arcrelay::auth::dkim {

namespace {
constexpr std::size_t max_idle_signers = 16;

struct evp_pkey_free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct evp_pkey_ctx_free {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_free>;
using evp_pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, evp_pkey_ctx_free>;

// Ready signers, one per concurrent caller, up to max_idle_signers; setting one up costs
// more than a signature (Botan's blinding, libcrypto's context).
template <class T>
class idle_pool {
public:
    T take() {
        std::lock_guard lock(mutex_);
        if (idle_.empty()) return T{};
        T out = std::move(idle_.back());
        idle_.pop_back();
        return out;
    }
    void give(T item) {
        std::lock_guard lock(mutex_);
        if (idle_.size() < max_idle_signers) idle_.push_back(std::move(item));
    }

private:
    std::mutex mutex_;
    std::vector<T> idle_;
};
} // namespace

// Ready verifiers of the key's own algorithm (rsa-sha256 or ed25519-sha256): a key record
// lives in the key cache across messages, and setting up Botan's RSA verification operation
// costs about 2 % of a verification.
struct public_key::impl {
    std::unique_ptr<Botan::Public_Key> key;
    mutable idle_pool<std::unique_ptr<Botan::PK_Verifier>> verifiers;
};
// A ready signer with the RNG its blinding keeps a reference to (Botan 2's RSA blinder).
struct signer_entry {
    Botan::System_RNG rng;
    std::unique_ptr<Botan::PK_Signer> signer;
};

struct private_key::impl {
    std::unique_ptr<Botan::Private_Key> key;
    evp_pkey_ptr rsa; // RSA keys only: the same key, loaded into libcrypto once
    mutable idle_pool<std::unique_ptr<signer_entry>> botan_signers;
    mutable idle_pool<evp_pkey_ctx_ptr> openssl_signers;
};

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// RFC 6376 §3.3 / RFC 8463 §3: the padding scheme, and what is handed to it (rsa-sha1 never
// gets here: RFC 8301 §3.1).
const char* padding_of(algorithm a) {
    return a == algorithm::ed25519_sha256 ? "Pure" : "EMSA3(SHA-256)";
}

// Ed25519 signs the SHA-256 digest of the signing input (RFC 8463 §3), RSA the input itself.
std::string_view message_for(algorithm a, std::string_view data, mail::sha256_digest& buffer) {
    if (a != algorithm::ed25519_sha256) return data;
    buffer = mail::sha256(data);
    return {reinterpret_cast<const char*>(buffer.data()), buffer.size()};
}

// The oldest queued libcrypto error, the queue then cleared (it is per thread).
std::string openssl_error(std::string_view what) {
    char text[256] = "unknown error";
    if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, text, sizeof text);
    ERR_clear_error();
    return fmt::format("{}: {}", what, text);
}

// The Botan key as a libcrypto EVP_PKEY, through its PKCS#8 DER (zeroed when freed).
result<evp_pkey_ptr> to_evp_pkey(const Botan::Private_Key& key) {
    auto der = Botan::PKCS8::BER_encode(key);
    const unsigned char* p = der.data();
    evp_pkey_ptr out(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
    if (!out || EVP_PKEY_get_base_id(out.get()) != EVP_PKEY_RSA)
        return permanent_error(openssl_error("libcrypto cannot load the RSA key"));
    return out;
}

// A context set up for RSASSA-PKCS1-v1_5 with SHA-256's DigestInfo (RFC 8017 §8.2.1,
// §9.2); EVP_PKEY_sign may be called on it again and again.
result<evp_pkey_ctx_ptr> openssl_rsa_signer(EVP_PKEY* key) {
    evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
        return permanent_error(openssl_error("cannot set up RSA signing"));
    return ctx;
}

result<std::vector<std::uint8_t>> sign_openssl(EVP_PKEY* key, idle_pool<evp_pkey_ctx_ptr>& pool,
                                               std::string_view data) {
    auto ctx = pool.take();
    if (!ctx) {
        auto made = openssl_rsa_signer(key);
        if (!made) return made.error();
        ctx = std::move(*made);
    }
    auto digest = mail::sha256(data); // RFC 8017 §9.2 step 1, by Botan like every hash
    std::vector<std::uint8_t> sig(static_cast<std::size_t>(EVP_PKEY_get_size(key)));
    std::size_t length = sig.size();
    if (EVP_PKEY_sign(ctx.get(), sig.data(), &length, digest.data(), digest.size()) <= 0)
        return permanent_error(openssl_error("signing failed"));
    sig.resize(length);
    pool.give(std::move(ctx));
    return sig;
}

result<std::vector<std::uint8_t>> sign_botan(const Botan::Private_Key& key,
                                             idle_pool<std::unique_ptr<signer_entry>>& pool,
                                             algorithm a, std::string_view data) {
    auto entry = pool.take();
    if (!entry) {
        entry = std::make_unique<signer_entry>();
        entry->signer = std::make_unique<Botan::PK_Signer>(key, entry->rng, padding_of(a));
    }
    mail::sha256_digest buffer;
    auto msg = message_for(a, data, buffer);
    auto sig = entry->signer->sign_message(reinterpret_cast<const std::uint8_t*>(msg.data()),
                                           msg.size(), entry->rng);
    pool.give(std::move(entry));
    return sig;
}

} // namespace

std::optional<algorithm> parse_algorithm(std::string_view name) {
    if (iequal(name, "rsa-sha256")) return algorithm::rsa_sha256;
    if (iequal(name, "ed25519-sha256")) return algorithm::ed25519_sha256;
    if (iequal(name, "rsa-sha1")) return algorithm::rsa_sha1;
    return std::nullopt;
}

std::string_view algorithm_name(algorithm a) {
    switch (a) {
    case algorithm::rsa_sha256:
        return "rsa-sha256";
    case algorithm::ed25519_sha256:
        return "ed25519-sha256";
    case algorithm::rsa_sha1:
        return "rsa-sha1";
    }
    return "";
}

key_type key_type_of(algorithm a) {
    return a == algorithm::ed25519_sha256 ? key_type::ed25519 : key_type::rsa;
}

std::string_view key_type_name(key_type k) {
    return k == key_type::rsa ? "rsa" : "ed25519";
}

result<public_key> parse_public_key(key_type type, std::string_view base64) {
    auto der = mail::base64_decode(base64);
    if (!der) return permanent_error("key data is not valid base64");
    if (der->empty()) return permanent_error("key data is empty");
    public_key out;
    out.type_ = type;
    auto p = std::make_shared<public_key::impl>();
    try {
        if (type == key_type::ed25519) {
            if (der->size() != 32)
                return permanent_error(
                    fmt::format("Ed25519 key is {} bytes, not 32 (RFC 8463 §4)", der->size()));
            p->key = std::make_unique<Botan::Ed25519_PublicKey>(*der);
            out.bits_ = 256;
        } else {
            std::unique_ptr<Botan::Public_Key> key;
            try { // SubjectPublicKeyInfo (RFC 6376 §3.6.1)
                key.reset(Botan::X509::load_key(*der));
            } catch (const std::exception&) { // bare RSAPublicKey (PKCS#1), seen in the wild
                Botan::AlgorithmIdentifier id("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM);
                key = std::make_unique<Botan::RSA_PublicKey>(id, *der);
            }
            if (!key || key->algo_name() != "RSA")
                return permanent_error("key data is not an RSA public key");
            out.bits_ = key->key_length();
            if (out.bits_ < min_rsa_bits)
                return permanent_error(
                    fmt::format("RSA key of {} bits is under the {}-bit minimum (RFC 8301 §3.2)",
                                out.bits_, min_rsa_bits));
            p->key = std::move(key);
        }
    } catch (const std::exception& e) {
        return permanent_error(fmt::format("undecodable public key: {}", e.what()));
    }
    out.impl_ = std::move(p);
    return out;
}

bool verify_signature(const public_key& key, algorithm a, std::string_view data,
                      std::span<const std::uint8_t> signature) {
    // RFC 8301 §3.1: verifiers must not consider rsa-sha1 signatures valid.
    if (!key.impl_ || a == algorithm::rsa_sha1 || key_type_of(a) != key.type()) return false;
    // RFC 8017 §8.2.2 step 1 / RFC 8032 §5.1.7: a signature of the wrong length is invalid
    // (leading zero bytes would otherwise still verify as the same RSA integer).
    std::size_t expected = key.type() == key_type::ed25519 ? 64 : (key.bits() + 7) / 8;
    if (signature.size() != expected) return false;
    try {
        mail::sha256_digest buffer;
        auto msg = message_for(a, data, buffer);
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(msg.data());
        auto& pool = key.impl_->verifiers;
        auto verifier = pool.take();
        if (!verifier)
            verifier = std::make_unique<Botan::PK_Verifier>(*key.impl_->key, padding_of(a));
        // verify_message leaves the verifier ready for the next message, even on failure.
        bool valid =
            verifier->verify_message(bytes, msg.size(), signature.data(), signature.size());
        pool.give(std::move(verifier));
        return valid;
    } catch (const std::exception&) {
        return false;
    }
}

std::string private_key::public_key_base64() const {
    if (type_ == key_type::ed25519) {
        const auto& ed = dynamic_cast<const Botan::Ed25519_PrivateKey&>(*impl_->key);
        return mail::base64_encode(ed.get_public_key());
    }
    return mail::base64_encode(Botan::X509::BER_encode(*impl_->key));
}

std::string private_key::to_pem() const {
    return Botan::PKCS8::PEM_encode(*impl_->key);
}

struct key_access {
    static result<private_key> adopt(std::unique_ptr<Botan::Private_Key> key) {
        if (!key) return permanent_error("cannot load private key");
        private_key out;
        if (key->algo_name() == "RSA")
            out.type_ = key_type::rsa;
        else if (key->algo_name() == "Ed25519")
            out.type_ = key_type::ed25519;
        else
            return permanent_error(fmt::format("unsupported key algorithm {}", key->algo_name()));
        out.bits_ = key->key_length();
        auto p = std::make_shared<private_key::impl>();
        if (out.type_ == key_type::rsa) {
            auto evp = to_evp_pkey(*key);
            if (!evp) return evp.error();
            p->rsa = std::move(*evp);
        }
        p->key = std::move(key);
        out.impl_ = std::move(p);
        return out;
    }
};

namespace {
result<private_key> adopt(std::unique_ptr<Botan::Private_Key> key) {
    return key_access::adopt(std::move(key));
}
} // namespace

result<private_key> load_private_key(std::string_view text) {
    try {
        std::unique_ptr<Botan::Private_Key> key;
        if (text.find("-----BEGIN RSA PRIVATE KEY-----") != std::string_view::npos) {
            Botan::DataSource_Memory src(std::string{text});
            std::string label;
            auto der = Botan::PEM_Code::decode(src, label);
            Botan::AlgorithmIdentifier id("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM);
            key = std::make_unique<Botan::RSA_PrivateKey>(id, der);
        } else if (text.find("-----BEGIN") != std::string_view::npos) {
            Botan::DataSource_Memory src(std::string{text});
            key = Botan::PKCS8::load_key(src);
        } else { // bare base64 DER: PKCS#8, else PKCS#1 RSAPrivateKey
            auto der = mail::base64_decode(text);
            if (!der) return permanent_error("private key is neither PEM nor base64");
            try {
                Botan::DataSource_Memory src(*der);
                key = Botan::PKCS8::load_key(src);
            } catch (const std::exception&) {
                Botan::AlgorithmIdentifier id("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM);
                key = std::make_unique<Botan::RSA_PrivateKey>(
                    id, Botan::secure_vector<std::uint8_t>(der->begin(), der->end()));
            }
        }
        return adopt(std::move(key));
    } catch (const std::exception& e) {
        return permanent_error(fmt::format("cannot load private key: {}", e.what()));
    }
}

result<private_key> generate_private_key(key_type type, std::size_t bits) {
    try {
        Botan::System_RNG rng;
        if (type == key_type::ed25519)
            return adopt(std::make_unique<Botan::Ed25519_PrivateKey>(rng));
        if (bits < 1024 || bits > 8192)
            return permanent_error(fmt::format("RSA key size {} outside 1024..8192", bits));
        return adopt(std::make_unique<Botan::RSA_PrivateKey>(rng, bits));
    } catch (const std::exception& e) {
        return permanent_error(fmt::format("key generation failed: {}", e.what()));
    }
}

result<std::vector<std::uint8_t>> sign_data(const private_key& key, algorithm a,
                                            std::string_view data, rsa_engine engine) {
    if (!key.impl_) return permanent_error("no private key");
    if (a == algorithm::rsa_sha1)
        return permanent_error("rsa-sha1 is not used for signing (RFC 8301)");
    if (key_type_of(a) != key.type())
        return permanent_error(
            fmt::format("a {} key cannot sign {}", key_type_name(key.type()), algorithm_name(a)));
    if (a == algorithm::rsa_sha256 && engine == rsa_engine::openssl)
        return sign_openssl(key.impl_->rsa.get(), key.impl_->openssl_signers, data);
    try {
        return sign_botan(*key.impl_->key, key.impl_->botan_signers, a, data);
    } catch (const std::exception& e) {
        return permanent_error(fmt::format("signing failed: {}", e.what()));
    }
}

} // namespace arcrelay::auth::dkim
