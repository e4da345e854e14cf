// tests/unit/auth_spf/openspf_suite_test.cpp — runs the openspf.org RFC 7208 test suite
// (tests/data/spf/rfc7208-tests.yml, see SOURCE.md there) against check_mail_from().
//
// Each YAML document's zonedata becomes a dns::static_zone, following the suite's driver
// conventions (pyspf testspf.py): type-99 "SPF" records are served as TXT unless the name
// lists TXT records of its own ("TXT: NONE" only suppresses that); a TIMEOUT entry makes
// queries for the name time out — except on a name that also has TXT records, where it only
// stood for the type-99 query that RFC 7208 implementations no longer send (test
// "spftimeout"). Every test checks the MAIL FROM identity (postmaster@helo for an empty one);
// "result" may list several acceptable results; an "explanation" of DEFAULT means no exp=
// text was usable, which check_mail_from() reports as an empty explanation.
#include "auth/spf/check.hpp"
#include "dns/name.hpp"
#include "dns/static_zone.hpp"

#include <boost/test/unit_test.hpp>
#include <yaml-cpp/yaml.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace spf = arcrelay::auth::spf;
using arcrelay::dns::rr_type;

namespace {

// Tests allowed to fail, each with its reason. Empty: the whole suite passes.
const std::map<std::string, std::string> skipped_tests = {};

constexpr std::int64_t fixed_timestamp = 1'700'000'000;

// A TXT value: one string, or a list of character-strings joined with nothing between
// (RFC 7208 3.3).
std::string txt_text(const YAML::Node& value) {
    if (!value.IsSequence()) return value.as<std::string>();
    std::string out;
    for (const auto& part : value)
        out += part.as<std::string>();
    return out;
}

std::string address_text(const YAML::Node& value) {
    const auto text = value.as<std::string>();
    const auto address = arcrelay::parse_ip_address(text);
    BOOST_REQUIRE_MESSAGE(address, "bad address in zonedata: " << text);
    return arcrelay::format_ip_address(*address);
}

arcrelay::dns::static_zone build_zone(const YAML::Node& zonedata) {
    arcrelay::dns::static_zone zone;
    for (const auto& entry : zonedata) {
        const auto name = entry.first.as<std::string>();
        bool has_txt = false, has_txt_records = false, timeout = false;
        std::vector<std::string> spf_records;
        for (const auto& rr : entry.second) {
            if (rr.IsScalar()) {
                BOOST_REQUIRE_EQUAL(rr.as<std::string>(), "TIMEOUT");
                timeout = true;
                continue;
            }
            const auto type = rr.begin()->first.as<std::string>();
            const auto value = rr.begin()->second;
            if (type == "SPF") {
                spf_records.push_back(txt_text(value));
            } else if (type == "TXT") {
                has_txt = true;
                if (value.IsScalar() && value.as<std::string>() == "NONE") continue;
                has_txt_records = true;
                zone.add(name, rr_type::txt, txt_text(value));
            } else if (type == "A") {
                zone.add(name, rr_type::a, address_text(value));
            } else if (type == "AAAA") {
                zone.add(name, rr_type::aaaa, address_text(value));
            } else if (type == "MX") {
                zone.add_mx(name, value[0].as<std::uint16_t>(),
                            arcrelay::dns::canonical_name(value[1].as<std::string>()));
            } else if (type == "PTR") {
                zone.add(name, rr_type::ptr,
                         arcrelay::dns::canonical_name(value.as<std::string>()));
            } else if (type == "CNAME") {
                zone.add_cname(name, value.as<std::string>());
            } else {
                BOOST_FAIL("unknown record type in zonedata: " << type);
            }
        }
        if (!has_txt) {
            for (auto& text : spf_records)
                zone.add(name, rr_type::txt, std::move(text));
            has_txt_records = !spf_records.empty();
        }
        if (timeout && !has_txt_records) zone.simulate_timeout(name);
    }
    return zone;
}

std::vector<std::string> expected_results(const YAML::Node& result) {
    std::vector<std::string> out;
    if (result.IsSequence())
        for (const auto& r : result)
            out.push_back(r.as<std::string>());
    else
        out.push_back(result.as<std::string>());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(openspf_suite_test)

BOOST_AUTO_TEST_CASE(rfc7208_suite) {
    const auto documents = YAML::LoadAllFromFile(ARCRELAY_TEST_DATA "/spf/rfc7208-tests.yml");
    int passed = 0, failed = 0, skipped = 0;
    for (const auto& doc : documents) {
        auto zone = build_zone(doc["zonedata"]);
        const auto section = doc["description"].as<std::string>();
        for (const auto& test : doc["tests"]) {
            const auto name = test.first.as<std::string>();
            const auto& t = test.second;
            spf::request req;
            req.client_ip = *arcrelay::parse_ip_address(t["host"].as<std::string>());
            req.helo = t["helo"].as<std::string>();
            req.mail_from = t["mailfrom"].as<std::string>();
            req.timestamp = fixed_timestamp;
            const auto v = spf::check_mail_from(zone, req);

            const auto expected = expected_results(t["result"]);
            bool ok = std::find(expected.begin(), expected.end(), spf::to_string(v.result)) !=
                      expected.end();
            std::string want_explanation;
            if (ok && t["explanation"]) {
                want_explanation = t["explanation"].as<std::string>();
                if (want_explanation == "DEFAULT") want_explanation.clear();
                ok = v.explanation == want_explanation;
            }
            if (ok) {
                ++passed;
                continue;
            }
            const bool skip = skipped_tests.count(name) != 0;
            (skip ? skipped : failed) += 1;
            std::cout << (skip ? "skipped " : "FAILED ") << section << " / " << name << ": got "
                      << spf::to_string(v.result) << " explanation '" << v.explanation << "' ("
                      << v.reason << ")\n";
        }
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    if (skipped) std::cout << skipped << " failures in the skip list\n";
    BOOST_TEST(passed + failed + skipped == 203);
    BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_SUITE_END()
