// tests/unit/arc/dkimpy_interop_test.cpp — interop with dkimpy (Debian python3-dkim, the
// ValiMail suite's reference): rsa-sha256 sets sealed by arcrelay validate in dkimpy's
// arc_verify, and chains sealed by dkimpy's arc_sign over 1-5 hops, with edits between hops,
// get the same verdict from arcrelay. dkimpy runs through tests/data/arc/dkimpy_arc.py with
// a hard timeout; its DNS answers come from a file this test writes.
#include "test_support.hpp"

#include "auth/dkim/crypto.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace arc_test {
namespace {

namespace fs = std::filesystem;

const char* const domains[] = {"lists.upstream.example", "forwarder.test", "secgateway.test",
                               "shop.example", "lists.example.org"};

std::string key_pem_path(const std::string& domain) {
    return data_path("arc/bench-corpus/keys/" + domain + ".rsa2026.rsa.pem");
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    return s;
}

class dkimpy {
public:
    dkimpy() {
        static int counter = 0;
        dir_ =
            fs::temp_directory_path() / fmt::format("arcrelay-dkimpy-{}-{}", ::getpid(), ++counter);
        fs::create_directories(dir_);
        std::string keys;
        for (const char* d : domains) {
            auto pem = read_file(key_pem_path(d));
            auto key = auth::dkim::load_private_key(pem);
            BOOST_REQUIRE_MESSAGE(key, d);
            auto name = fmt::format("rsa2026._domainkey.{}", d);
            auto txt = "v=DKIM1; k=rsa; p=" + key->public_key_base64();
            keys += name + "\t" + txt + "\n";
            zone.add(name, rr_type::txt, txt);
            sealing_keys.push_back({auth::dkim::algorithm::rsa_sha256, d, "rsa2026", *key});
        }
        write("keys.txt", keys);
    }
    ~dkimpy() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    std::string verify(const mail::message& m) {
        write("message.eml", m.serialise());
        return run("verify " + path("keys.txt") + " " + path("message.eml"));
    }

    // dkimpy seals `m` as `domain`; returns the sealed message.
    mail::message seal(const mail::message& m, const std::string& domain, std::uint64_t t) {
        write("message.eml", m.serialise());
        run(fmt::format("seal {} {} {} {} {} rsa2026 {} {}", path("keys.txt"), path("message.eml"),
                        path("sealed.eml"), key_pem_path(domain), domain, domain, t));
        auto sealed = mail::parse_message(read_file(path("sealed.eml")));
        BOOST_REQUIRE(sealed);
        return std::move(*sealed);
    }

    static_zone zone;
    std::vector<sealing_key> sealing_keys;

private:
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    void write(const std::string& name, const std::string& data) {
        std::ofstream(dir_ / name, std::ios::binary) << data;
    }
    std::string run(const std::string& args) {
        auto command =
            fmt::format("timeout 60 /usr/bin/python3 {} {} > {} 2> {}",
                        data_path("arc/dkimpy_arc.py"), args, path("out.txt"), path("err.txt"));
        int rc = std::system(command.c_str());
        BOOST_REQUIRE_MESSAGE(rc == 0, "dkimpy failed: " << read_file(path("err.txt")));
        return trim(read_file(path("out.txt")));
    }

    fs::path dir_;
};

mail::message base() {
    return *mail::parse_message("From: Alice <alice@shop.example>\r\n"
                                "To: list@lists.example.org\r\n"
                                "Subject: interop\r\n"
                                "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                                "Message-ID: <interop@shop.example>\r\n"
                                "\r\n"
                                "Hello dkimpy.\r\n");
}

void add_trace(mail::message& m, int hop) {
    m.prepend(
        mail::header_field::make("Received", fmt::format("by hop{}.test; Thu, 1 Jan 2026", hop)));
}

} // namespace

BOOST_AUTO_TEST_SUITE(dkimpy_interop)

BOOST_AUTO_TEST_CASE(arcrelay_seals_dkimpy_verifies) {
    dkimpy py;
    auto m = base();
    for (int hop = 1; hop <= 5; ++hop) {
        auto v = validate_message(m, py.zone, fixed_now);
        auto results = fmt::format("{}; arc={}", domains[hop - 1], arc_result_name(v.result));
        auto out = seal_message(m, v, results, {&py.sealing_keys[hop - 1], 1},
                                fixed_now + static_cast<std::uint64_t>(hop));
        BOOST_REQUIRE(out);
        add_sealed_fields(m, *out);
        BOOST_TEST(py.verify(m) == "pass", "hop " << hop);
        add_trace(m, hop);
    }
    // A broken chain sealed with cv=fail is a fail for dkimpy too.
    m.body() += "changed\r\n";
    auto v = validate_message(m, py.zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    auto out = seal_message(m, v, "x.test; arc=fail", {&py.sealing_keys[0], 1}, fixed_now);
    BOOST_REQUIRE(out);
    add_sealed_fields(m, *out);
    BOOST_TEST(py.verify(m) == "fail");
}

BOOST_AUTO_TEST_CASE(dkimpy_seals_arcrelay_agrees) {
    dkimpy py;
    auto m = base();
    const char* const expected[] = {"pass", "pass", "fail", "fail", "fail"};
    for (int hop = 1; hop <= 5; ++hop) {
        m = py.seal(m, domains[hop - 1], fixed_now + static_cast<std::uint64_t>(hop));
        auto ours = arc_result_name(validate_message(m, py.zone, fixed_now).result);
        BOOST_TEST(ours == py.verify(m), "hop " << hop);
        BOOST_TEST(ours == expected[hop - 1], "hop " << hop);
        add_trace(m, hop); // an unsigned edit
        if (hop == 2) {    // a signed edit: the newest AMS no longer verifies
            m.remove_if([](const mail::header_field& f) { return f.is("Subject"); });
            m.prepend(mail::header_field::make("Subject", "[list] interop"));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace arc_test
