// tests/unit/relay/printers.hpp — Boost.Test printing of smtp replies and codes (ADL
// customisation point boost_test_print_type).
#pragma once

#include "smtp/reply.hpp"

#include <fmt/format.h>

#include <ostream>

namespace arcrelay::smtp {

inline std::ostream& boost_test_print_type(std::ostream& os, const enhanced_code& c) {
    return os << fmt::format("{}", c);
}
inline std::ostream& boost_test_print_type(std::ostream& os, const reply& r) {
    return os << fmt::format("{}", r);
}

} // namespace arcrelay::smtp
