// Tests for mail/tag_list (RFC 6376 §3.2).
#include "mail/tag_list.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

using namespace arcrelay::mail;

BOOST_AUTO_TEST_SUITE(tag_list_test)

BOOST_AUTO_TEST_CASE(parses_with_fws_and_trailing_semicolon) {
    auto t = parse_tag_list(" v=1;\r\n\ta=rsa-sha256 ; b = abc\r\n def ;  ");
    BOOST_REQUIRE(t);
    BOOST_TEST(t->tags().size() == 3u);
    BOOST_TEST(*t->get("a") == "rsa-sha256");
    BOOST_TEST(*t->get("b") == "abc\r\n def");
    BOOST_TEST(strip_whitespace(*t->get("b")) == "abcdef");
    BOOST_TEST(!t->get("B"));
}

BOOST_AUTO_TEST_CASE(empty_value_is_allowed) {
    auto t = parse_tag_list("p=; k=rsa");
    BOOST_REQUIRE(t);
    BOOST_TEST(t->get("p")->empty());
}

BOOST_AUTO_TEST_CASE(precise_errors) {
    auto dup = parse_tag_list("a=1; a=2");
    BOOST_REQUIRE(!dup);
    BOOST_TEST(dup.error().message == "duplicate tag 'a'");
    auto noeq = parse_tag_list("a=1; broken");
    BOOST_REQUIRE(!noeq);
    BOOST_TEST(noeq.error().message == "tag-spec 'broken' has no '='");
    auto badname = parse_tag_list("1a=1");
    BOOST_REQUIRE(!badname);
    BOOST_TEST(badname.error().message == "invalid tag name '1a'");
    auto badchar = parse_tag_list("a=x\x01y");
    BOOST_REQUIRE(!badchar);
    BOOST_TEST(badchar.error().message == "invalid character 0x01 in value of tag 'a'");
    BOOST_TEST(!parse_tag_list("a=1;;b=2"));
    BOOST_TEST(!parse_tag_list("=1"));
    BOOST_TEST(!parse_tag_list("a-b=1"));
}

BOOST_AUTO_TEST_CASE(colon_lists) {
    auto h = split_colon_list(" From : to:\r\n\tsubject::");
    BOOST_TEST(h == (std::vector<std::string>{"From", "to", "subject"}));
}

BOOST_AUTO_TEST_CASE(huge_value_is_linear) {
    std::string big = "b=" + std::string(1'000'000, 'A') + "; a=1";
    auto t = parse_tag_list(big);
    BOOST_REQUIRE(t);
    BOOST_TEST(t->get("b")->size() == 1'000'000u);
}

// Random values against the grammar spelled out byte by byte: a value is accepted exactly
// when every byte is VALCHAR (%x21-3A / %x3C-7E) or FWS, and strip_whitespace drops exactly
// the FWS bytes.
BOOST_AUTO_TEST_CASE(random_values_follow_the_grammar_byte_by_byte) {
    std::mt19937 rng(6376);
    const std::string alphabet = "AZaz09+/= \t\r\n;\x01\x7f\x80\xff~!";
    for (int round = 0; round < 20000; ++round) {
        std::string value;
        const auto length = rng() % 80;
        for (std::size_t i = 0; i < length; ++i)
            value +=
                rng() % 4 ? static_cast<char>('A' + rng() % 26) : alphabet[rng() % alphabet.size()];
        bool valid = true;
        std::string stripped;
        for (char ch : value) {
            const auto c = static_cast<unsigned char>(ch);
            const bool fws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!fws) stripped += ch;
            if (!fws && (c < 0x21 || c > 0x7e)) valid = false;
        }
        BOOST_REQUIRE_EQUAL(strip_whitespace(value), stripped);
        if (value.find(';') != std::string::npos) continue; // a separator, not a value byte
        auto t = parse_tag_list("v=1; b=" + value);
        BOOST_REQUIRE_MESSAGE(static_cast<bool>(t) == valid, "value: " << value);
        if (!t) continue;
        std::string_view trimmed = value;
        while (!trimmed.empty() &&
               std::string_view(" \t\r\n").find(trimmed.front()) != std::string_view::npos)
            trimmed.remove_prefix(1);
        while (!trimmed.empty() &&
               std::string_view(" \t\r\n").find(trimmed.back()) != std::string_view::npos)
            trimmed.remove_suffix(1);
        BOOST_REQUIRE_EQUAL(*t->get("b"), trimmed);
    }
}

BOOST_AUTO_TEST_CASE(many_tags_parse_past_the_reserved_room) {
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += "t" + std::to_string(i) + "=" + std::to_string(i) + "; ";
    auto t = parse_tag_list(text);
    BOOST_REQUIRE(t);
    BOOST_TEST(t->tags().size() == 40u);
    BOOST_TEST(*t->get("t39") == "39");
}

BOOST_AUTO_TEST_SUITE_END()
