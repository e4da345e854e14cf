// Tests for mail/relaxed_scan: both vector widths give, for every body or header value and
// starting byte, exactly the answer of a byte-by-byte spelling of the same rule (RFC 6376
// §3.4.4 for bodies, §3.4.2 for header fields).
#include "mail/relaxed_scan.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <string_view>

// Off x86-64 there is no vector scan (update()'s byte loop does all): nothing to hold.
#if defined(__GNUC__) && defined(__x86_64__)

using namespace arcrelay::mail::detail;

namespace {

bool eol(char c) {
    return c == '\r' || c == '\n';
}

// Byte j cannot stay inside a run: an HTAB, an SP before WSP or a line end, a CR or LF that
// is not part of a CRLF. The byte before `from` counts as 0.
bool trouble(std::string_view s, std::size_t from, std::size_t j) {
    const char here = s[j], next = s[j + 1];
    const char prev = j == from ? '\0' : s[j - 1];
    if (here == '\t') return true;
    if (here == ' ') return next == ' ' || next == '\t' || eol(next);
    if (here == '\r') return next != '\n';
    if (here == '\n') return prev != '\r';
    return false;
}

// The scan spelled out: blocks of `width` bytes while width + 1 bytes remain, up to the
// first troublesome byte; never ending inside or right after a CRLF (however many).
std::size_t reference_run_end(std::string_view s, std::size_t from, std::size_t width) {
    std::size_t i = from;
    bool stopped = false;
    while (!stopped && i + width + 1 <= s.size()) {
        for (std::size_t k = 0; k < width && !stopped; ++k)
            if (trouble(s, from, i + k)) {
                i += k;
                stopped = true;
            }
        if (!stopped) i += width;
    }
    if (i > from && s[i - 1] == '\r') --i;
    while (i >= from + 2 && s[i - 1] == '\n' && s[i - 2] == '\r')
        i -= 2;
    return i;
}

std::string random_body(std::mt19937& rng) {
    // Mostly ordinary text, so runs get long, with every byte the rule cares about.
    const std::string odd[] = {" ",  "  ", "\t",    "\r\n",  "\r\n\r\n", "\r\n\r\n\r\n",
                               "\r", "\n", " \r\n", "\r\n ", "\n\r\n",   "\r\r\n"};
    std::string body;
    const std::size_t length = rng() % 400;
    while (body.size() < length) {
        body.append(rng() % 40, 'w');
        body += odd[rng() % std::size(odd)];
    }
    return body;
}

// §3.4.2: in a header value every CR, LF and HTAB changes, and an SP before WSP or a line
// end; blocks of `width` bytes while width + 1 bytes remain, up to the first such byte.
std::size_t reference_header_run_end(std::string_view s, std::size_t from, std::size_t width) {
    auto changes = [&](std::size_t j) {
        const char here = s[j], next = s[j + 1];
        if (here == '\t' || eol(here)) return true;
        return here == ' ' && (next == ' ' || next == '\t' || eol(next));
    };
    std::size_t i = from;
    while (i + width + 1 <= s.size()) {
        for (std::size_t k = 0; k < width; ++k)
            if (changes(i + k)) return i + k;
        i += width;
    }
    return i;
}

} // namespace

BOOST_AUTO_TEST_SUITE(relaxed_scan_test)

BOOST_AUTO_TEST_CASE(header_scan_widths_match_the_byte_by_byte_rule) {
    std::mt19937 rng(6376);
    const bool avx2 = cpu_has_avx2();
    for (int round = 0; round < 2000; ++round) {
        const std::string value = random_body(rng); // every byte the rule cares about
        for (std::size_t from = 0; from <= value.size(); ++from) {
            BOOST_TEST_CONTEXT("round " << round << " from " << from) {
                BOOST_TEST(relaxed_header_run_end_16(value, from) ==
                           reference_header_run_end(value, from, 16));
                if (avx2)
                    BOOST_TEST(relaxed_header_run_end_32(value, from) ==
                               reference_header_run_end(value, from, 32));
                BOOST_TEST(relaxed_header_run_end(value, from) ==
                           reference_header_run_end(value, from, avx2 ? 32 : 16));
            }
        }
    }
    const std::string text(40, 'a');
    BOOST_TEST(relaxed_header_run_end_16(text, 0) == 32u); // blocks with a byte after them
    BOOST_TEST(relaxed_header_run_end_16("abc def" + text, 0) == 32u);      // a lone SP stays
    BOOST_TEST(relaxed_header_run_end_16("abc;\r\n\tdef" + text, 0) == 4u); // a fold
    BOOST_TEST(relaxed_header_run_end_16("abc  def" + text, 0) == 3u);
    BOOST_TEST(relaxed_header_run_end_16("abc \r\n" + text, 0) == 3u);
}

BOOST_AUTO_TEST_CASE(both_widths_match_the_byte_by_byte_rule) {
    std::mt19937 rng(6376);
    const bool avx2 = cpu_has_avx2();
    if (!avx2) BOOST_TEST_MESSAGE("no AVX2 on this CPU: the 32-byte scan is not exercised");
    for (int round = 0; round < 2000; ++round) {
        const std::string body = random_body(rng);
        for (std::size_t from = 0; from <= body.size(); ++from) {
            BOOST_TEST_CONTEXT("round " << round << " from " << from) {
                BOOST_TEST(relaxed_run_end_16(body, from) == reference_run_end(body, from, 16));
                if (avx2)
                    BOOST_TEST(relaxed_run_end_32(body, from) == reference_run_end(body, from, 32));
                BOOST_TEST(relaxed_run_end(body, from) ==
                           reference_run_end(body, from, avx2 ? 32 : 16));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(runs_stop_where_the_rule_says) {
    const std::string text(64, 'a');
    // A clean text runs up to the last block that still has a byte after it.
    BOOST_TEST(relaxed_run_end_16(text, 0) == 48u);
    // A double SP, an HTAB, an empty line: the run ends right there.
    BOOST_TEST(relaxed_run_end_16(text.substr(0, 20) + "  " + text, 0) == 20u);
    BOOST_TEST(relaxed_run_end_16(text.substr(0, 5) + "\t" + text, 0) == 5u);
    // A CRLF between two lines is inside the run, and so are empty lines that content
    // follows; the line ends the run stops after are the caller's to defer (§3.4.3).
    BOOST_TEST(relaxed_run_end_16("abc\r\ndef" + text, 0) >= 16u);
    BOOST_TEST(relaxed_run_end_16("abc\r\n\r\n" + text, 0) >= 16u);
    BOOST_TEST(relaxed_run_end_16(text.substr(0, 13) + "\r\n\r\n\r\n" + text, 0) == 80u);
    BOOST_TEST(relaxed_run_end_16(text.substr(0, 20) + "\r\n\r\n  " + text, 0) == 20u);
    // Empty lines up to where the scan stops are left to the caller, however many.
    BOOST_TEST(relaxed_run_end_16(text.substr(0, 9) + "\r\n\r\n\r\n\r\n\r\n\r\n" + "aa", 0) == 9u);
    // A bare LF at the start has no CR before it that the scan may read.
    BOOST_TEST(relaxed_run_end_16("\n" + text, 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

#endif
