// tests/unit/config/config_test_support.hpp — a minimal valid configuration and helpers
// for the config tests.
#pragma once

#include "config/load.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

namespace arcrelay::config::test {

// The smallest configuration that loads: one one-pass listener, one list, one key.
inline const std::string minimal = R"([server]
hostname = "relay.example.org"

[[listener]]
name = "mx"
stages = "one-pass"

[[list]]
address = "dev@lists.example.org"

[[arc.key]]
domain = "lists.example.org"
selector = "s1"
private_key = "/nonexistent/key.pem"
)";

inline bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

inline configuration parse_ok(const std::string& text) {
    auto c = parse_config(text, "t.toml");
    BOOST_TEST_INFO("error: " << (c ? std::string() : c.error().message));
    BOOST_REQUIRE(c.ok());
    return std::move(c).value();
}

// True when `message` is "t.toml:LINE: KEY: REASON" (check-config's one format, issue 15):
// LINE a positive number equal to `line`, KEY without ':' or spaces (or "syntax error").
inline bool has_error_format(const std::string& message, std::size_t line) {
    const std::string head = "t.toml:" + std::to_string(line) + ": ";
    if (line == 0 || !message.starts_with(head)) return false;
    const auto key_end = message.find(": ", head.size());
    if (key_end == std::string::npos || key_end + 2 >= message.size()) return false;
    const auto key = std::string_view(message).substr(head.size(), key_end - head.size());
    return !key.empty() && (key == "syntax error" || key.find_first_of(": ") == key.npos);
}

// Expects parse_config to fail with exactly `message` (which names file, line and key)
// and error::line == line.
inline void expect_error(const std::string& text, std::string_view message, std::size_t line) {
    const auto c = parse_config(text, "t.toml");
    BOOST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().message == message);
    BOOST_TEST(has_error_format(c.error().message, line), c.error().message);
    BOOST_TEST(c.error().line == line);
    BOOST_TEST(!c.error().temporary());
}

} // namespace arcrelay::config::test
