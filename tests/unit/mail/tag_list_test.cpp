// Tests for mail/tag_list (RFC 6376 §3.2).
#include "mail/tag_list.hpp"

#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_SUITE_END()
