// tests/unit/arc/test_support.hpp — shared helpers of the ARC tests: reading test data,
// messages with LF turned into CRLF, a static zone, a fixed clock.
#pragma once

#include "arc/seal.hpp"
#include "arc/validate.hpp"
#include "dns/static_zone.hpp"
#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace arc_test {

using namespace arcrelay;
using namespace arcrelay::arc;
using arcrelay::dns::rr_type;
using arcrelay::dns::static_zone;

// 2026-01-01T00:00:00Z, the bench corpus's signing time.
inline constexpr std::uint64_t fixed_now = 1767225600;

inline std::string data_path(const std::string& relative) {
    return std::string(ARCRELAY_TEST_DATA) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Messages stored with LF lines: each LF becomes CRLF, nothing is added at the end.
inline mail::message crlf_message(const std::string& text) {
    auto m = mail::parse_message(mail::normalize_line_endings(text));
    if (!m) throw std::runtime_error("test message does not parse: " + m.error().message);
    return std::move(*m);
}

inline static_zone load_zone(const std::string& relative) {
    auto z = static_zone::load(data_path(relative));
    if (!z) throw std::runtime_error(z.error().message);
    return std::move(*z);
}

} // namespace arc_test
