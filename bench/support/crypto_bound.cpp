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

#include <fstream>
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

struct sign_verify_rates {
    double sign = 0;
    double sign_thread_cpu = 0;
    double verify = 0;
};

sign_verify_rates measure_pair(const Botan::Private_Key& key, const std::string& padding,
                               const std::vector<std::uint8_t>& message,
                               const measure_options& options) {
    Botan::AutoSeeded_RNG rng;
    Botan::PK_Signer signer(key, rng, padding);
    Botan::PK_Verifier verifier(key, padding);
    auto signature = signer.sign_message(message, rng);
    sign_verify_rates r;
    auto sign = measure([&] { keep(signer.sign_message(message, rng)); }, options);
    r.sign = sign.ops_per_second();
    r.sign_thread_cpu = 1 / sign.thread_cpu_seconds_per_op;
    r.verify = measure([&] { keep(verifier.verify_message(message, signature)); }, options)
                   .ops_per_second();
    if (!verifier.verify_message(message, signature))
        throw std::runtime_error("Botan self-check failed for " + padding);
    return r;
}

struct evp_pkey_free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct evp_pkey_ctx_free {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// libcrypto's RSASSA-PKCS1-v1_5 over SHA-256 (EVP_DigestSign: hash and sign, one context).
double openssl_rsa_sign(const std::string& path, const std::vector<std::uint8_t>& message,
                        const measure_options& options) {
    auto text = read_text(path);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
    std::unique_ptr<EVP_PKEY, evp_pkey_free> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    std::unique_ptr<EVP_PKEY_CTX, evp_pkey_ctx_free> ctx(
        key ? EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr) : nullptr);
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
        throw std::runtime_error("libcrypto cannot sign with " + path);
    auto sha = Botan::HashFunction::create_or_throw("SHA-256");
    std::vector<std::uint8_t> digest(32);
    std::vector<std::uint8_t> sig(static_cast<std::size_t>(EVP_PKEY_get_size(key.get())));
    auto m = measure(
        [&] {
            sha->update(message);
            sha->final(digest.data());
            std::size_t length = sig.size();
            if (EVP_PKEY_sign(ctx.get(), sig.data(), &length, digest.data(), digest.size()) <= 0)
                throw std::runtime_error("libcrypto signing failed");
            keep(sig[0]);
        },
        options);
    return m.ops_per_second();
}

} // namespace

crypto_rates measure_crypto(const std::string& rsa_pem, const std::string& ed_pem,
                            const measure_options& options) {
    crypto_rates rates;
    // A header signing input is a few hundred bytes; Ed25519 signs its 32-byte digest.
    std::vector<std::uint8_t> header_input(512, 'h');
    std::vector<std::uint8_t> digest(32, 'd');
    auto rsa = measure_pair(*load_key(rsa_pem), "EMSA3(SHA-256)", header_input, options);
    auto ed = measure_pair(*load_key(ed_pem), "Pure", digest, options);
    rates.rsa_sign = openssl_rsa_sign(rsa_pem, header_input, options);
    rates.botan_rsa_sign = rsa.sign;
    rates.botan_rsa_sign_thread_cpu = rsa.sign_thread_cpu;
    rates.rsa_verify = rsa.verify;
    rates.ed_sign = ed.sign;
    rates.ed_verify = ed.verify;

    auto sha = Botan::HashFunction::create_or_throw("SHA-256");
    std::vector<std::uint8_t> block(1 << 20, 'b');
    std::vector<std::uint8_t> out(sha->output_length());
    auto m = measure(
        [&] {
            sha->update(block);
            sha->final(out.data());
            keep(out[0]);
        },
        options);
    rates.sha256_bytes = static_cast<double>(block.size()) * m.ops_per_second();
    return rates;
}

} // namespace arcrelay::bench
