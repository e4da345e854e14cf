// tests/unit/bad_input/bad_input_test.cpp — every case of tests/data/bad-input/manifest.tsv
// gets its expected verdict within a time bound (a hang fails the test, a crash aborts it), and
// the catalog stays complete: at least 100 cases, every file and generator listed.
#include "tests/unit/bad_input/catalog.hpp"
#include "tests/unit/bad_input/generators.hpp"
#include "tests/unit/bad_input/verdicts.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace arcrelay::bad_input {

namespace {

const std::string catalog_dir = ARCRELAY_TEST_DATA "/bad-input";
constexpr std::size_t min_cases = 100;
// Generous: the slowest case (26 MiB of DATA) takes about 0.6 s of CPU under ASan. Measured
// as process CPU time, not wall time, so a loaded CI machine does not make it flaky; the code
// under test is single-threaded, so a hang is a busy loop and shows up as CPU time.
constexpr double time_bound_seconds = 2.0;

double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

const std::vector<catalog_case>& cases() {
    static const auto all = read_manifest(catalog_dir + "/manifest.tsv");
    return all;
}

std::string joined(const std::set<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens)
        out += (out.empty() ? "" : " ") + t;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(bad_input_catalog)

BOOST_AUTO_TEST_CASE(catalog_is_complete) {
    BOOST_TEST(cases().size() >= min_cases);
    std::set<std::string> listed;
    for (const auto& c : cases())
        BOOST_TEST(listed.insert(c.file).second, "listed twice: " << c.file);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(catalog_dir)) {
        if (!entry.is_regular_file() || entry.path().parent_path() == catalog_dir) continue;
        const auto rel = std::filesystem::relative(entry.path(), catalog_dir).string();
        BOOST_TEST(listed.count(rel) == 1, "not in the manifest: " << rel);
    }
    for (auto name : generator_names())
        BOOST_TEST(listed.count("@" + std::string(name)) == 1, "generator unused: " << name);
}

BOOST_AUTO_TEST_CASE(every_case_gets_its_verdict_in_time) {
    for (const auto& c : cases()) {
        BOOST_TEST_CHECKPOINT(c.file); // names the case if it crashes
        const std::string input = case_input(c, catalog_dir);
        const double start = cpu_seconds();
        const auto tokens = run_case(c.kind, input);
        const double elapsed = cpu_seconds() - start;
        BOOST_TEST(elapsed < time_bound_seconds, c.file << " took " << elapsed << " s of CPU");
        for (const auto& want : c.expected) {
            if (want.starts_with("not="))
                BOOST_TEST(tokens.count(want.substr(4)) == 0, c.file << ": unexpected "
                                                                     << want.substr(4)
                                                                     << " in: " << joined(tokens));
            else
                BOOST_TEST(tokens.count(want) == 1,
                           c.file << ": missing " << want << " in: " << joined(tokens));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace arcrelay::bad_input
