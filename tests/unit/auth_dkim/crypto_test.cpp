// Tests for auth/dkim/crypto: key formats, sign/verify for both algorithms, refusals.
#include "auth/dkim/crypto.hpp"
#include "auth/dkim/key_record.hpp"
#include "dkim_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

using namespace arcrelay::auth::dkim;
using namespace dkim_test;

BOOST_AUTO_TEST_SUITE(crypto_test)

BOOST_AUTO_TEST_CASE(loads_every_private_key_form) {
    auto pkcs1 = load_key("example.com.rsa2026.rsa.pem"); // "RSA PRIVATE KEY"
    BOOST_TEST((pkcs1.type() == key_type::rsa));
    BOOST_TEST(pkcs1.bits() == 2048u);
    auto pkcs8_rsa = load_key("dkimpy_2048_testkey_PKCS8.pem"); // "PRIVATE KEY", RSA
    BOOST_TEST((pkcs8_rsa.type() == key_type::rsa));
    auto ed = load_key("example.com.ed2026.ed25519.pem"); // "PRIVATE KEY", Ed25519
    BOOST_TEST((ed.type() == key_type::ed25519));
    // The DNS record of the corpus key is what public_key_base64() gives.
    BOOST_TEST(ed.public_key_base64() == "RQdSidyrCeeK/oIZbaKt/UNs0Uqn6aSP7TSxDhpMKWM=");
    // Bare base64 DER (the PEM body) loads too.
    std::string pem = read_file(data_path("example.com.ed2026.ed25519.pem"));
    std::string body;
    std::istringstream lines(pem);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("-----", 0) != 0) body += line;
    auto bare = load_private_key(body);
    BOOST_REQUIRE_MESSAGE(bare, bare);
    BOOST_TEST(bare->public_key_base64() == ed.public_key_base64());
}

BOOST_AUTO_TEST_CASE(bad_private_keys_are_errors) {
    BOOST_TEST(!load_private_key("not a key at all!"));
    BOOST_TEST(!load_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    BOOST_TEST(!load_private_key(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"));
}

BOOST_AUTO_TEST_CASE(sign_and_verify_both_algorithms) {
    for (auto a : {algorithm::rsa_sha256, algorithm::ed25519_sha256}) {
        auto key = load_key(a == algorithm::rsa_sha256 ? "example.com.rsa2026.rsa.pem"
                                                       : "example.com.ed2026.ed25519.pem");
        auto sig = sign_data(key, a, "signing input");
        BOOST_REQUIRE_MESSAGE(sig, sig);
        auto pub = parse_public_key(key.type(), key.public_key_base64());
        BOOST_REQUIRE_MESSAGE(pub, pub);
        BOOST_TEST(verify_signature(*pub, a, "signing input", *sig));
        BOOST_TEST(!verify_signature(*pub, a, "signing inpuT", *sig));
        auto tampered = *sig;
        tampered[5] ^= 1;
        BOOST_TEST(!verify_signature(*pub, a, "signing input", tampered));
    }
}

// A public key keeps ready verifiers for the threads that share it (the key cache hands one
// key to every worker): each answer must depend on its own call only, whatever the calls
// before it on that verifier were (a failure, a forgery, a wrong length).
BOOST_AUTO_TEST_CASE(shared_key_verifies_each_call_on_its_own) {
    for (auto a : {algorithm::rsa_sha256, algorithm::ed25519_sha256}) {
        auto key = load_key(a == algorithm::rsa_sha256 ? "example.com.rsa2026.rsa.pem"
                                                       : "example.com.ed2026.ed25519.pem");
        auto pub = parse_public_key(key.type(), key.public_key_base64());
        BOOST_REQUIRE_MESSAGE(pub, pub);
        std::vector<std::vector<std::uint8_t>> sigs;
        for (int i = 0; i < 4; ++i) {
            auto sig = sign_data(key, a, "input " + std::to_string(i));
            BOOST_REQUIRE_MESSAGE(sig, sig);
            sigs.push_back(*sig);
        }
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 40; ++i) {
                    auto n = static_cast<std::size_t>((t + i) % 4);
                    auto input = "input " + std::to_string(n);
                    auto forged = sigs[n];
                    forged[static_cast<std::size_t>(i) % forged.size()] ^= 0x20;
                    auto shorter = std::span(sigs[n]).first(sigs[n].size() - 1);
                    bool right = verify_signature(*pub, a, input, sigs[n]) &&
                                 !verify_signature(*pub, a, input + "x", sigs[n]) &&
                                 !verify_signature(*pub, a, input, forged) &&
                                 !verify_signature(*pub, a, input, shorter) &&
                                 !verify_signature(*pub, a, input, sigs[(n + 1) % 4]) &&
                                 verify_signature(*pub, a, input, sigs[n]);
                    if (!right) ++wrong;
                }
            });
        for (auto& th : threads)
            th.join();
        BOOST_TEST(wrong.load() == 0, algorithm_name(a));
    }
}

// RFC 8301 §3.1: an rsa-sha1 signature is never valid, even one the key really made.
BOOST_AUTO_TEST_CASE(rsa_sha1_signatures_are_never_valid) {
    auto key = load_key("example.com.rsa2026.rsa.pem");
    Botan::DataSource_Memory pem(key.to_pem());
    auto botan_key = Botan::PKCS8::load_key(pem);
    Botan::AutoSeeded_RNG rng;
    Botan::PK_Signer sha1_signer(*botan_key, rng, "EMSA3(SHA-160)");
    const std::string input = "signing input";
    auto sig = sha1_signer.sign_message(reinterpret_cast<const std::uint8_t*>(input.data()),
                                        input.size(), rng);
    auto pub = parse_public_key(key_type::rsa, key.public_key_base64());
    BOOST_REQUIRE_MESSAGE(pub, pub);
    BOOST_TEST(!verify_signature(*pub, algorithm::rsa_sha1, input, sig));
}

BOOST_AUTO_TEST_CASE(key_and_algorithm_must_match) {
    auto ed = load_key("example.com.ed2026.ed25519.pem");
    BOOST_TEST(!sign_data(ed, algorithm::rsa_sha256, "x"));
    BOOST_TEST(!sign_data(load_key("example.com.rsa2026.rsa.pem"), algorithm::rsa_sha1, "x"));
}

BOOST_AUTO_TEST_CASE(public_key_refusals) {
    // RFC 8301 §3.2: keys under 1024 bits are not acceptable.
    const char* rsa512 = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALQfWR+jcn/EP2krNVKc57gavzELoM3McjGDR8Np"
                         "XQ+ArrUhJBd508IKwP86snl1UgSPjfLVRKrY0s0SIVciOVUCAwEAAQ==";
    auto small = parse_public_key(key_type::rsa, rsa512);
    BOOST_REQUIRE(!small);
    BOOST_TEST(small.error().message.find("under the 1024-bit minimum") != std::string::npos);
    BOOST_TEST(!parse_public_key(key_type::ed25519, "AAAA"));     // not 32 bytes
    BOOST_TEST(!parse_public_key(key_type::rsa, "@@@@"));         // not base64
    BOOST_TEST(!parse_public_key(key_type::rsa, "AAAAAAAAAAAA")); // not a key
}

BOOST_AUTO_TEST_CASE(generated_keys_round_trip_through_pem) {
    for (auto t : {key_type::rsa, key_type::ed25519}) {
        auto k = generate_private_key(t, 2048);
        BOOST_REQUIRE_MESSAGE(k, k);
        auto again = load_private_key(k->to_pem());
        BOOST_REQUIRE_MESSAGE(again, again);
        BOOST_TEST(again->public_key_base64() == k->public_key_base64());
        auto rec = parse_key_record("v=DKIM1; k=" + std::string(key_type_name(t)) +
                                    "; p=" + k->public_key_base64());
        BOOST_REQUIRE_MESSAGE(rec, rec);
    }
    BOOST_TEST(!generate_private_key(key_type::rsa, 512));
}

// RFC 8017 §8.2.1: RSASSA-PKCS1-v1_5 is deterministic, so libcrypto (what signs) and Botan
// (the reference) must give the same bytes for every key size and message size.
BOOST_AUTO_TEST_CASE(openssl_and_botan_rsa_signatures_are_byte_identical) {
    std::vector<private_key> keys{load_key("example.com.rsa2026.rsa.pem"),
                                  load_key("dkimpy_2048_testkey_PKCS8.pem")};
    for (std::size_t bits : {1024u, 3072u, 4096u}) {
        auto k = generate_private_key(key_type::rsa, bits);
        BOOST_REQUIRE_MESSAGE(k, k);
        keys.push_back(*k);
    }
    for (const auto& key : keys) {
        auto pub = parse_public_key(key_type::rsa, key.public_key_base64());
        BOOST_REQUIRE_MESSAGE(pub, pub);
        for (std::size_t size : {0u, 1u, 55u, 64u, 300u, 4096u, 100000u}) {
            std::string data(size, '\0');
            for (std::size_t i = 0; i < size; ++i)
                data[i] = static_cast<char>((i * 131 + key.bits()) & 0xff);
            auto fast = sign_data(key, algorithm::rsa_sha256, data, rsa_engine::openssl);
            auto reference = sign_data(key, algorithm::rsa_sha256, data, rsa_engine::botan);
            BOOST_REQUIRE_MESSAGE(fast, fast);
            BOOST_REQUIRE_MESSAGE(reference, reference);
            BOOST_TEST_CONTEXT("key " << key.bits() << " bits, message " << size << " bytes") {
                BOOST_TEST(fast->size() == (key.bits() + 7) / 8);
                BOOST_TEST(*fast == *reference, boost::test_tools::per_element());
                BOOST_TEST(verify_signature(*pub, algorithm::rsa_sha256, data, *fast));
            }
        }
    }
}

// The pooled libcrypto contexts are shared by threads: concurrent signatures stay correct.
BOOST_AUTO_TEST_CASE(concurrent_openssl_signatures_are_correct) {
    auto key = load_key("example.com.rsa2026.rsa.pem");
    auto expected = sign_data(key, algorithm::rsa_sha256, "input", rsa_engine::botan);
    BOOST_REQUIRE_MESSAGE(expected, expected);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                auto sig = sign_data(key, algorithm::rsa_sha256, "input");
                if (!sig || *sig != *expected) ++wrong;
            }
        });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
