// Tests for mail/base64: RFC 4648 §10's vectors, and for random texts exactly the
// answers of Botan 2's base64 codec, which it replaced (a refusal for a refusal).
#include "mail/base64.hpp"

#include <boost/test/unit_test.hpp>
#include <botan/base64.h>

#include <random>
#include <string>
#include <vector>

using arcrelay::mail::base64_decode;
using arcrelay::mail::base64_encode;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

std::optional<std::vector<std::uint8_t>> botan_decode(const std::string& text) {
    try {
        auto v = Botan::base64_decode(text.data(), text.size(), true);
        return std::vector<std::uint8_t>(v.begin(), v.end());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(base64_test)

BOOST_AUTO_TEST_CASE(rfc4648_section_10_vectors) {
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        BOOST_TEST(base64_encode(bytes_of(plain)) == encoded);
        BOOST_TEST((base64_decode(encoded) == bytes_of(plain)));
    }
}

BOOST_AUTO_TEST_CASE(folding_whitespace_padding_and_refusals) {
    // RFC 6376 §2.4: FWS may appear anywhere in a b= value.
    BOOST_TEST((base64_decode(" Zm9v\r\n\tYmFy ") == bytes_of("foobar")));
    BOOST_TEST((base64_decode("Zm9vYg") == bytes_of("foob"))); // unpadded last quantum
    BOOST_TEST((base64_decode("Zm9vY") == bytes_of("foo")));   // one character: no byte
    BOOST_TEST(!base64_decode("Zm9v=").has_value());           // padding after a whole quantum
    BOOST_TEST(!base64_decode("====").has_value());
    BOOST_TEST(!base64_decode("Zm9v!").has_value());
    BOOST_TEST(!base64_decode("Zm-9v").has_value()); // base64url is not DKIM's alphabet
    BOOST_TEST((base64_decode("  ") == std::vector<std::uint8_t>{}));
}

BOOST_AUTO_TEST_CASE(random_texts_get_botans_answers) {
    std::mt19937 rng(4648);
    const std::string odd = " \t\r\n=!-_.\x80\xff";
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> data(rng() % 70);
        for (auto& b : data)
            b = static_cast<std::uint8_t>(rng());
        BOOST_TEST_CONTEXT("round " << round) {
            const std::string encoded = base64_encode(data);
            BOOST_TEST(encoded == Botan::base64_encode(data.data(), data.size()));
            BOOST_TEST((base64_decode(encoded) == data));
            // Damage it: drop, insert or replace a few characters with ones the rule cares about.
            std::string damaged = encoded;
            for (int k = rng() % 4; k > 0; --k) {
                const std::size_t at = damaged.empty() ? 0 : rng() % (damaged.size() + 1);
                const char c = odd[rng() % odd.size()];
                switch (rng() % 3) {
                case 0:
                    if (at < damaged.size()) damaged.erase(at, 1);
                    break;
                case 1:
                    damaged.insert(at, 1, c);
                    break;
                default:
                    if (at < damaged.size()) damaged[at] = c;
                }
            }
            BOOST_TEST_CONTEXT("damaged \"" << damaged << "\"") {
                BOOST_TEST((base64_decode(damaged) == botan_decode(damaged)));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
