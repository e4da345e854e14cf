// tests/unit/arc/corpus_test.cpp — ARC chains made by others: the ten real chains
// (tests/data/arc/real-chains, expected.tsv) and the bench corpus's 2k messages
// (tests/data/arc/bench-corpus, manifest.json expected.arc and arc_per_algorithm).
#include "test_support.hpp"

#include <yaml-cpp/yaml.h>

#include <sstream>

namespace arc_test {

BOOST_AUTO_TEST_SUITE(corpus)

// expected.tsv: file, expected_rfc8617, ...; LF lines become CRLF, nothing added at EOF.
BOOST_AUTO_TEST_CASE(real_chains) {
    auto zone = load_zone("dns/real-chains-zone.txt");
    std::istringstream tsv(read_file(data_path("arc/real-chains/expected.tsv")));
    std::string line;
    std::getline(tsv, line); // header row
    std::size_t count = 0;
    while (std::getline(tsv, line)) {
        std::istringstream cols(line);
        std::string file, expected;
        std::getline(cols, file, '\t');
        std::getline(cols, expected, '\t');
        auto m = crlf_message(read_file(data_path("arc/real-chains/" + file)));
        auto v = validate_message(m, zone, fixed_now);
        BOOST_TEST(arc_result_name(v.result) == expected, file << ": " << v.reason);
        ++count;
    }
    BOOST_TEST(count == 10u);
}

// Ed25519 at i=1, RSA at i=2 covering it: one plain RFC 8617 chain, not two.
BOOST_AUTO_TEST_CASE(mixed_algorithm_plain_chain) {
    auto zone = load_zone("dns/real-chains-zone.txt");
    auto m = crlf_message(read_file(data_path("arc/real-chains/mail-auth_002.eml")));
    auto v = validate_message(m, zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "pass");
    BOOST_REQUIRE(v.chains.size() == 1u);
    BOOST_TEST(v.chains[0].algorithm == "rsa-sha256");
    BOOST_TEST(v.chains[0].length == 2u);
}

// A duplicated i=1 fails on structure before any key matters (freebsd.org's key is absent).
BOOST_AUTO_TEST_CASE(duplicate_instance_is_not_temporary) {
    auto zone = load_zone("dns/real-chains-zone.txt");
    auto m = crlf_message(read_file(data_path("arc/real-chains/rspamd_arcbad.eml")));
    auto v = validate_message(m, zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(!v.temporary);
    BOOST_TEST(v.reason.find("i=1") != std::string::npos, v.reason);
}

BOOST_AUTO_TEST_CASE(bench_corpus) {
    auto zone = load_zone("dns/bench-corpus-zone.txt");
    auto manifest = YAML::LoadFile(data_path("arc/bench-corpus/manifest.json"));
    std::size_t count = 0;
    for (const auto& entry : manifest["messages"]) {
        if (entry["size_class"].as<std::string>() != "2k") continue;
        auto file = entry["file"].as<std::string>();
        auto name = file.substr(file.rfind('/') + 1);
        auto m = mail::parse_message(read_file(data_path("arc/bench-corpus/" + name)));
        BOOST_REQUIRE_MESSAGE(m, name);
        auto v = validate_message(*m, zone, fixed_now);
        const auto& expected = entry["expected"];
        BOOST_TEST(arc_result_name(v.result) == expected["arc"].as<std::string>(),
                   name << ": " << v.reason);
        for (const auto& per : expected["arc_per_algorithm"]) {
            auto algorithm = per.first.as<std::string>();
            auto want = per.second.as<std::string>();
            auto c = std::find_if(v.chains.begin(), v.chains.end(),
                                  [&](const chain_result& r) { return r.algorithm == algorithm; });
            if (c == v.chains.end()) { // a chain that fails on structure has no chain detail
                BOOST_TEST(want == "fail", name);
                BOOST_TEST(v.chains.empty(), name);
                continue;
            }
            BOOST_TEST(arc_result_name(c->result) == want,
                       name << " " << algorithm << ": " << c->reason);
        }
        BOOST_TEST(v.highest_instance == expected["arc_instances"].as<std::uint32_t>(), name);
        ++count;
    }
    BOOST_TEST(count == 13u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace arc_test
