// Tests for smtp/dot_stuffer: RFC 5321 4.5.2 transparency in bounded pieces.
#include "smtp/dot_stuffer.hpp"

#include <boost/test/unit_test.hpp>

using arcrelay::smtp::dot_stuffer;

namespace {
std::string stuff(std::string_view message, std::size_t piece, std::size_t* largest = nullptr) {
    dot_stuffer s(message);
    std::string out;
    while (!s.done()) {
        const auto p = s.next(piece);
        if (largest && p.size() > *largest) *largest = p.size();
        out.append(p);
    }
    return out;
}
} // namespace

BOOST_AUTO_TEST_SUITE(dot_stuffer_test)

BOOST_AUTO_TEST_CASE(leading_dots_are_doubled_and_the_end_is_marked) {
    BOOST_TEST(stuff("a\r\n.b\r\n..\r\n.\r\n", 1000) == "a\r\n..b\r\n...\r\n..\r\n.\r\n");
    BOOST_TEST(stuff(".first\r\nx.y\r\n", 1000) == "..first\r\nx.y\r\n.\r\n");
    BOOST_TEST(stuff("no final line end", 1000) == "no final line end\r\n.\r\n");
    BOOST_TEST(stuff("", 1000) == ".\r\n");
}

BOOST_AUTO_TEST_CASE(any_piece_size_gives_the_same_bytes_in_bounded_pieces) {
    std::string message;
    for (int i = 0; i < 500; ++i)
        message += (i % 3 == 0 ? "." : "") + std::string(i % 90, 'x') + "\r\n";
    const std::string whole = stuff(message, message.size() * 2);
    for (std::size_t piece : {1, 2, 7, 64, 1000, 4096}) {
        std::size_t largest = 0;
        BOOST_TEST(stuff(message, piece, &largest) == whole, "piece " << piece);
        BOOST_TEST(largest <= piece + 2 * 90 + 8); // at most one line beyond the piece
    }
}

BOOST_AUTO_TEST_SUITE_END()
