// Unit tests of smtp::maildir: tmp/new/cur created, one file in new/, 451 4.3.0 when the
// directory cannot be written.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "smtp/maildir.hpp"

using namespace arcrelay::smtp;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const char* tag) {
    auto p = fs::temp_directory_path() /
             fmt::format("arcrelay-maildir-{}-{}-{}", tag, getpid(),
                         std::chrono::steady_clock::now().time_since_epoch().count());
    fs::remove_all(p);
    return p;
}
std::size_t entries(const fs::path& p) {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(p), fs::directory_iterator{}));
}
} // namespace

BOOST_AUTO_TEST_SUITE(maildir_test)

BOOST_AUTO_TEST_CASE(delivers_into_new) {
    const auto root = fresh_dir("ok");
    maildir box(root);
    transaction t;
    t.message = "Subject: x\r\n\r\nbody\r\n";
    auto r1 = box.deliver(t);
    auto r2 = box.deliver(t);
    BOOST_TEST(r1.code == 250);
    BOOST_TEST(fmt::format("{}", r1.status) == "2.0.0");
    BOOST_TEST(r1.lines != r2.lines); // unique names
    BOOST_TEST(entries(root / "new") == 2u);
    BOOST_TEST(entries(root / "tmp") == 0u);
    BOOST_TEST(fs::is_directory(root / "cur"));
    for (auto& e : fs::directory_iterator(root / "new")) {
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        BOOST_TEST(ss.str() == t.message);
    }
    fs::remove_all(root);
}

BOOST_AUTO_TEST_CASE(unwritable_root_gives_451) {
    const auto root = fresh_dir("bad");
    {
        std::ofstream blocker(root); // a file where the maildir should be
    }
    maildir box(root);
    transaction t;
    t.message = "x\r\n";
    auto r = box.deliver(t);
    BOOST_TEST(r.code == 451);
    BOOST_TEST(fmt::format("{}", r.status) == "4.3.0");
    fs::remove(root);
}

BOOST_AUTO_TEST_SUITE_END()
