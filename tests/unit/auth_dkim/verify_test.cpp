// Tests for auth/dkim verify and sign: RFC 8463 Appendix A, round trips, and a catalogue of
// malformed signatures and key records, each with its result code and reason.
#include "auth/dkim/sign.hpp"
#include "auth/dkim/verify.hpp"
#include "dkim_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>

using namespace arcrelay;
using namespace arcrelay::auth::dkim;
using namespace dkim_test;

namespace {

verify_options at(std::uint64_t now) {
    verify_options o;
    o.now = now;
    return o;
}

std::string sign_base(const std::string& text, algorithm a = algorithm::rsa_sha256,
                      std::function<void(signer&)> tweak = {}) {
    signer s;
    s.alg = a;
    s.domain = "example.com";
    s.selector = a == algorithm::rsa_sha256 ? "rsa2026" : "ed2026";
    s.key = load_key(a == algorithm::rsa_sha256 ? "example.com.rsa2026.rsa.pem"
                                                : "example.com.ed2026.ed25519.pem");
    if (tweak) tweak(s);
    auto m = parse(text);
    auto field = sign_dkim(m, s, signing_time);
    BOOST_REQUIRE_MESSAGE(field, field);
    return field->raw() + text;
}

std::vector<verification> verify_text(const std::string& text, dns::resolver& r,
                                      std::uint64_t now = signing_time + 60) {
    return verify_dkim(parse(text), r, at(now));
}

} // namespace

BOOST_AUTO_TEST_SUITE(verify_test)

BOOST_AUTO_TEST_CASE(rfc8463_appendix_a_both_signatures_pass) {
    auto zone = test_zone();
    auto results = verify_text(read_file(data_path("rfc8463-appendix-a.eml")), zone, 1528637909);
    BOOST_REQUIRE(results.size() == 2u);
    for (const auto& r : results) {
        BOOST_TEST(result_name(r.result) == "pass", r.algorithm << ": " << r.reason);
        BOOST_TEST(r.domain == "football.example.com");
        BOOST_TEST(r.identity == "@football.example.com");
    }
    BOOST_TEST(results[0].algorithm == "ed25519-sha256");
    BOOST_TEST(results[0].selector == "brisbane");
    BOOST_TEST(results[0].b_prefix == "/gCrinpc");
    BOOST_TEST(results[1].algorithm == "rsa-sha256");
    BOOST_TEST(results[1].key_bits == 1024u);
}

BOOST_AUTO_TEST_CASE(round_trip_both_algorithms_and_canonicalizations) {
    auto zone = test_zone();
    using mail::canonicalization;
    for (auto a : {algorithm::rsa_sha256, algorithm::ed25519_sha256})
        for (auto h : {canonicalization::simple, canonicalization::relaxed})
            for (auto b : {canonicalization::simple, canonicalization::relaxed}) {
                auto signed_text = sign_base(base_message, a, [&](signer& s) {
                    s.header_canon = h;
                    s.body_canon = b;
                });
                auto r = verify_text(signed_text, zone);
                BOOST_REQUIRE(r.size() == 1u);
                BOOST_TEST(result_name(r[0].result) == "pass", r[0].reason);
            }
}

BOOST_AUTO_TEST_CASE(signature_is_folded_and_oversigns) {
    auto signed_text = sign_base(base_message);
    auto m = parse(signed_text);
    const auto& field = m.headers().front().raw();
    std::size_t start = 0;
    while (start < field.size()) {
        auto end = field.find("\r\n", start);
        BOOST_TEST(end - start <= 78u, "line too long: " << field.substr(start, end - start));
        start = end + 2;
    }
    // From is present once and oversigned, so h= names it twice.
    BOOST_TEST(field.find("h=From:From:") != std::string::npos, field);
    // Adding a second From after signing breaks the signature (the point of oversigning).
    auto zone = test_zone();
    auto tampered = signed_text;
    tampered.insert(tampered.find("From: Alice"), "From: mallory@evil.example\r\n");
    BOOST_TEST(result_name(verify_text(tampered, zone)[0].result) == "fail");
}

BOOST_AUTO_TEST_CASE(every_signature_gets_its_own_result) {
    auto zone = test_zone();
    auto twice = sign_base(sign_base(base_message), algorithm::ed25519_sha256);
    auto tampered = twice;
    tampered.replace(tampered.find("Hello list"), 5, "HELLO");
    auto r = verify_text(twice, zone);
    BOOST_REQUIRE(r.size() == 2u);
    BOOST_TEST(result_name(r[0].result) == "pass");
    BOOST_TEST(result_name(r[1].result) == "pass");
    r = verify_text(tampered, zone);
    BOOST_TEST(result_name(r[0].result) == "fail");
    BOOST_TEST(r[0].reason == "body hash did not verify");
    BOOST_TEST(result_name(r[1].result) == "fail");
}

BOOST_AUTO_TEST_CASE(length_tag_limits_the_body) {
    auto zone = test_zone();
    // Sign with l= by hand: body length of the relaxed canonical body.
    std::string body_part = base_message.substr(base_message.find("\r\n\r\n") + 4);
    auto canon_len = mail::canonicalize_body(body_part, mail::canonicalization::relaxed).size();
    auto signed_text = sign_base(base_message);
    // A message signed without l= does not survive an appended footer ...
    auto footer = signed_text + "-- \r\nlist footer\r\n";
    BOOST_TEST(result_name(verify_text(footer, zone)[0].result) == "fail");
    // ... while the l= path is checked by verifying dkimpy's l= signatures (interop test)
    // and by refusing an l= beyond the body:
    auto bad = signed_text;
    bad.replace(bad.find("v=1;"), 4, "v=1; l=" + std::to_string(canon_len + 1) + ";");
    auto r = verify_text(bad, zone);
    BOOST_TEST(result_name(r[0].result) == "permerror");
    BOOST_TEST(r[0].reason.find("is longer than the body") != std::string::npos, r[0].reason);
}

BOOST_AUTO_TEST_CASE(no_signature_means_no_results) {
    auto zone = test_zone();
    BOOST_TEST(verify_text(base_message, zone).empty());
}

BOOST_AUTO_TEST_CASE(signature_limit_is_enforced) {
    auto zone = test_zone();
    auto text = base_message;
    for (int i = 0; i < 3; ++i)
        text = sign_base(text);
    verify_options o = at(signing_time);
    o.max_signatures = 2;
    auto r = verify_dkim(parse(text), zone, o);
    BOOST_REQUIRE(r.size() == 3u);
    BOOST_TEST(result_name(r[2].result) == "neutral");
    BOOST_TEST(r[2].reason == "not verified: more than 2 signatures");
}

// The malformed catalogue: each case edits a freshly signed message (field text) and/or
// the zone, and names the result and a part of the reason it must give.
struct malformed_case {
    const char* name;
    std::function<void(std::string& field)> edit_field;
    std::function<void(dns::static_zone&)> edit_zone;
    const char* result;
    const char* reason;
    std::uint64_t now = signing_time + 60;
};

void replace(std::string& s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "'" << from << "' not in " << s);
    s.replace(pos, from.size(), to);
}

std::string tag_value(const std::string& field, const std::string& tag) {
    auto pos = field.find(" " + tag + "=");
    if (pos == std::string::npos) pos = field.find("\t" + tag + "=");
    BOOST_REQUIRE(pos != std::string::npos);
    auto start = pos + tag.size() + 2;
    auto end = std::min(field.find(';', start), field.size() - 2); // not the final CRLF
    return field.substr(start, end - start);
}

void drop_tag(std::string& f, const std::string& tag) {
    auto value = tag_value(f, tag);
    replace(f,
            tag + "=" + value + (f.find(tag + "=" + value + ";") != std::string::npos ? ";" : ""),
            "");
}

const std::string sel = "rsa2026._domainkey.example.com";
const std::string rsa512 = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALQfWR+jcn/EP2krNVKc57gavzELoM3McjGD"
                           "R8NpXQ+ArrUhJBd508IKwP86snl1UgSPjfLVRKrY0s0SIVciOVUCAwEAAQ==";

void fresh_key(dns::static_zone& z, const std::string& record) {
    // A new zone answering `record` for the selector, replacing the one from zone.txt.
    dns::static_zone fresh;
    fresh.add(sel, dns::rr_type::txt, record);
    z = std::move(fresh);
}

std::string valid_p() {
    auto zone = test_zone();
    auto a = zone.resolve_one({sel, dns::rr_type::txt});
    auto rec = a.records.at(0);
    return rec.substr(rec.find("p=") + 2);
}

BOOST_AUTO_TEST_CASE(malformed_signatures_and_keys) {
    const std::string p = valid_p();
    std::vector<malformed_case> cases{
        {"missing v", [](auto& f) { replace(f, "v=1; ", ""); }, {}, "permerror", "missing v= tag"},
        {"v=2",
         [](auto& f) { replace(f, "v=1;", "v=2;"); },
         {},
         "permerror",
         "unsupported version"},
        {"missing a",
         [](auto& f) { replace(f, "a=rsa-sha256; ", ""); },
         {},
         "permerror",
         "missing a= tag"},
        {"missing b", [](auto& f) { drop_tag(f, "b"); }, {}, "permerror", "missing b= tag"},
        {"missing bh", [](auto& f) { drop_tag(f, "bh"); }, {}, "permerror", "missing bh= tag"},
        {"missing d",
         [](auto& f) { replace(f, "d=example.com;", ""); },
         {},
         "permerror",
         "missing d= tag"},
        {"missing h", [](auto& f) { drop_tag(f, "h"); }, {}, "permerror", "missing h= tag"},
        {"missing s",
         [](auto& f) { replace(f, "s=rsa2026;", ""); },
         {},
         "permerror",
         "missing s= tag"},
        {"duplicate d",
         [](auto& f) { replace(f, "d=example.com;", "d=example.com; d=example.com;"); },
         {},
         "permerror",
         "duplicate tag 'd'"},
        {"b not base64",
         [](auto& f) { replace(f, "b=" + tag_value(f, "b").substr(0, 4), "b=!!!!"); },
         {},
         "permerror",
         "b= is not valid base64"},
        {"bh not base64",
         [](auto& f) { replace(f, "bh=", "bh=*"); },
         {},
         "permerror",
         "bh= is not valid base64"},
        {"unknown algorithm",
         [](auto& f) { replace(f, "a=rsa-sha256", "a=rsa-md5"); },
         {},
         "permerror",
         "unsupported algorithm rsa-md5"},
        {"rsa-sha1",
         [](auto& f) { replace(f, "a=rsa-sha256", "a=rsa-sha1"); },
         {},
         "policy",
         "RFC 8301"},
        {"unknown c=",
         [](auto& f) { replace(f, "c=relaxed/relaxed", "c=bogus/relaxed"); },
         {},
         "permerror",
         "unknown canonicalization"},
        {"From not signed",
         [](auto& f) { replace(f, "h=From:From:", "h="); },
         {},
         "permerror",
         "h= does not include From"},
        {"i= outside d=",
         [](auto& f) { replace(f, "v=1;", "v=1; i=@evil.example;"); },
         {},
         "permerror",
         "i= domain is not d="},
        {"i= without @",
         [](auto& f) { replace(f, "v=1;", "v=1; i=example.com;"); },
         {},
         "permerror",
         "i= has no '@'"},
        {"l= not a number",
         [](auto& f) { replace(f, "v=1;", "v=1; l=12a;"); },
         {},
         "permerror",
         "l= is not a number"},
        {"x before t",
         [](auto& f) { replace(f, "v=1;", "v=1; x=1000;"); },
         {},
         "permerror",
         "x= is before t="},
        {"expired",
         [](auto& f) { replace(f, "v=1;", "v=1; x=1767225700;"); },
         {},
         "permerror",
         "signature expired",
         signing_time + 1000},
        {"t= in the future", {}, {}, "permerror", "is in the future", signing_time - 3600},
        {"q= not dns/txt",
         [](auto& f) { replace(f, "v=1;", "v=1; q=http/well-known;"); },
         {},
         "permerror",
         "unsupported query method"},
        {"bad tag list",
         [](auto& f) { replace(f, "v=1;", "v=1; garbage;"); },
         {},
         "permerror",
         "has no '='"},
        {"key NXDOMAIN",
         {},
         [](auto& z) { z = dns::static_zone{}; },
         "permerror",
         "no key record at rsa2026._domainkey.example.com"},
        {"key timeout",
         {},
         [](auto& z) { z.simulate_timeout(sel); },
         "temperror",
         "failed temporarily"},
        {"key SERVFAIL",
         {},
         [](auto& z) { z.simulate_servfail(sel); },
         "temperror",
         "failed temporarily"},
        {"key unknown k=",
         {},
         [&](auto& z) { fresh_key(z, "v=DKIM1; k=dsa; p=" + p); },
         "permerror",
         "unknown key type k=dsa"},
        {"key bad base64",
         {},
         [](auto& z) { fresh_key(z, "v=DKIM1; k=rsa; p=%%%%"); },
         "permerror",
         "not valid base64"},
        {"key revoked",
         {},
         [](auto& z) { fresh_key(z, "v=DKIM1; k=rsa; p="); },
         "permerror",
         "key revoked"},
        {"key v=DKIM2",
         {},
         [&](auto& z) { fresh_key(z, "v=DKIM2; p=" + p); },
         "permerror",
         "is not DKIM1"},
        {"key v not first",
         {},
         [&](auto& z) { fresh_key(z, "k=rsa; v=DKIM1; p=" + p); },
         "permerror",
         "v= is not the first tag"},
        {"key without p",
         {},
         [](auto& z) { fresh_key(z, "v=DKIM1; k=rsa"); },
         "permerror",
         "no p= tag"},
        {"key 512 bits",
         {},
         [](auto& z) { fresh_key(z, "v=DKIM1; k=rsa; p=" + rsa512); },
         "permerror",
         "under the 1024-bit minimum"},
        {"key s=tlsrpt",
         {},
         [&](auto& z) { fresh_key(z, "v=DKIM1; s=tlsrpt; p=" + p); },
         "permerror",
         "s= does not include email"},
        {"key h=sha1",
         {},
         [&](auto& z) { fresh_key(z, "v=DKIM1; h=sha1; p=" + p); },
         "permerror",
         "h= does not allow"},
        {"key is ed25519",
         {},
         [](auto& z) {
             fresh_key(z, "v=DKIM1; k=ed25519; p=RQdSidyrCeeK/oIZbaKt/UNs0Uqn6aSP7TSxDhpMKWM=");
         },
         "permerror",
         "does not match a=rsa-sha256"},
        {"key not a key",
         {},
         [](auto& z) { fresh_key(z, "v=DKIM1; p=AAAAAAAA"); },
         "permerror",
         "undecodable public key"},
        {"key record garbage",
         {},
         [](auto& z) { fresh_key(z, "this is not a key record"); },
         "permerror",
         "key record:"},
        {"i= added after signing",
         [](auto& f) { replace(f, "v=1;", "v=1; i=@sub.example.com;"); },
         {},
         "fail",
         "signature did not verify"},
        {"wrong key",
         {},
         [](auto& z) {
             auto k = generate_private_key(key_type::rsa, 1024);
             fresh_key(z, "v=DKIM1; p=" + k->public_key_base64());
         },
         "fail",
         "signature did not verify"},
        {"b= tampered",
         [](auto& f) {
             auto b = tag_value(f, "b");
             replace(f, "b=" + b.substr(0, 6),
                     "b=" + std::string(b[0] == 'A' ? "B" : "A") + b.substr(1, 5));
         },
         {},
         "fail",
         "signature did not verify"},
        {"huge b= (600 KB, folded)",
         [](auto& f) {
             std::string big;
             for (int i = 0; i < 8000; ++i)
                 big += std::string(72, 'A') + "\r\n\t";
             replace(f, "b=", "b=" + big);
         },
         {},
         "fail",
         "signature did not verify"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("case: " << c.name) {
            auto zone = test_zone();
            auto signed_text = sign_base(base_message);
            auto end = signed_text.find("\r\nFrom: Alice");
            std::string field = signed_text.substr(0, end + 2);
            if (c.edit_field) c.edit_field(field);
            if (c.edit_zone) c.edit_zone(zone);
            auto start = std::chrono::steady_clock::now();
            auto r = verify_dkim(parse(field + signed_text.substr(end + 2)), zone, at(c.now));
            bool bounded = std::chrono::steady_clock::now() - start < std::chrono::seconds(5);
            BOOST_TEST(bounded);
            BOOST_REQUIRE(r.size() == 1u);
            BOOST_TEST(result_name(r[0].result) == c.result, r[0].reason);
            BOOST_TEST(r[0].reason.find(c.reason) != std::string::npos,
                       "reason '" << r[0].reason << "' lacks '" << c.reason << "'");
        }
    }
    BOOST_TEST(cases.size() >= 30u);
}

BOOST_AUTO_TEST_CASE(strict_identity_key_rejects_subdomain_identity) {
    // t=s in the key forbids an i= subdomain of d= (RFC 6376 §3.6.1).
    const std::string p = valid_p();
    auto text = sign_base(base_message, algorithm::rsa_sha256,
                          [](signer& s) { s.identity = "list@sub.example.com"; });
    dns::static_zone loose;
    loose.add(sel, dns::rr_type::txt, "v=DKIM1; p=" + p);
    auto r = verify_text(text, loose);
    BOOST_TEST(result_name(r[0].result) == "pass", r[0].reason);
    BOOST_TEST(r[0].identity == "list@sub.example.com");
    dns::static_zone strict;
    strict.add(sel, dns::rr_type::txt, "v=DKIM1; t=s; p=" + p);
    r = verify_text(text, strict);
    BOOST_TEST(result_name(r[0].result) == "permerror");
    BOOST_TEST(r[0].reason == "key t=s forbids an i= subdomain of d=");
}

BOOST_AUTO_TEST_CASE(one_megabyte_header_is_refused_by_the_parser) {
    std::string big =
        "DKIM-Signature: v=1; b=" + std::string(1024 * 1024, 'A') + "\r\n" + base_message;
    auto m = mail::parse_message(big);
    BOOST_TEST(!m); // over the header line and header block limits
}

BOOST_AUTO_TEST_SUITE_END()
