// tests/unit/relay/key_check_test.cpp — relay/key_check.hpp: each answer a key's TXT lookup
// can get, from a static zone (SERVFAIL and timeout injected), against real keys.
#include "relay/key_check.hpp"

#include "auth/dkim/key_record.hpp"
#include "dns/static_zone.hpp"
#include "relay/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <ostream>

namespace arcrelay::relay {
std::ostream& operator<<(std::ostream& os, key_check_status s) {
    return os << key_check_status_name(s);
}
} // namespace arcrelay::relay

using namespace arcrelay;
using relay::key_check_status;

namespace {

struct keys {
    auth::dkim::private_key rsa =
        auth::dkim::generate_private_key(auth::dkim::key_type::rsa, 2048).value();
    auth::dkim::private_key other_rsa =
        auth::dkim::generate_private_key(auth::dkim::key_type::rsa, 2048).value();
    auth::dkim::private_key ed =
        auth::dkim::generate_private_key(auth::dkim::key_type::ed25519, 0).value();
};

const keys& test_keys() {
    static const keys k;
    return k;
}

relay::key_check check(const dns::static_zone& zone, const std::string& name,
                       const auth::dkim::private_key& key,
                       auth::dkim::algorithm alg = auth::dkim::algorithm::rsa_sha256) {
    return relay::check_published_key(zone.lookup({name, dns::rr_type::txt}), key, alg);
}

std::string p_of(const auth::dkim::private_key& key) {
    return key.public_key_base64();
}

} // namespace

BOOST_AUTO_TEST_SUITE(key_check)

BOOST_AUTO_TEST_CASE(the_record_keygen_prints_matches) {
    const auto& k = test_keys();
    dns::static_zone zone;
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt, relay::dns_txt_value(k.rsa));
    zone.add("e1._domainkey.lists.test", dns::rr_type::txt, relay::dns_txt_value(k.ed));
    auto c = check(zone, "s1._domainkey.lists.test", k.rsa);
    BOOST_TEST(c.status == key_check_status::match, c.detail);
    c = check(zone, "e1._domainkey.lists.test", k.ed, auth::dkim::algorithm::ed25519_sha256);
    BOOST_TEST(c.status == key_check_status::match, c.detail);
}

BOOST_AUTO_TEST_CASE(the_zone_file_form_keygen_prints_matches_too) {
    const auto& k = test_keys();
    auto zone = dns::static_zone::parse_master_file(
        relay::dns_txt_record("lists.test", "s1", k.rsa) + "\n");
    BOOST_TEST_REQUIRE(zone.ok());
    BOOST_TEST(check(*zone, "s1._domainkey.lists.test", k.rsa).status == key_check_status::match);
}

BOOST_AUTO_TEST_CASE(another_key_is_different) {
    const auto& k = test_keys();
    dns::static_zone zone;
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt, relay::dns_txt_value(k.other_rsa));
    const auto c = check(zone, "s1._domainkey.lists.test", k.rsa);
    BOOST_TEST(c.status == key_check_status::different);
    BOOST_TEST(static_cast<int>(c.status) == 6);
}

BOOST_AUTO_TEST_CASE(empty_p_is_revoked) {
    dns::static_zone zone;
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt, "v=DKIM1; k=rsa; p=");
    BOOST_TEST(check(zone, "s1._domainkey.lists.test", test_keys().rsa).status ==
               key_check_status::revoked);
}

BOOST_AUTO_TEST_CASE(k_h_and_t_that_forbid_the_use_are_unusable) {
    const auto& k = test_keys();
    dns::static_zone zone;
    const std::string name = "s1._domainkey.lists.test";
    const std::vector<std::pair<std::string, std::string>> cases{
        {"k=ed25519; p=" + p_of(k.ed), "k=ed25519 but the private key is rsa"},
        {"k=rsa; h=sha1; p=" + p_of(k.rsa), "h= does not allow sha256"},
        {"k=rsa; t=y; p=" + p_of(k.rsa), "t=y"},
        {"k=dsa; p=" + p_of(k.rsa), "does not parse"},
        {"v=DKIM1; k=rsa; p=!!!", "does not parse"},
    };
    for (const auto& [record, why] : cases) {
        dns::static_zone z;
        z.add(name, dns::rr_type::txt, record);
        const auto c = check(z, name, k.rsa);
        BOOST_TEST_CONTEXT(record) {
            BOOST_TEST(c.status == key_check_status::unusable);
            BOOST_TEST(c.detail.find(why) != std::string::npos, c.detail);
        }
    }
}

BOOST_AUTO_TEST_CASE(t_s_and_h_sha256_are_fine) {
    const auto& k = test_keys();
    dns::static_zone zone;
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt,
             "v=DKIM1; k=rsa; h=sha1:sha256; t=s; p=" + p_of(k.rsa));
    BOOST_TEST(check(zone, "s1._domainkey.lists.test", k.rsa).status == key_check_status::match);
}

BOOST_AUTO_TEST_CASE(the_first_record_that_parses_counts) {
    const auto& k = test_keys();
    dns::static_zone zone;
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt, "not a key record");
    zone.add("s1._domainkey.lists.test", dns::rr_type::txt, relay::dns_txt_value(k.rsa));
    BOOST_TEST(check(zone, "s1._domainkey.lists.test", k.rsa).status == key_check_status::match);
}

BOOST_AUTO_TEST_CASE(absent_is_not_found) {
    dns::static_zone zone;
    zone.add("lists.test", dns::rr_type::a, "192.0.2.1");
    zone.add("_domainkey.lists.test", dns::rr_type::a, "192.0.2.1");
    auto c = check(zone, "s1._domainkey.lists.test", test_keys().rsa);
    BOOST_TEST(c.status == key_check_status::not_found);
    BOOST_TEST(c.detail.find("NXDOMAIN") != std::string::npos);
    c = check(zone, "_domainkey.lists.test", test_keys().rsa);
    BOOST_TEST(c.status == key_check_status::not_found);
}

BOOST_AUTO_TEST_CASE(servfail_and_timeout_are_dns_failures) {
    dns::static_zone zone;
    zone.simulate_servfail("s1._domainkey.lists.test");
    zone.simulate_timeout("s2._domainkey.lists.test");
    for (const auto* name : {"s1._domainkey.lists.test", "s2._domainkey.lists.test"}) {
        const auto c = check(zone, name, test_keys().rsa);
        BOOST_TEST(c.status == key_check_status::dns_failure);
        BOOST_TEST(!c.detail.empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
