// bench/support/crypto_bound.cpp — see crypto_bound.hpp. Calls Botan and libcrypto directly
// on purpose: the bound must not include anything arcrelay adds around it.
#include "bench/support/crypto_bound.hpp"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pem.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace arcrelay::bench {

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<Botan::Private_Key> load_key(const std::string& path) {
    auto text = read_text(path);
    Botan::DataSource_Memory src(text);
    if (text.find("-----BEGIN RSA PRIVATE KEY-----") == std::string::npos)
        return Botan::PKCS8::load_key(src);
    std::string label; // PKCS#1 (the corpus's RSA keys)
    auto der = Botan::PEM_Code::decode(src, label);
    Botan::AlgorithmIdentifier id("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM);
    return std::make_unique<Botan::RSA_PrivateKey>(id, der);
}

struct evp_pkey_free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct evp_pkey_ctx_free {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// libcrypto's RSASSA-PKCS1-v1_5 over SHA-256 on a digest, with one context made once.
std::unique_ptr<EVP_PKEY, evp_pkey_free> openssl_key(const std::string& path) {
    auto text = read_text(path);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
    std::unique_ptr<EVP_PKEY, evp_pkey_free> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error("libcrypto cannot read " + path);
    return key;
}

std::unique_ptr<EVP_PKEY_CTX, evp_pkey_ctx_free> openssl_signer(EVP_PKEY* key) {
    std::unique_ptr<EVP_PKEY_CTX, evp_pkey_ctx_free> ctx(
        EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
        throw std::runtime_error("libcrypto cannot sign with this key");
    return ctx;
}

} // namespace

struct crypto_ops::parts {
    parts(const std::string& rsa_pem, const std::string& ed_pem)
        : rsa_key(load_key(rsa_pem)), ed_key(load_key(ed_pem)),
          rsa_signer(*rsa_key, rng, "EMSA3(SHA-256)"), rsa_verifier(*rsa_key, "EMSA3(SHA-256)"),
          ed_signer(*ed_key, rng, "Pure"), ed_verifier(*ed_key, "Pure"),
          openssl_rsa(openssl_key(rsa_pem)), openssl_ctx(openssl_signer(openssl_rsa.get())),
          sha(Botan::HashFunction::create_or_throw("SHA-256")),
          rsa_signature(rsa_signer.sign_message(header_input, rng)),
          ed_signature(ed_signer.sign_message(digest, rng)),
          openssl_signature(static_cast<std::size_t>(EVP_PKEY_get_size(openssl_rsa.get()))) {
        if (!rsa_verifier.verify_message(header_input, rsa_signature) ||
            !ed_verifier.verify_message(digest, ed_signature))
            throw std::runtime_error("Botan self-check failed");
    }

    Botan::AutoSeeded_RNG rng;
    // A header signing input is a few hundred bytes; Ed25519 signs its 32-byte digest.
    std::vector<std::uint8_t> header_input = std::vector<std::uint8_t>(512, 'h');
    std::vector<std::uint8_t> digest = std::vector<std::uint8_t>(32, 'd');
    std::vector<std::uint8_t> block = std::vector<std::uint8_t>(1 << 20, 'b');
    std::unique_ptr<Botan::Private_Key> rsa_key, ed_key;
    Botan::PK_Signer rsa_signer;
    Botan::PK_Verifier rsa_verifier;
    Botan::PK_Signer ed_signer;
    Botan::PK_Verifier ed_verifier;
    std::unique_ptr<EVP_PKEY, evp_pkey_free> openssl_rsa;
    std::unique_ptr<EVP_PKEY_CTX, evp_pkey_ctx_free> openssl_ctx;
    std::unique_ptr<Botan::HashFunction> sha;
    std::vector<std::uint8_t> rsa_signature, ed_signature, openssl_signature;
    std::uint8_t out[32] = {};
};

crypto_ops::crypto_ops(const std::string& rsa_pem, const std::string& ed_pem)
    : p_(std::make_unique<parts>(rsa_pem, ed_pem)) {}

crypto_ops::~crypto_ops() = default;

void crypto_ops::rsa_sign() {
    // The header signing input hashed, then signed (EVP_PKEY_sign on the digest).
    p_->sha->update(p_->header_input);
    p_->sha->final(p_->out);
    std::size_t length = p_->openssl_signature.size();
    if (EVP_PKEY_sign(p_->openssl_ctx.get(), p_->openssl_signature.data(), &length, p_->out,
                      sizeof p_->out) <= 0)
        throw std::runtime_error("libcrypto signing failed");
    keep(p_->openssl_signature[0]);
}

void crypto_ops::rsa_verify() {
    keep(p_->rsa_verifier.verify_message(p_->header_input, p_->rsa_signature));
}

void crypto_ops::ed_sign() {
    keep(p_->ed_signer.sign_message(p_->digest, p_->rng));
}

void crypto_ops::ed_verify() {
    keep(p_->ed_verifier.verify_message(p_->digest, p_->ed_signature));
}

void crypto_ops::sha256(std::uint64_t bytes) {
    while (bytes > 0) {
        auto n = std::min<std::uint64_t>(bytes, p_->block.size());
        p_->sha->update(p_->block.data(), static_cast<std::size_t>(n));
        bytes -= n;
    }
    p_->sha->final(p_->out);
    keep(p_->out[0]);
}

void crypto_ops::botan_rsa_sign() {
    keep(p_->rsa_signer.sign_message(p_->header_input, p_->rng));
}

std::uint64_t crypto_ops::block_bytes() const {
    return p_->block.size();
}

crypto_rates measure_crypto(const std::string& rsa_pem, const std::string& ed_pem,
                            const measure_options& options) {
    crypto_ops ops(rsa_pem, ed_pem);
    auto rate = [&](const std::function<void()>& op) { return measure(op, options); };
    crypto_rates rates;
    rates.rsa_sign = rate([&] { ops.rsa_sign(); }).ops_per_second();
    rates.rsa_verify = rate([&] { ops.rsa_verify(); }).ops_per_second();
    rates.ed_sign = rate([&] { ops.ed_sign(); }).ops_per_second();
    rates.ed_verify = rate([&] { ops.ed_verify(); }).ops_per_second();
    const auto block = ops.block_bytes();
    rates.sha256_bytes =
        static_cast<double>(block) * rate([&] { ops.sha256(block); }).ops_per_second();
    const auto botan = rate([&] { ops.botan_rsa_sign(); });
    rates.botan_rsa_sign = botan.ops_per_second();
    rates.botan_rsa_sign_thread_cpu = 1 / botan.thread_cpu_seconds_per_op;
    return rates;
}

} // namespace arcrelay::bench
