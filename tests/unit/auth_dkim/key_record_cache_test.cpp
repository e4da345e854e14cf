// Tests for auth/dkim/key_record_cache: same answers as parse_key_record, bounded size.
#include "auth/dkim/key_record_cache.hpp"
#include "dkim_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::auth::dkim;

BOOST_AUTO_TEST_SUITE(key_record_cache_test)

BOOST_AUTO_TEST_CASE(caches_parsed_records_and_stays_bounded) {
    key_record_cache cache(2);
    std::vector<std::string> records;
    for (int i = 0; i < 3; ++i) {
        auto k = generate_private_key(key_type::ed25519, 0);
        BOOST_REQUIRE(k);
        records.push_back("v=DKIM1; k=ed25519; p=" + k->public_key_base64());
    }
    auto first = cache.parse(records[0]);
    BOOST_REQUIRE(first);
    auto again = cache.parse(records[0]);
    BOOST_REQUIRE(again);
    BOOST_TEST(again->key->bits() == first->key->bits());
    BOOST_TEST(cache.size() == 1u);
    BOOST_TEST(cache.parse(records[1]));
    BOOST_TEST(cache.parse(records[2]));
    BOOST_TEST(cache.size() == 2u); // the least recently used one went
    // Errors are reported exactly as parse_key_record does, and not cached.
    auto bad = cache.parse("v=DKIM1; k=rsa; p=%%%");
    BOOST_REQUIRE(!bad);
    BOOST_TEST(bad.error().message == parse_key_record("v=DKIM1; k=rsa; p=%%%").error().message);
    BOOST_TEST(cache.size() == 2u);
}

BOOST_AUTO_TEST_CASE(signing_many_times_reuses_signers_correctly) {
    // The signer pool must give the same, valid signatures on every call.
    auto key = dkim_test::load_key("example.com.rsa2026.rsa.pem");
    auto pub = parse_public_key(key_type::rsa, key.public_key_base64());
    BOOST_REQUIRE(pub);
    for (int i = 0; i < 5; ++i) {
        auto sig = sign_data(key, algorithm::rsa_sha256, "input " + std::to_string(i));
        BOOST_REQUIRE(sig);
        BOOST_TEST(
            verify_signature(*pub, algorithm::rsa_sha256, "input " + std::to_string(i), *sig));
    }
}

BOOST_AUTO_TEST_SUITE_END()
