// Tests for mail/canonicalization: RFC 6376 §3.4.5 examples, edge cases, split invariance.
#include "mail/canonicalization.hpp"
#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace arcrelay::mail;

namespace {
// RFC 6376 §3.4.5 example message.
const std::string example_headers = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
const std::string example_body = " C \r\nD \t E\r\n\r\n\r\n";

// RFC 6376 §3.4.3 / §3.4.4 spelled out line by line, as plainly as possible, to check the
// streaming canonicalizer (which takes shortcuts for speed) against.
std::string reference_body(const std::string& body, canonicalization c) {
    std::vector<std::string> lines; // split at CRLF; a bare CR or LF stays inside its line
    std::string current;
    bool unterminated = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') {
            lines.push_back(current);
            current.clear();
            ++i;
        } else {
            current += body[i];
        }
    }
    if (!current.empty()) {
        lines.push_back(current);
        unterminated = true;
    }
    if (c == canonicalization::relaxed) {
        for (auto& line : lines) {
            std::string out;
            bool in_wsp = false;
            for (char ch : line) {
                if (ch == ' ' || ch == '\t') {
                    in_wsp = true;
                    continue;
                }
                if (in_wsp) out += ' ';
                in_wsp = false;
                out += ch;
            }
            line = out; // a trailing WSP run is dropped
        }
    }
    (void)unterminated; // an unterminated last line gets its CRLF like any other
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    std::string out;
    for (const auto& line : lines)
        out += line + "\r\n";
    if (out.empty() && c == canonicalization::simple) out = "\r\n";
    return out;
}

std::string canon_headers(canonicalization c) {
    auto m = parse_message(example_headers + "\r\n" + example_body);
    std::string out;
    for (const auto& f : m->headers())
        append_canonical_header(out, f.raw(), c);
    return out;
}
} // namespace

BOOST_AUTO_TEST_SUITE(canonicalization_test)

BOOST_AUTO_TEST_CASE(rfc6376_3_4_5_relaxed) {
    BOOST_TEST(canon_headers(canonicalization::relaxed) == "a:X\r\nb:Y Z\r\n");
    BOOST_TEST(canonicalize_body(example_body, canonicalization::relaxed) == " C\r\nD E\r\n");
}

BOOST_AUTO_TEST_CASE(rfc6376_3_4_5_simple) {
    BOOST_TEST(canon_headers(canonicalization::simple) == example_headers);
    BOOST_TEST(canonicalize_body(example_body, canonicalization::simple) == " C \r\nD \t E\r\n");
}

BOOST_AUTO_TEST_CASE(empty_and_unterminated_bodies) {
    BOOST_TEST(canonicalize_body("", canonicalization::simple) == "\r\n");
    BOOST_TEST(canonicalize_body("", canonicalization::relaxed) == "");
    BOOST_TEST(canonicalize_body("\r\n\r\n", canonicalization::simple) == "\r\n");
    BOOST_TEST(canonicalize_body("\r\n\r\n", canonicalization::relaxed) == "");
    BOOST_TEST(canonicalize_body(" \t \r\n", canonicalization::relaxed) == "");
    BOOST_TEST(canonicalize_body("abc", canonicalization::simple) == "abc\r\n");
    BOOST_TEST(canonicalize_body("abc  ", canonicalization::relaxed) == "abc\r\n");
    BOOST_TEST(canonicalize_body("a\r\n\r\nb\r\n", canonicalization::relaxed) == "a\r\n\r\nb\r\n");
    BOOST_TEST(canonicalize_body("a\rb\r\n", canonicalization::simple) == "a\rb\r\n");
    BOOST_TEST(canonicalize_body("a\r", canonicalization::simple) == "a\r\r\n");
}

BOOST_AUTO_TEST_CASE(relaxed_header_edge_cases) {
    std::string out;
    append_canonical_header(out, "SUBJECT:\r\n  \r\n", canonicalization::relaxed);
    BOOST_TEST(out == "subject:\r\n");
    out.clear();
    append_canonical_header(out, "ARC-Seal:i=3; a=rsa\r\n", canonicalization::relaxed);
    BOOST_TEST(out == "arc-seal:i=3; a=rsa\r\n");
}

// §3.4.2 spelled out as five plain steps, to hold append_canonical_header (which writes in
// place, in one pass) to; appending keeps what `out` already held.
std::string reference_header(std::string_view raw) {
    std::string field(raw);
    if (field.ends_with("\r\n")) field.resize(field.size() - 2);
    const auto colon = field.find(':');
    std::string name = field.substr(0, colon), value;
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.pop_back();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (colon != std::string::npos) {
        for (char ch : field.substr(colon + 1)) // unfold, then every WSP run is one SP
            if (ch != '\r' && ch != '\n') {
                const bool wsp = ch == ' ' || ch == '\t';
                if (!(wsp && !value.empty() && value.back() == ' ')) value += wsp ? ' ' : ch;
            }
        if (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (!value.empty() && value.back() == ' ') value.pop_back();
    }
    return name + ":" + value + "\r\n";
}

BOOST_AUTO_TEST_CASE(random_header_fields_match_the_reference) {
    std::mt19937 rng(642);
    // Long pieces too (a b= value's base64), so the vector scan's blocks are crossed.
    const std::string pieces[] = {"a",
                                  "B",
                                  "Subject",
                                  ":",
                                  " ",
                                  "  ",
                                  "\t",
                                  "\r\n ",
                                  "\r\n\t",
                                  "x y",
                                  "\r",
                                  "\n",
                                  "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
                                  "i=2; a=rsa-sha256; c=relaxed/relaxed; d=lists.example.org"};
    for (int round = 0; round < 20000; ++round) {
        std::string raw;
        for (int k = rng() % 24; k > 0; --k)
            raw += pieces[rng() % std::size(pieces)];
        if (rng() % 2) raw += "\r\n";
        std::string out = "kept;";
        append_canonical_header(out, raw, canonicalization::relaxed);
        BOOST_TEST_CONTEXT("raw \"" << raw << "\"") {
            BOOST_TEST(out == "kept;" + reference_header(raw));
        }
    }
}

BOOST_AUTO_TEST_CASE(any_split_gives_the_same_hash) {
    const std::string body = "line one  \r\n\t indented\r\n\r\nbare\rcr \r\n \r\n\r\n\r\n";
    for (auto c : {canonicalization::simple, canonicalization::relaxed}) {
        for (std::optional<std::uint64_t> limit :
             {std::optional<std::uint64_t>{}, std::optional<std::uint64_t>{7}}) {
            body_hasher whole(c, limit);
            whole.update(body);
            auto expected = whole.finish();
            for (std::size_t a = 0; a <= body.size(); ++a) {
                for (std::size_t b = a; b <= body.size(); ++b) {
                    body_hasher split(c, limit);
                    split.update(std::string_view(body).substr(0, a));
                    split.update(std::string_view(body).substr(a, b - a));
                    split.update(std::string_view(body).substr(b));
                    BOOST_TEST((split.finish() == expected), "split at " << a << "," << b);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(random_bodies_match_the_reference) {
    // Bodies made of the bytes canonicalization cares about, long enough for the eight-byte
    // scan, fed whole and in random pieces.
    std::mt19937 rng(6376);
    const std::string alphabet = "ab  \t\r\n\r\nxyz";
    for (int round = 0; round < 3000; ++round) {
        std::string body(rng() % 80, 'x');
        for (auto& ch : body)
            ch = alphabet[rng() % alphabet.size()];
        if (round % 3 == 0) body = "word one two three four five six seven\r\n" + body;
        if (round % 2 == 1) { // mostly canonical text with a rare oddity (long clean runs)
            body.clear();
            const char* odd[] = {"  ", "\t", " \r\n", "\r\n\r\n", "\r", "\n", "\r\n "};
            while (body.size() < 300 + rng() % 1500) {
                body += "word";
                const auto r = rng() % 100;
                body += r < 70 ? " " : r < 92 ? "\r\n" : odd[rng() % std::size(odd)];
            }
            if (rng() % 2) body += "\r\n\r\n";
        }
        for (auto c : {canonicalization::simple, canonicalization::relaxed}) {
            const std::string expected = reference_body(body, c);
            BOOST_TEST_CONTEXT(
                "round " << round << (c == canonicalization::simple ? " simple" : " relaxed")) {
                BOOST_TEST(canonicalize_body(body, c) == expected);
                std::string streamed;
                body_canonicalizer bc(c, [&](std::string_view s) { streamed.append(s); });
                for (std::size_t at = 0; at < body.size();) {
                    const std::size_t n = std::min<std::size_t>(1 + rng() % 12, body.size() - at);
                    bc.update(std::string_view(body).substr(at, n));
                    at += n;
                }
                bc.finish();
                BOOST_TEST(streamed == expected);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(byte_by_byte_matches_one_shot) {
    std::string body;
    for (int i = 0; i < 300; ++i)
        body += std::string(i % 7, ' ') + "word\t" + std::to_string(i) + " \r\n";
    body += "\r\n\r\n";
    for (auto c : {canonicalization::simple, canonicalization::relaxed}) {
        std::string streamed;
        body_canonicalizer bc(c, [&](std::string_view s) { streamed.append(s); });
        for (char ch : body)
            bc.update(std::string_view(&ch, 1));
        bc.finish();
        BOOST_TEST(streamed == canonicalize_body(body, c));
    }
}

BOOST_AUTO_TEST_CASE(length_limit_and_canonical_length) {
    body_hasher h(canonicalization::relaxed, 3);
    h.update("abcdef\r\n");
    auto limited = h.finish();
    BOOST_TEST(h.canonical_length() == 8u);
    BOOST_TEST((limited == sha256("abc")));
    body_hasher full(canonicalization::relaxed, std::nullopt);
    full.update("abcdef\r\n");
    BOOST_TEST((full.finish() == sha256("abcdef\r\n")));
}

BOOST_AUTO_TEST_SUITE_END()
