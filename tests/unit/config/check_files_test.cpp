// tests/unit/config/check_files_test.cpp — check_files(): key, TLS and zone files must be
// readable; parsing never looks at them.
#include "config/load.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace arcrelay::config;
using arcrelay::config::test::parse_ok;

namespace {

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "arcrelay-config-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name) const {
        const auto p = path / name;
        std::ofstream(p) << "-----BEGIN PRIVATE KEY-----\n";
        return p.string();
    }
};

std::string config_with(const std::string& key, const std::string& cert) {
    return R"([server]
hostname = "relay.example.org"
[[listener]]
name = "mx"
stages = "one-pass"
tls_certificate = ")" +
           cert + R"("
tls_private_key = ")" +
           cert + R"("
[[list]]
address = "dev@lists.example.org"
[[arc.key]]
domain = "lists.example.org"
selector = "s1"
private_key = ")" +
           key + "\"\n";
}

} // namespace

BOOST_AUTO_TEST_SUITE(check_files_suite)

BOOST_AUTO_TEST_CASE(readable_files_pass) {
    const temp_dir dir;
    const auto c = parse_ok(config_with(dir.write("key.pem"), dir.write("cert.pem")));
    const auto checked = check_files(c);
    BOOST_TEST_INFO((checked ? std::string() : checked.error().message));
    BOOST_TEST(checked.ok());
}

BOOST_AUTO_TEST_CASE(missing_key_file_names_key_and_path) {
    const temp_dir dir;
    const std::string missing = (dir.path / "nokey.pem").string();
    const auto c = parse_ok(config_with(missing, dir.write("cert.pem")));
    const auto checked = check_files(c);
    BOOST_REQUIRE(!checked.ok());
    // FILE:LINE: key: reason, LINE the one of `private_key = ...` (issue 15)
    BOOST_TEST(checked.error().message == "t.toml:13: arc.key[0].private_key: cannot read " +
                                              missing + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(missing_certificate_and_directory_as_file) {
    const temp_dir dir;
    const auto c = parse_ok(config_with(dir.write("key.pem"), dir.path.string()));
    const auto checked = check_files(c);
    BOOST_REQUIRE(!checked.ok());
    BOOST_TEST(checked.error().message.starts_with("t.toml:6: listener[0].tls_certificate: "
                                                   "cannot read " +
                                                   dir.path.string()));
}

BOOST_AUTO_TEST_CASE(missing_zone_file) {
    const temp_dir dir;
    const auto c = parse_ok(config_with(dir.write("key.pem"), dir.write("c.pem")) +
                            "[dns]\nzone_file = \"/nonexistent/zone\"\n");
    const auto checked = check_files(c);
    BOOST_REQUIRE(!checked.ok());
    BOOST_TEST(
        checked.error().message ==
        "t.toml:15: dns.zone_file: cannot read /nonexistent/zone: No such file or directory");
}

BOOST_AUTO_TEST_CASE(missing_handover_secret_names_its_element_line) {
    const temp_dir dir;
    std::string text = config_with(dir.write("key.pem"), dir.write("c.pem"));
    // [arc] before [[arc.key]] (line 10): lines 10-14, the second secret on line 13
    text.insert(text.find("[[arc.key]]"), "[arc]\nhandover_secrets = [\n  \"" + dir.write("s1") +
                                              "\",\n  \"/nonexistent/s2\",\n]\n");
    const auto c = parse_ok(text);
    const auto checked = check_files(c);
    BOOST_REQUIRE(!checked.ok());
    BOOST_TEST(checked.error().message == "t.toml:13: arc.handover_secrets[1]: cannot read "
                                          "/nonexistent/s2: No such file or directory");
}

BOOST_AUTO_TEST_CASE(second_key_and_listener_lines) {
    const temp_dir dir;
    const auto c = parse_ok(config_with(dir.write("key.pem"), dir.write("c.pem")) +
                            "[[arc.key]]\nalgorithm = \"ed25519-sha256\"\n"
                            "domain = \"lists.example.org\"\nselector = \"s2\"\n"
                            "\nprivate_key = \"/nonexistent/k2\"\n");
    BOOST_TEST(c.file_key_lines.at("arc.key[0].private_key") == 13);
    BOOST_TEST(c.file_key_lines.at("listener[0].tls_private_key") == 7);
    BOOST_TEST(c.file_key_lines.at("arc.key[1].private_key") == 19);
    BOOST_TEST(located_error(c, "arc.key[1].private_key", "bad") ==
               "t.toml:19: arc.key[1].private_key: bad");
    BOOST_TEST(located_error(c, "dns.zone_file", "bad") == "t.toml: dns.zone_file: bad");
    const auto checked = check_files(c);
    BOOST_REQUIRE(!checked.ok());
    BOOST_TEST(checked.error().message.starts_with("t.toml:19: arc.key[1].private_key: "));
}

BOOST_AUTO_TEST_SUITE_END()
