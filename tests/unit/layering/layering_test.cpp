// The module layering of DESIGN.md, checked on the source tree: the pure core (mail/, auth/,
// arc/) never includes Asio or socket headers, smtp/ knows nothing of ARC, lower modules
// never include higher ones, and only report/ talks to a database. A violation names the file
// and the line.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct violation {
    std::string file;
    int line;
    std::string text;
};

// Every #include line of every .hpp/.cpp below `dir` that matches `pattern`.
std::vector<violation> includes_matching(const std::string& dir, const std::regex& pattern) {
    std::vector<violation> out;
    fs::path root = fs::path(ARCRELAY_SOURCE_DIR) / dir;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        auto ext = entry.path().extension();
        if (ext != ".hpp" && ext != ".cpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (line.find("#include") != std::string::npos && std::regex_search(line, pattern))
                out.push_back({entry.path().string(), n, line});
        }
    }
    return out;
}

void expect_none(const std::string& dir, const std::string& pattern) {
    auto found = includes_matching(dir, std::regex(pattern));
    for (const auto& v : found)
        BOOST_ERROR(v.file << ":" << v.line << ": " << v.text << " (forbidden in " << dir << "/)");
    BOOST_TEST_MESSAGE(dir << "/: no include matching " << pattern);
}

const std::string io_headers =
    R"(boost/asio|boost/beast|sys/socket\.h|netdb\.h|netinet/|<asio|openssl/ssl\.h)";

} // namespace

BOOST_AUTO_TEST_SUITE(layering_test)

BOOST_AUTO_TEST_CASE(pure_core_has_no_io) {
    for (const char* dir : {"mail", "auth", "arc", "base"})
        expect_none(dir, io_headers);
}

BOOST_AUTO_TEST_CASE(smtp_knows_nothing_of_arc_or_auth) {
    expect_none("smtp", R"("(arc|auth|relay)/)");
}

BOOST_AUTO_TEST_CASE(dependencies_point_down) {
    expect_none("mail", R"("(dns|auth|arc|smtp|config|report|relay)/)");
    expect_none("dns", R"("(mail|auth|arc|smtp|config|report|relay)/)");
    expect_none("auth", R"("(arc|smtp|config|report|relay)/)");
    expect_none("arc", R"("(smtp|config|report|relay)/)");
    expect_none("config", R"("(arc|auth|smtp|report|relay)/)");
    expect_none("smtp", R"("report/)");
}

BOOST_AUTO_TEST_CASE(report_knows_results_never_sessions) {
    // DESIGN.md report/: beside smtp/, config/ and arc/ under relay/; it takes plain result
    // rows, so it includes none of them, and no socket code.
    expect_none("report", R"("(mail|dns|auth|arc|smtp|config|relay)/)");
    expect_none("report", io_headers);
}

BOOST_AUTO_TEST_CASE(only_report_talks_to_a_database) {
    for (const char* dir : {"base", "mail", "dns", "auth", "arc", "smtp", "relay"})
        expect_none(dir, R"(sqlite3\.h|libpq-fe\.h)");
    expect_none("config", R"(sqlite3\.h)");
    // config/ checks a [reports] database URI with libpq's parser, in one file that never
    // connects.
    const auto libpq = includes_matching("config", std::regex(R"(libpq-fe\.h)"));
    for (const auto& v : libpq) {
        BOOST_TEST(fs::path(v.file).filename() == "database_uri.cpp");
        std::ifstream in(v.file);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        BOOST_TEST(!std::regex_search(text, std::regex(R"(PQconnect|PQexec|PQsend)")));
    }
}

BOOST_AUTO_TEST_CASE(the_check_can_fail) {
    // The scanner finds a known include, so an empty result above means something.
    auto found = includes_matching("relay", std::regex(R"("relay/message_checks\.hpp")"));
    BOOST_TEST(!found.empty());
}

BOOST_AUTO_TEST_SUITE_END()
