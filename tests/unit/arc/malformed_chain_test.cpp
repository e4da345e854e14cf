// tests/unit/arc/malformed_chain_test.cpp — hostile and broken ARC chains: each gives
// arc=fail with a reason, never crashes, and takes bounded time (RFC 8617 §5.2, §4.1).
#include "chain_builder.hpp"

#include <chrono>
#include <functional>

namespace arc_test {
namespace {

// A valid two-hop rsa-sha256 chain, one line per field, as editable lines.
struct chain_text {
    std::vector<std::string> headers;
    std::string body;

    std::size_t find(std::string_view name, std::uint32_t instance) const {
        auto tag = fmt::format("i={};", instance);
        for (std::size_t k = 0; k < headers.size(); ++k) {
            std::string_view h = headers[k];
            if (h.substr(0, name.size() + 1) == std::string(name) + ":" &&
                (h.find(" " + tag) != std::string::npos))
                return k;
        }
        BOOST_FAIL("no " << name << " " << tag);
        return 0;
    }
    void replace(std::string_view name, std::uint32_t instance, const std::string& from,
                 const std::string& to) {
        auto& h = headers[find(name, instance)];
        auto at = h.find(from);
        BOOST_REQUIRE_MESSAGE(at != std::string::npos, from);
        h.replace(at, from.size(), to);
    }
    void remove(std::string_view name, std::uint32_t instance) {
        headers.erase(headers.begin() + static_cast<std::ptrdiff_t>(find(name, instance)));
    }
    void duplicate(std::string_view name, std::uint32_t instance) {
        auto k = find(name, instance);
        headers.insert(headers.begin() + static_cast<std::ptrdiff_t>(k), headers[k]);
    }
    // Moves the whole set at instance `from` to instance `to`.
    void renumber(std::uint32_t from, std::uint32_t to) {
        for (auto n : {"ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results"})
            replace(n, from, fmt::format("i={};", from), fmt::format("i={};", to));
    }
    void add(std::string line) { headers.insert(headers.begin(), std::move(line)); }
    std::string text() const {
        std::string out;
        for (const auto& h : headers)
            out += h + "\r\n";
        return out + "\r\n" + body;
    }
};

struct fixture {
    chain_builder b;
    chain_text base;

    fixture() {
        b.options.fold = false;
        auto m = b.chain(2, true, false);
        auto raw = m.serialise();
        auto end = raw.find("\r\n\r\n");
        base.body = raw.substr(end + 4);
        std::string_view h(raw.data(), end + 2);
        while (!h.empty()) {
            auto eol = h.find("\r\n");
            std::string line(h.substr(0, eol));
            if (line[0] == ' ' || line[0] == '\t')
                base.headers.back() += "\r\n" + line;
            else
                base.headers.push_back(line);
            h.remove_prefix(eol + 2);
        }
        BOOST_REQUIRE(arc_result_name(validate(base.text()).result) == "pass");
    }

    validation_result validate(const std::string& text) {
        mail::message_limits limits;
        limits.max_line_bytes = 4 * 1024 * 1024; // let hostile fields reach the ARC code
        limits.max_header_bytes = 8 * 1024 * 1024;
        auto m = mail::parse_message(text, limits);
        BOOST_REQUIRE_MESSAGE(m, (m ? "" : m.error().message));
        return validate_message(*m, b.zone, fixed_now);
    }

    // The case must fail with a reason containing `why`, within a time bound.
    void expect_fail(const std::string& name, const std::function<void(chain_text&)>& edit,
                     std::string_view why) {
        auto c = base;
        edit(c);
        auto start = std::chrono::steady_clock::now();
        auto v = validate(c.text());
        auto took = std::chrono::steady_clock::now() - start;
        BOOST_TEST(arc_result_name(v.result) == "fail", name);
        BOOST_TEST(v.reason.find(why) != std::string::npos,
                   name << ": reason '" << v.reason << "' lacks '" << why << "'");
        BOOST_TEST(took < std::chrono::seconds(5), name);
        ++cases;
    }
    std::size_t cases = 0;
};

std::string big(char c, std::size_t n) {
    return std::string(n, c);
}

} // namespace

BOOST_AUTO_TEST_SUITE(malformed_chain)

BOOST_FIXTURE_TEST_CASE(each_fails_with_a_reason, fixture) {
    const std::string as = "ARC-Seal", ams = "ARC-Message-Signature",
                      aar = "ARC-Authentication-Results";
    expect_fail(
        "AS instance 0", [&](chain_text& c) { c.replace(as, 1, "i=1;", "i=0;"); }, "outside 1..50");
    expect_fail(
        "AMS instance 0", [&](chain_text& c) { c.replace(ams, 1, "i=1;", "i=0;"); },
        "outside 1..50");
    expect_fail(
        "AAR instance 0", [&](chain_text& c) { c.replace(aar, 1, "i=1;", "i=0;"); },
        "outside 1..50");
    expect_fail(
        "instance 51", [&](chain_text& c) { c.renumber(2, 51); }, "outside 1..50");
    expect_fail(
        "51 sets",
        [&](chain_text& c) {
            for (std::uint32_t i = 3; i <= 51; ++i) {
                c.add(fmt::format("{}: i={}; x.test; arc=pass", aar, i));
                c.add(fmt::format("{}: a=rsa-sha256; b=AAAA; bh=AAAA; d=x.test; h=from; "
                                  "i={}; s=s",
                                  ams, i));
                c.add(fmt::format("{}: a=rsa-sha256; b=AAAA; cv=pass; d=x.test; i={}; s=s", as, i));
            }
        },
        "outside 1..50");
    expect_fail(
        "more ARC fields than the limit",
        [&](chain_text& c) {
            for (std::size_t k = 0; k < max_arc_fields; ++k)
                c.add(aar + ": i=1; x.test; arc=none");
        },
        "more than 300 ARC header fields");
    expect_fail(
        "gap", [&](chain_text& c) { c.renumber(2, 3); }, "no ARC set at i=2");
    expect_fail(
        "duplicate AS", [&](chain_text& c) { c.duplicate(as, 1); }, "two ARC-Seal");
    expect_fail(
        "duplicate AMS", [&](chain_text& c) { c.duplicate(ams, 2); }, "two ARC-Message-Signature");
    expect_fail(
        "duplicate AAR", [&](chain_text& c) { c.duplicate(aar, 2); },
        "ARC-Authentication-Results fields for 1 set");
    expect_fail(
        "missing AMS", [&](chain_text& c) { c.remove(ams, 1); }, "no ARC-Message-Signature at i=1");
    expect_fail(
        "missing AS", [&](chain_text& c) { c.remove(as, 2); }, "no ARC-Seal at i=2");
    expect_fail(
        "missing AAR", [&](chain_text& c) { c.remove(aar, 1); },
        "no ARC-Authentication-Results at i=1");
    expect_fail(
        "AAR without i=", [&](chain_text& c) { c.replace(aar, 2, "i=2; ", ""); },
        "does not start with i=");
    expect_fail(
        "AAR i= without ';'", [&](chain_text& c) { c.replace(aar, 2, "i=2;", "i=2"); },
        "no ';' after i=");
    expect_fail(
        "AMS signing ARC-Seal", [&](chain_text& c) { c.replace(ams, 2, "; h=", "; h=arc-seal:"); },
        "h= lists ARC-Seal");
    expect_fail(
        "AS with h=", [&](chain_text& c) { c.replace(as, 2, "cv=", "h=from; cv="); },
        "has an h= tag");
    expect_fail(
        "AS without cv=", [&](chain_text& c) { c.replace(as, 1, "cv=none; ", ""); }, "missing cv=");
    expect_fail(
        "AS cv=bogus", [&](chain_text& c) { c.replace(as, 2, "cv=pass", "cv=maybe"); },
        "invalid cv=");
    expect_fail(
        "cv=pass at i=1", [&](chain_text& c) { c.replace(as, 1, "cv=none", "cv=pass"); },
        "expected cv=none");
    expect_fail(
        "cv=none at i=2", [&](chain_text& c) { c.replace(as, 2, "cv=pass", "cv=none"); },
        "expected cv=pass");
    expect_fail(
        "newest cv=fail", [&](chain_text& c) { c.replace(as, 2, "cv=pass", "cv=fail"); },
        "says cv=fail");
    expect_fail(
        "older cv=fail", [&](chain_text& c) { c.replace(as, 1, "cv=none", "cv=fail"); },
        "has cv=fail");
    expect_fail(
        "huge b=", [&](chain_text& c) { c.replace(as, 2, "b=", "b=" + big('A', 1 << 20)); },
        "ARC-Seal i=2");
    expect_fail(
        "million-character tag value",
        [&](chain_text& c) { c.replace(ams, 2, "; h=", "; z=" + big('x', 1000000) + "; h="); },
        "ARC-Message-Signature i=2");
    expect_fail(
        "million-character i=",
        [&](chain_text& c) { c.replace(as, 2, "i=2;", "i=" + big('9', 1000000) + ";"); },
        "invalid instance");
    expect_fail(
        "AMS b= not base64", [&](chain_text& c) { c.replace(ams, 2, "b=", "b=!!"); },
        "b= is not valid base64");
    expect_fail(
        "AMS bh= altered", [&](chain_text& c) { c.replace(ams, 2, "bh=", "bh=AAAA"); },
        "body hash did not verify");
    expect_fail(
        "AS a=rsa-sha1", [&](chain_text& c) { c.replace(as, 2, "a=rsa-sha256", "a=rsa-sha1"); },
        "cannot process");
    expect_fail(
        "AS a= unknown", [&](chain_text& c) { c.replace(as, 1, "a=rsa-sha256", "a=rot13-md5"); },
        "cannot process");
    expect_fail(
        "AS a= empty", [&](chain_text& c) { c.replace(as, 1, "a=rsa-sha256", "a="); },
        "missing a=");
    expect_fail(
        "AMS without d=", [&](chain_text& c) { c.replace(ams, 2, "d=hop2.test; ", ""); },
        "invalid d=");
    expect_fail(
        "AS without s=", [&](chain_text& c) { c.replace(as, 2, "s=rsa", "x=rsa"); }, "invalid s=");
    expect_fail(
        "AS d= not a domain",
        [&](chain_text& c) { c.replace(as, 2, "d=hop2.test", "d=hop2..test"); }, "invalid d=");
    expect_fail(
        "tag-list syntax", [&](chain_text& c) { c.replace(as, 2, "cv=pass;", "cv=pass;;"); },
        "ARC-Seal");
    expect_fail(
        "AS t= not a number", [&](chain_text& c) { c.replace(as, 2, "t=1767225600", "t=-1.5"); },
        "t= is not a number");
    expect_fail(
        "AMS expired", [&](chain_text& c) { c.replace(ams, 2, "t=1767225600", "t=1; x=2"); },
        "expired");
    expect_fail(
        "body modified", [&](chain_text& c) { c.body += "appended\r\n"; },
        "body hash did not verify");
    expect_fail(
        "signed header modified",
        [&](chain_text& c) {
            for (auto& h : c.headers)
                if (h.rfind("Subject:", 0) == 0) h = "Subject: changed";
        },
        "ARC-Message-Signature i=2: signature did not verify");
    expect_fail(
        "AS signature altered", [&](chain_text& c) { c.replace(as, 2, "b=", "b=AAAA"); },
        "ARC-Seal i=2: signature did not verify");
    expect_fail(
        "AAR altered (the newest seal covers it)",
        [&](chain_text& c) { c.replace(aar, 1, "arc=none", "arc=pass"); },
        "ARC-Seal i=2: signature did not verify");
    expect_fail(
        "two AMS, one AS",
        [&](chain_text& c) {
            c.duplicate(ams, 2);
            c.replace(ams, 2, "a=rsa-sha256", "a=ed25519-sha256");
        },
        "2 ARC-Message-Signature and 1 ARC-Seal fields at i=2");
    expect_fail(
        "AS and AMS algorithms do not pair",
        [&](chain_text& c) {
            c.duplicate(ams, 2);
            c.duplicate(as, 2);
            c.replace(ams, 2, "a=rsa-sha256", "a=ed25519-sha256");
            c.replace(as, 2, "a=rsa-sha256", "a=foo-sha256");
        },
        "has no ARC-Message-Signature of its algorithm");
    BOOST_TEST(cases >= 30u);
}

BOOST_FIXTURE_TEST_CASE(key_problems_fail, fixture) {
    auto m = *mail::parse_message(base.text());
    auto fresh = [&] { return static_zone(); };
    auto key = test_key(auth::dkim::key_type::rsa).public_key_base64();

    auto zone = fresh(); // no keys at all: NXDOMAIN, a permanent fail
    auto v = validate_message(m, zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(!v.temporary);

    zone = fresh(); // a DNS timeout: fail, marked temporary (RFC 8617 §5.2.1)
    zone.add("rsa._domainkey.hop1.test", rr_type::txt, "v=DKIM1; k=rsa; p=" + key);
    zone.simulate_timeout("rsa._domainkey.hop2.test");
    v = validate_message(m, zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(v.temporary);
    BOOST_TEST(v.reason.find("temporary") != std::string::npos, v.reason);

    zone = fresh(); // a revoked key
    zone.add("rsa._domainkey.hop1.test", rr_type::txt, "v=DKIM1; k=rsa; p=" + key);
    zone.add("rsa._domainkey.hop2.test", rr_type::txt, "v=DKIM1; k=rsa; p=");
    v = validate_message(m, zone, fixed_now);
    BOOST_TEST(v.reason.find("revoked") != std::string::npos, v.reason);

    zone = fresh(); // an Ed25519 key where rsa-sha256 is used
    zone.add("rsa._domainkey.hop1.test", rr_type::txt, "v=DKIM1; k=rsa; p=" + key);
    zone.add("rsa._domainkey.hop2.test", rr_type::txt,
             "v=DKIM1; k=ed25519; p=" +
                 test_key(auth::dkim::key_type::ed25519).public_key_base64());
    v = validate_message(m, zone, fixed_now);
    BOOST_TEST(v.reason.find("is ed25519, not rsa-sha256") != std::string::npos, v.reason);
}

// A broken chain is still sealed, with cv=fail, at the next instance (RFC 8617 §5.1.2).
BOOST_FIXTURE_TEST_CASE(structurally_broken_chain_is_sealed_as_failed, fixture) {
    auto c = base;
    c.remove("ARC-Authentication-Results", 1);
    auto m = *mail::parse_message(c.text());
    auto v = validate_message(m, b.zone, fixed_now);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(v.highest_instance == 2u);
    auto out = seal_message(m, v, "x.test; arc=fail", b.keys(3), fixed_now);
    BOOST_REQUIRE(out);
    BOOST_TEST(out->instance == 3u);
    BOOST_TEST(out->fields.size() == 5u);
    for (std::size_t k : {0u, 2u})
        BOOST_TEST(std::string(out->fields[k].value()).find("cv=fail") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace arc_test
