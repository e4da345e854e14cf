// Tests for relay/list_signing: a list's own DKIM signature, verified with the corpus zone.
#include "relay/list_signing.hpp"

#include "auth/dkim/verify.hpp"
#include "dns/static_zone.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;

namespace {
const std::string corpus = std::string(ARCRELAY_TEST_DATA) + "/arc/bench-corpus/";

std::vector<relay::sealing_key> corpus_keys(const std::string& domain) {
    config::arc_settings arc;
    arc.keys.push_back({config::signing_algorithm::rsa_sha256, domain, "rsa2026",
                        corpus + "keys/lists.example.org.rsa2026.rsa.pem"});
    arc.keys.push_back({config::signing_algorithm::ed25519_sha256, domain, "ed2026",
                        corpus + "keys/lists.example.org.ed2026.ed25519.pem"});
    auto keys = relay::load_sealing_keys(arc);
    BOOST_REQUIRE_MESSAGE(keys, keys);
    return std::move(*keys);
}
} // namespace

BOOST_AUTO_TEST_SUITE(list_signing_test)

BOOST_AUTO_TEST_CASE(key_domain_must_cover_the_list) {
    BOOST_TEST(relay::key_covers("lists.example.org", "lists.example.org"));
    BOOST_TEST(relay::key_covers("example.org", "lists.example.org"));
    BOOST_TEST(relay::key_covers("Example.ORG", "lists.example.org"));
    BOOST_TEST(!relay::key_covers("ample.org", "lists.example.org"));
    BOOST_TEST(!relay::key_covers("lists.example.org", "example.org"));
}

BOOST_AUTO_TEST_CASE(signs_with_every_covering_key_and_verifies) {
    auto zone =
        dns::static_zone::load(std::string(ARCRELAY_TEST_DATA) + "/dns/bench-corpus-zone.txt");
    BOOST_REQUIRE(zone);
    auto m = mail::parse_message("From: a@example.com\r\nTo: bench@lists.example.org\r\n"
                                 "Subject: [bench] hi\r\n\r\nbody\r\n");
    BOOST_REQUIRE(m);
    config::mailing_list list;
    list.address = "bench@lists.example.org";
    list.domain = "lists.example.org";
    list.dkim_sign = true;
    auto added = relay::sign_for_list(*m, list, corpus_keys("lists.example.org"), 1767225600);
    BOOST_REQUIRE_MESSAGE(added, added);
    BOOST_TEST(*added == 2u);
    auto results = auth::dkim::verify_dkim(*m, *zone, {1767225700, 300, 10});
    BOOST_REQUIRE(results.size() == 2u);
    for (const auto& r : results) {
        BOOST_TEST(auth::dkim::result_name(r.result) == "pass", r.reason);
        BOOST_TEST(r.domain == "lists.example.org");
    }
    // Keys of an unrelated domain sign nothing.
    auto other = mail::parse_message("From: a@example.com\r\n\r\nx\r\n");
    BOOST_TEST(*relay::sign_for_list(*other, list, corpus_keys("elsewhere.example"), 1) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
