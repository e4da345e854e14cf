// Shared fixtures for the DKIM tests: test data files, the zone, a signed base message.
#pragma once

#include "auth/dkim/crypto.hpp"
#include "dns/static_zone.hpp"
#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dkim_test {

inline std::string data_path(const std::string& name) {
    return std::string(ARCRELAY_TEST_DATA) + "/dkim/" + name;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline arcrelay::dns::static_zone test_zone() {
    auto z = arcrelay::dns::static_zone::load(data_path("zone.txt"));
    BOOST_REQUIRE_MESSAGE(z, z);
    return std::move(*z);
}

inline arcrelay::auth::dkim::private_key load_key(const std::string& file) {
    auto k = arcrelay::auth::dkim::load_private_key(read_file(data_path(file)));
    BOOST_REQUIRE_MESSAGE(k, k);
    return *k;
}

inline arcrelay::mail::message parse(const std::string& text) {
    auto m = arcrelay::mail::parse_message(text);
    BOOST_REQUIRE_MESSAGE(m, m);
    return std::move(*m);
}

inline const std::string base_message = "From: Alice Example <alice@example.com>\r\n"
                                        "To: list@lists.example.org\r\n"
                                        "Subject: Quarterly   report\r\n"
                                        "\tcontinued subject line\r\n"
                                        "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
                                        "Message-ID: <base-1@example.com>\r\n"
                                        "MIME-Version: 1.0\r\n"
                                        "Content-Type: text/plain; charset=us-ascii\r\n"
                                        "\r\n"
                                        "Hello list,\r\n"
                                        "  indented line with trailing space \r\n"
                                        "\r\n"
                                        "Regards,\r\nAlice\r\n\r\n\r\n";

inline constexpr std::uint64_t signing_time = 1767225600; // 2026-01-01, as the bench corpus

} // namespace dkim_test
