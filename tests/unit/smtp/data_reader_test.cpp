// Unit tests of smtp::data_reader: any split of the input gives the same result;
// defects and their priority (RFC 5321 2.3.8, 4.1.1.4, 4.5.2, 4.5.3.1.6).
#include <boost/test/unit_test.hpp>

#include "smtp/data_reader.hpp"

using namespace arcrelay::smtp;

BOOST_AUTO_TEST_SUITE(data_reader_test)

BOOST_AUTO_TEST_CASE(every_split_gives_the_same_message) {
    const std::string input = "a\r\n..b\r\n\r\nc.\r\n.\r\nNEXT";
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        data_reader r(1000, 1000);
        auto used = r.consume(std::string_view(input).substr(0, cut));
        if (!r.done()) used += r.consume(std::string_view(input).substr(cut));
        BOOST_TEST(r.done());
        BOOST_TEST(used == input.size() - 4); // "NEXT" is left for the command stream
        BOOST_TEST((r.defect() == data_defect::none));
        BOOST_TEST(r.take_message() == "a\r\n.b\r\n\r\nc.\r\n");
    }
}

BOOST_AUTO_TEST_CASE(crlf_split_across_reads_is_not_bare) {
    data_reader r(1000, 10);
    r.consume(std::string(20, 'x') + "\r"); // overlong line, CR at the end of the read
    r.consume("\n.\r\n");
    BOOST_TEST(r.done());
    BOOST_TEST((r.defect() == data_defect::line_too_long));
}

BOOST_AUTO_TEST_CASE(defect_priority) {
    data_reader r(10, 1000);
    r.consume("a\nb\rc\r\n0123456789012\r\n.\r\n");
    BOOST_TEST(r.done());
    BOOST_TEST((r.defect() == data_defect::too_big));
    BOOST_TEST(r.take_message().empty());
}

BOOST_AUTO_TEST_CASE(endless_line_stays_bounded) {
    data_reader r(1u << 20, 1000);
    for (int i = 0; i < 100; ++i)
        r.consume(std::string(10000, 'x'));
    r.consume("\r\n.\r\n");
    BOOST_TEST(r.done());
    BOOST_TEST((r.defect() == data_defect::line_too_long));
}

BOOST_AUTO_TEST_SUITE_END()
