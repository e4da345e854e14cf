// Unit tests of smtp::reply formatting (RFC 5321 4.2.1) and RFC 3463 code parsing.
#include <boost/test/unit_test.hpp>

#include "smtp/reply.hpp"

using namespace arcrelay::smtp;

BOOST_AUTO_TEST_SUITE(reply_test)

BOOST_AUTO_TEST_CASE(single_line) {
    BOOST_TEST(format_reply(make_reply(550, {5, 1, 1}, "No such user")) ==
               "550 5.1.1 No such user\r\n");
}

BOOST_AUTO_TEST_CASE(multi_line_carries_code_on_every_line) {
    reply r = make_reply(451, {4, 3, 0}, "first");
    r.lines.push_back("second");
    BOOST_TEST(format_reply(r) == "451-4.3.0 first\r\n451 4.3.0 second\r\n");
}

BOOST_AUTO_TEST_CASE(without_status_on_wire) {
    reply r = make_reply(250, {2, 0, 0}, "mx");
    r.lines.push_back("PIPELINING");
    r.status_on_wire = false;
    BOOST_TEST(format_reply(r) == "250-mx\r\n250 PIPELINING\r\n");
}

BOOST_AUTO_TEST_CASE(fmt_formatter) {
    BOOST_TEST(fmt::format("{}", make_reply(452, {4, 5, 3}, "Too many")) == "452 4.5.3 Too many");
}

BOOST_AUTO_TEST_CASE(enhanced_code_parsing) {
    enhanced_code c;
    BOOST_TEST(parse_enhanced_code("5.7.26", c));
    BOOST_TEST((c == enhanced_code{5, 7, 26}));
    BOOST_TEST(!parse_enhanced_code("3.1.1", c));
    BOOST_TEST(!parse_enhanced_code("5.1", c));
    BOOST_TEST(!parse_enhanced_code("5.1.1000", c));
    BOOST_TEST(!parse_enhanced_code("5.x.1", c));
    BOOST_TEST(!parse_enhanced_code("5..1", c));
}

BOOST_AUTO_TEST_SUITE_END()
