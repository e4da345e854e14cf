// Interop with dkimpy (Debian python3-dkim), a real peer: messages dkimpy signs verify here,
// and messages arcrelay signs verify with dkimpy. tests/tools/dkimpy_tool.py drives dkimpy.
#include "auth/dkim/sign.hpp"
#include "auth/dkim/verify.hpp"
#include "dkim_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

using namespace arcrelay;
using namespace arcrelay::auth::dkim;
using namespace dkim_test;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
    fs::path path;
    temp_dir() {
        path = fs::temp_directory_path() / ("arcrelay-dkimpy-" + std::to_string(::getpid()));
        fs::create_directories(path);
    }
    ~temp_dir() { fs::remove_all(path); }
};

std::string tool() {
    return std::string(ARCRELAY_SOURCE_DIR) + "/tests/tools/dkimpy_tool.py";
}

// Runs a command with a hard time limit; returns its stdout.
std::string run(const std::string& cmd, const fs::path& out) {
    std::string full = "timeout 60 /usr/bin/python3 " + cmd + " > " + out.string() + " 2>&1";
    int rc = std::system(full.c_str());
    std::string output = read_file(out.string());
    BOOST_REQUIRE_MESSAGE(rc == 0, full << " failed: " << output);
    return output;
}

// dkimpy stamps t= with the wall clock.
std::uint64_t now() {
    return static_cast<std::uint64_t>(std::time(nullptr));
}

void write_file(const fs::path& p, const std::string& data) {
    std::ofstream(p, std::ios::binary) << data;
}

} // namespace

BOOST_AUTO_TEST_SUITE(dkimpy_interop_test)

BOOST_AUTO_TEST_CASE(dkimpy_signs_arcrelay_verifies) {
    temp_dir dir;
    auto zone = test_zone();
    write_file(dir.path / "in.eml", base_message);
    int cases = 0;
    for (std::string algo : {"rsa-sha256", "ed25519-sha256"}) {
        std::string key = data_path(algo == "rsa-sha256" ? "example.com.rsa2026.rsa.pem"
                                                         : "example.com.ed2026.ed25519.pem");
        std::string selector = algo == "rsa-sha256" ? "rsa2026" : "ed2026";
        for (std::string canon :
             {"simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed"}) {
            for (std::string length : {"0", "1"}) {
                BOOST_TEST_CONTEXT(algo << " c=" << canon << " l=" << length) {
                    auto out = dir.path / "signed.eml";
                    // Oversigned From and Subject, the folded Subject included.
                    run(tool() + " sign " + key + " example.com " + selector + " " + algo + " " +
                            canon + " " + length +
                            " From:To:Subject:Date:Message-ID:From:Subject " +
                            (dir.path / "in.eml").string() + " " + out.string(),
                        dir.path / "log");
                    auto text = read_file(out.string());
                    BOOST_TEST((text.find(" l=") != std::string::npos) == (length == "1"));
                    auto r = verify_dkim(parse(text), zone, verify_options{now(), 300, 10});
                    BOOST_REQUIRE(r.size() == 1u);
                    BOOST_TEST(result_name(r[0].result) == "pass", r[0].reason);
                    BOOST_TEST(r[0].algorithm == algo);
                    if (length == "1") { // l= lets an appended footer through
                        auto footer = verify_dkim(parse(text + "-- \r\nfooter\r\n"), zone,
                                                  verify_options{now(), 300, 10});
                        BOOST_TEST(result_name(footer[0].result) == "pass", footer[0].reason);
                    }
                    ++cases;
                }
            }
        }
    }
    BOOST_TEST(cases == 16);
}

BOOST_AUTO_TEST_CASE(arcrelay_signs_dkimpy_verifies) {
    temp_dir dir;
    int cases = 0;
    for (auto a : {algorithm::rsa_sha256, algorithm::ed25519_sha256}) {
        for (auto c : {mail::canonicalization::simple, mail::canonicalization::relaxed}) {
            signer s;
            s.alg = a;
            s.domain = "example.com";
            s.selector = a == algorithm::rsa_sha256 ? "rsa2026" : "ed2026";
            s.key = load_key(a == algorithm::rsa_sha256 ? "example.com.rsa2026.rsa.pem"
                                                        : "example.com.ed2026.ed25519.pem");
            s.header_canon = c;
            s.body_canon = c;
            auto field = sign_dkim(parse(base_message), s, signing_time);
            BOOST_REQUIRE(field);
            write_file(dir.path / "ours.eml", field->raw() + base_message);
            auto verdict = run(tool() + " verify " + data_path("zone.txt") + " " +
                                   (dir.path / "ours.eml").string(),
                               dir.path / "log");
            BOOST_TEST(verdict == "pass\n", algorithm_name(a) << ": dkimpy says " << verdict);
            ++cases;
        }
    }
    // The PKCS#8 RSA key from dkimpy's own test data signs for us too.
    signer s;
    s.domain = "example.com";
    s.selector = "pkcs8";
    s.key = load_key("dkimpy_2048_testkey_PKCS8.pem");
    auto field = sign_dkim(parse(base_message), s, signing_time);
    BOOST_REQUIRE(field);
    write_file(dir.path / "ours.eml", field->raw() + base_message);
    BOOST_TEST(
        run(tool() + " verify " + data_path("zone.txt") + " " + (dir.path / "ours.eml").string(),
            dir.path / "log") == "pass\n");
    BOOST_TEST(cases == 4);
}

BOOST_AUTO_TEST_SUITE_END()
