// bench/support/crypto_bound.cpp — see crypto_bound.hpp. Calls Botan directly on purpose:
// the bound must not include anything arcrelay adds around it.
#include "bench/support/crypto_bound.hpp"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pem.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace arcrelay::bench {

namespace {

std::unique_ptr<Botan::Private_Key> load_key(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    Botan::DataSource_Memory src(text.str());
    if (text.str().find("-----BEGIN RSA PRIVATE KEY-----") == std::string::npos)
        return Botan::PKCS8::load_key(src);
    std::string label; // PKCS#1 (the corpus's RSA keys)
    auto der = Botan::PEM_Code::decode(src, label);
    Botan::AlgorithmIdentifier id("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM);
    return std::make_unique<Botan::RSA_PrivateKey>(id, der);
}

struct sign_verify_rates {
    double sign = 0;
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
    r.sign = measure([&] { keep(signer.sign_message(message, rng)); }, options).ops_per_second();
    r.verify = measure([&] { keep(verifier.verify_message(message, signature)); }, options)
                   .ops_per_second();
    if (!verifier.verify_message(message, signature))
        throw std::runtime_error("Botan self-check failed for " + padding);
    return r;
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
    rates.rsa_sign = rsa.sign;
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
