// Tests for mail/message: lossless parsing, limits, errors with line numbers.
#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::mail;

BOOST_AUTO_TEST_SUITE(message_test)

BOOST_AUTO_TEST_CASE(round_trip_is_byte_exact) {
    const std::string raw = "From: a@example.com\r\nSubject:  folded\r\n\tcontinued \r\n"
                            "X-Odd :value\r\n\r\nbody line\r\n\r\n";
    auto m = parse_message(raw);
    BOOST_REQUIRE(m);
    BOOST_TEST(m->headers().size() == 3u);
    BOOST_TEST(m->headers()[1].raw() == "Subject:  folded\r\n\tcontinued \r\n");
    BOOST_TEST(m->headers()[1].value() == "  folded\r\n\tcontinued ");
    BOOST_TEST(m->headers()[2].name() == "X-Odd");
    BOOST_TEST(m->body() == "body line\r\n\r\n");
    BOOST_TEST(m->serialise() == raw);
}

BOOST_AUTO_TEST_CASE(header_only_message) {
    auto m = parse_message("From: a@example.com\r\n");
    BOOST_REQUIRE(m);
    BOOST_TEST(!m->has_separator());
    BOOST_TEST(m->serialise() == "From: a@example.com\r\n");
}

BOOST_AUTO_TEST_CASE(fields_are_case_insensitive_and_ordered) {
    auto m = parse_message("dkim-signature: 1\r\nX: y\r\nDKIM-Signature: 2\r\n\r\n");
    BOOST_REQUIRE(m);
    auto f = m->fields("DKIM-SIGNATURE");
    BOOST_REQUIRE(f.size() == 2u);
    BOOST_TEST(f[0]->value() == " 1");
    BOOST_TEST(m->count("x") == 1u);
    m->prepend(header_field::make("Authentication-Results", "example.org; none"));
    BOOST_TEST(m->headers().front().raw() == "Authentication-Results: example.org; none\r\n");
    BOOST_TEST(m->remove_if([](const header_field& h) { return h.is("x"); }) == 1u);
}

BOOST_AUTO_TEST_CASE(errors_carry_line_numbers) {
    auto bad = parse_message("From: a\r\nnot a header\r\n\r\n");
    BOOST_REQUIRE(!bad);
    BOOST_TEST(bad.error().line == 2u);
    auto cont = parse_message(" leading continuation\r\n\r\n");
    BOOST_REQUIRE(!cont);
    BOOST_TEST(cont.error().line == 1u);
    auto lf = parse_message("From: a\r\nTo: b\n\r\n");
    BOOST_REQUIRE(!lf);
    BOOST_TEST(lf.error().message == "bare LF in header block");
    BOOST_TEST(lf.error().line == 2u);
    auto cr = parse_message("From: a\rb\r\n\r\n");
    BOOST_REQUIRE(!cr);
    BOOST_TEST(cr.error().message == "bare CR in header block");
    BOOST_TEST(!parse_message(": no name\r\n\r\n"));
    BOOST_TEST(!parse_message("From: unterminated"));
}

BOOST_AUTO_TEST_CASE(limits_are_enforced) {
    message_limits limits;
    limits.max_header_fields = 3;
    std::string four = "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
    auto r = parse_message(four, limits);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().message == "more than 3 header fields");
    BOOST_TEST(parse_message("A: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits));

    std::string long_line = "Subject: " + std::string(1000, 'x') + "\r\n\r\n";
    auto l = parse_message(long_line);
    BOOST_REQUIRE(!l);
    BOOST_TEST(l.error().message == "header line longer than 1000 bytes");

    std::string big;
    for (int i = 0; i < 20000; ++i)
        big += "X-Filler: " + std::string(60, 'y') + "\r\n";
    message_limits many;
    many.max_header_fields = 100000;
    auto b = parse_message(big + "\r\n", many);
    BOOST_REQUIRE(!b);
    BOOST_TEST(b.error().message == "header block larger than 1048576 bytes");
}

BOOST_AUTO_TEST_CASE(line_endings_normalised_only_where_bare) {
    BOOST_TEST(normalize_line_endings("a\nb\r\nc\n") == "a\r\nb\r\nc\r\n");
    BOOST_TEST(normalize_line_endings("no newline") == "no newline");
    BOOST_TEST(normalize_line_endings("\n") == "\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
