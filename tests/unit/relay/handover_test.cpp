// tests/unit/relay/handover_test.cpp — relay/handover.hpp: the MAC binds the A-R value, the
// Message-ID, the From domain and t=; refolding is harmless; every other change, a stale or
// future t=, a second or malformed field and an unknown secret are refused, and whatever
// is refused leaves no A-R of ours behind.
#include "relay/handover.hpp"

#include "mail/base64.hpp"

#include <boost/test/unit_test.hpp>

#include <botan/mac.h>

#include <string>
#include <vector>

using namespace arcrelay;

namespace {

constexpr std::uint64_t now = 1767230000;
const std::string ours = "lists.example.org; dkim=pass header.d=example.com; dmarc=pass "
                         "header.from=example.com";

mail::message message(std::string_view head) {
    auto m = mail::parse_message(std::string(head) + "Message-ID: <1@example.com>\r\n"
                                                     "From: a@Example.COM\r\n\r\nbody\r\n");
    BOOST_REQUIRE(m.ok());
    return std::move(m).value();
}

const relay::handover_keys keys{{std::string(32, 's')}, std::chrono::seconds(3600)};

// The verify side: our A-R plus the hand-over, as the verify listener forwards it.
mail::message handed_over(std::uint64_t t = now) {
    auto m = message("");
    m.prepend(mail::header_field::make("Authentication-Results", " " + ours));
    relay::add_handover(m, m.headers().front().value(), keys, t);
    return m;
}

std::string serialise(const mail::message& m) {
    return m.serialise();
}

bool has(const mail::message& m, std::string_view what) {
    return serialise(m).find(what) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(handover_test)

BOOST_AUTO_TEST_CASE(genuine_hand_over_is_trusted_and_stripped) {
    auto m = handed_over();
    const auto v = relay::take_handover(m, "lists.example.org", keys, now + 10);
    BOOST_TEST(v.trusted, v.reason);
    BOOST_TEST(!has(m, "ARCRelay-Handover"));
    BOOST_TEST(has(m, "dmarc=pass"));
}

// b= is HMAC-SHA-256 (RFC 2104) of the MAC input, checked against Botan's HMAC, with the
// key changing from call to call as it does when secrets rotate.
BOOST_AUTO_TEST_CASE(mac_is_hmac_sha256_of_the_input) {
    const auto m = message("");
    auto reference = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    using namespace std::string_literals;
    const std::vector<std::string> secrets = {std::string(32, 's'), std::string(40, 'k'),
                                              std::string(32, 's'),
                                              "\x00\x01 a longer secret, with a NUL, of 64 bytes "
                                              "............"s};
    for (const auto& secret : secrets) {
        const auto input = relay::handover_mac_input(m, ours, now);
        reference->set_key(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size());
        const auto want = reference->process(input);
        const auto value = relay::handover_value(m, ours, secret, now);
        BOOST_TEST(value == "v=1; t=" + std::to_string(now) +
                                "; b=" + mail::base64_encode({want.data(), want.size()}));
    }
}

BOOST_AUTO_TEST_CASE(refolded_fields_still_match) {
    auto m = handed_over();
    auto text = serialise(m);
    const auto at = text.find(" dmarc=pass");
    text.replace(at, 1, "\r\n\t "); // as Mailman's generator refolds long fields
    auto refolded = mail::parse_message(text);
    BOOST_REQUIRE(refolded.ok());
    BOOST_TEST(relay::take_handover(*refolded, "lists.example.org", keys, now).trusted);
}

BOOST_AUTO_TEST_CASE(any_covered_change_is_refused) {
    for (const auto& [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"dmarc=pass", "dmarc=fail"},
                                                          {"<1@example.com>", "<2@example.com>"},
                                                          {"a@Example.COM", "a@example.net"},
                                                          {"t=1767230000", "t=1767230001"}}) {
        auto text = serialise(handed_over());
        text.replace(text.find(from), from.size(), to);
        auto m = mail::parse_message(text);
        BOOST_REQUIRE(m.ok());
        const auto v = relay::take_handover(*m, "lists.example.org", keys, now);
        BOOST_TEST(!v.trusted, from << " -> " << to);
        BOOST_TEST(v.reason == "hand-over MAC does not match this message");
        BOOST_TEST(!has(*m, "Authentication-Results: lists.example.org"));
        BOOST_TEST(!has(*m, "ARCRelay-Handover"));
    }
}

BOOST_AUTO_TEST_CASE(the_from_domain_compares_case_insensitively) {
    auto text = serialise(handed_over());
    text.replace(text.find("a@Example.COM"), 13, "a@example.com");
    auto m = mail::parse_message(text);
    BOOST_REQUIRE(m.ok());
    BOOST_TEST(relay::take_handover(*m, "lists.example.org", keys, now).trusted);
}

BOOST_AUTO_TEST_CASE(freshness_window_and_clock_skew) {
    auto old = handed_over(now - 3601);
    BOOST_TEST(relay::take_handover(old, "lists.example.org", keys, now).reason ==
               "hand-over older than handover_max_age_s");
    auto edge = handed_over(now - 3600);
    BOOST_TEST(relay::take_handover(edge, "lists.example.org", keys, now).trusted);
    auto future = handed_over(now + relay::handover_clock_skew_s + 1);
    BOOST_TEST(relay::take_handover(future, "lists.example.org", keys, now).reason ==
               "hand-over from the future");
}

BOOST_AUTO_TEST_CASE(secrets_rotate) {
    const relay::handover_keys next{{std::string(32, 'n'), std::string(32, 's')}, keys.max_age};
    auto m = handed_over();
    BOOST_TEST(relay::take_handover(m, "lists.example.org", next, now).trusted);
    const relay::handover_keys retired{{std::string(32, 'n')}, keys.max_age};
    auto n = handed_over();
    BOOST_TEST(!relay::take_handover(n, "lists.example.org", retired, now).trusted);
    auto none = handed_over();
    BOOST_TEST(!relay::take_handover(none, "lists.example.org", {}, now).trusted);
}

BOOST_AUTO_TEST_CASE(missing_second_or_malformed_field_refused) {
    auto bare = message("Authentication-Results: lists.example.org; dmarc=pass\r\n");
    BOOST_TEST(relay::take_handover(bare, "lists.example.org", keys, now).reason ==
               "no hand-over field");
    BOOST_TEST(!has(bare, "dmarc=pass"));
    auto twice = handed_over();
    twice.prepend(mail::header_field(twice.fields("ARCRelay-Handover").front()->raw()));
    BOOST_TEST(relay::take_handover(twice, "lists.example.org", keys, now).reason ==
               "more than one hand-over field");
    for (const auto* value :
         {"v=2; t=1767230000; b=AAAA", "v=1; t=17x; b=AAAA", "v=1; b=AAAA", "not a tag list"}) {
        auto m = message(std::string("ARCRelay-Handover: ") + value +
                         "\r\nAuthentication-Results: lists.example.org; dmarc=pass\r\n");
        BOOST_TEST(relay::take_handover(m, "lists.example.org", keys, now).reason ==
                   "malformed hand-over field");
    }
}

BOOST_AUTO_TEST_CASE(verify_side_replaces_incoming_hand_over_fields) {
    auto m = message("ARCRelay-Handover: v=1; t=1; b=forged\r\n");
    m.prepend(mail::header_field::make("Authentication-Results", " " + ours));
    relay::add_handover(m, m.headers().front().value(), keys, now);
    BOOST_TEST(m.count("ARCRelay-Handover") == 1u);
    BOOST_TEST(!has(m, "b=forged"));
    BOOST_TEST(relay::take_handover(m, "lists.example.org", keys, now).trusted);
}

BOOST_AUTO_TEST_CASE(other_authserv_ids_are_kept) {
    auto m = handed_over();
    m.prepend(mail::header_field::make("Authentication-Results", " mx.example.net; spf=pass"));
    BOOST_TEST(relay::take_handover(m, "lists.example.org", keys, now).trusted);
    BOOST_TEST(has(m, "mx.example.net; spf=pass"));
    auto forged = message("Authentication-Results: mx.example.net; spf=pass\r\n"
                          "Authentication-Results: lists.example.org; dmarc=pass\r\n");
    BOOST_TEST(!relay::take_handover(forged, "lists.example.org", keys, now).trusted);
    BOOST_TEST(has(forged, "mx.example.net; spf=pass"));
    BOOST_TEST(!has(forged, "dmarc=pass"));
}

BOOST_AUTO_TEST_SUITE_END()
