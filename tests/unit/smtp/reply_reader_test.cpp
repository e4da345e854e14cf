// Unit tests of smtp::reply_reader / parse_reply (RFC 5321 4.2, RFC 2034 4).
#include <boost/test/unit_test.hpp>

#include "smtp/reply_reader.hpp"

using namespace arcrelay::smtp;

BOOST_AUTO_TEST_SUITE(reply_reader_test)

BOOST_AUTO_TEST_CASE(multi_line_reply_with_enhanced_codes) {
    auto r = parse_reply("250-2.0.0 first\r\n250 2.0.0 second\r\n");
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r->code == 250);
    BOOST_TEST((r->status == enhanced_code{2, 0, 0}));
    BOOST_TEST(r->lines == (std::vector<std::string>{"first", "second"}));
}

BOOST_AUTO_TEST_CASE(missing_enhanced_code_defaults_to_class) {
    auto r = parse_reply("550 no such user\r\n");
    BOOST_REQUIRE(r.ok());
    BOOST_TEST((r->status == enhanced_code{5, 0, 0}));
    BOOST_TEST(r->lines.front() == "no such user");
}

BOOST_AUTO_TEST_CASE(enhanced_code_of_other_class_is_text) {
    auto r = parse_reply("550 2.1.1 odd\r\n");
    BOOST_REQUIRE(r.ok());
    BOOST_TEST((r->status == enhanced_code{5, 0, 0}));
    BOOST_TEST(r->lines.front() == "2.1.1 odd");
}

BOOST_AUTO_TEST_CASE(bare_code_line) {
    auto r = parse_reply("250\r\n");
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r->lines.front().empty());
}

BOOST_AUTO_TEST_CASE(malformed_replies) {
    BOOST_TEST(!parse_reply("25 short\r\n").ok());
    BOOST_TEST(!parse_reply("650 bad class\r\n").ok());
    BOOST_TEST(!parse_reply("2x0 bad\r\n").ok());
    BOOST_TEST(!parse_reply("250_bad separator\r\n").ok());
    BOOST_TEST(!parse_reply("250-a\r\n251 b\r\n").ok());
    BOOST_TEST(!parse_reply("250-a\r\n").ok()); // never finished
}

BOOST_AUTO_TEST_CASE(incremental_reading) {
    reply_reader rr;
    rr.append("250-a\r\n25");
    BOOST_TEST(!rr.next().has_value());
    rr.append("0 b\r\n354 go\r\n");
    auto first = rr.next();
    BOOST_REQUIRE(first && first->ok());
    BOOST_TEST((*first)->lines.size() == 2u);
    auto second = rr.next();
    BOOST_REQUIRE(second && second->ok());
    BOOST_TEST((*second)->code == 354);
    BOOST_TEST(rr.empty());
}

BOOST_AUTO_TEST_CASE(overlong_line_is_malformed) {
    reply_reader rr;
    rr.append("250 " + std::string(reply_reader::max_line, 'x'));
    auto r = rr.next();
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(!r->ok());
}

BOOST_AUTO_TEST_CASE(too_many_lines_is_malformed) {
    std::string text;
    for (std::size_t i = 0; i < reply_reader::max_lines; ++i)
        text += "250-x\r\n";
    text += "250 x\r\n";
    BOOST_TEST(!parse_reply(text).ok());
}

BOOST_AUTO_TEST_SUITE_END()
