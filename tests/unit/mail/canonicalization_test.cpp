// Tests for mail/canonicalization: RFC 6376 §3.4.5 examples, edge cases, split invariance.
#include "mail/canonicalization.hpp"
#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::mail;

namespace {
// RFC 6376 §3.4.5 example message.
const std::string example_headers = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
const std::string example_body = " C \r\nD \t E\r\n\r\n\r\n";

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
