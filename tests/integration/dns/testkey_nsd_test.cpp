// tests/integration/dns/testkey_nsd_test.cpp — `arcrelay testkey` end to end through the
// configured resolver ([dns] servers) against a real nsd on 127.0.0.1: one key whose record
// matches, one whose record holds another key.
#include "auth/dkim/crypto.hpp"
#include "nsd_server.hpp"
#include "relay/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

using namespace arcrelay;

namespace {

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "arcrelay-testkey-XXXXXX").string();
        BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
};

std::string write_key(const std::filesystem::path& path, const auth::dkim::private_key& key) {
    std::ofstream(path) << key.to_pem();
    return path.string();
}

// Runs `command` (stdout captured; bounded by timeout(1)); returns (exit status, output).
std::pair<int, std::string> run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(("timeout 60 " + command).c_str(), "r");
    BOOST_TEST_REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr)
        out += buffer.data();
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

} // namespace

BOOST_AUTO_TEST_CASE(testkey_against_nsd) {
    const char* binary = std::getenv("ARCRELAY_BINARY");
    BOOST_TEST_REQUIRE(binary != nullptr);
    const auto rsa = auth::dkim::generate_private_key(auth::dkim::key_type::rsa, 2048).value();
    const auto ed = auth::dkim::generate_private_key(auth::dkim::key_type::ed25519, 0).value();
    const auto other = auth::dkim::generate_private_key(auth::dkim::key_type::ed25519, 0).value();
    const std::string zone = "$ORIGIN testkey.test.\n$TTL 300\n"
                             "@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\n"
                             "ns IN A 127.0.0.1\n" +
                             relay::dns_txt_record("testkey.test", "r1", rsa) + "\n" +
                             relay::dns_txt_record("testkey.test", "e1", other) + "\n";
    dns::testing::nsd_server server({{"testkey.test", zone}});

    temp_dir dir;
    const auto config = dir.path / "arcrelay.toml";
    std::ofstream(config) << "[server]\nhostname = \"relay.testkey.test\"\n\n"
                             "[[listener]]\nname = \"seal\"\nstages = \"split-seal\"\n"
                             "allowed_clients = [\"127.0.0.1/32\"]\n\n"
                             "[[arc.key]]\nalgorithm = \"rsa-sha256\"\ndomain = \"testkey.test\"\n"
                             "selector = \"r1\"\nprivate_key = \""
                          << write_key(dir.path / "r1.pem", rsa)
                          << "\"\n\n[[arc.key]]\nalgorithm = \"ed25519-sha256\"\n"
                             "domain = \"testkey.test\"\nselector = \"e1\"\nprivate_key = \""
                          << write_key(dir.path / "e1.pem", ed) << "\"\n\n[dns]\nservers = [\""
                          << server.address() << "\"]\ntimeout_ms = 1000\nretries = 1\n";
    const auto [status, out] = run(std::string(binary) + " testkey --config " + config.string());
    BOOST_TEST_INFO(out);
    BOOST_TEST(status == 6); // the worst key: another key
    BOOST_TEST(out.find("r1._domainkey.testkey.test rsa-sha256") != std::string::npos);
    BOOST_TEST(out.find("r1.pem): match:") != std::string::npos);
    BOOST_TEST(out.find("e1.pem): different key:") != std::string::npos);
}
