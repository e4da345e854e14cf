// tests/fuzz/fuzz_zone.hpp — a static zone read once from tests/data for the targets that
// need DNS (a broken data file is a broken invariant: abort).
#pragma once

#include "dns/static_zone.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>

namespace arcrelay::fuzz {

// One zone from the master files ARCRELAY_TEST_DATA/<path>... (each with its own $ORIGIN);
// aborts when they cannot be loaded, since every later input would then be tested against an
// empty zone.
inline dns::static_zone load_zone(std::initializer_list<std::string_view> relative_paths) {
    std::string text;
    for (auto path : relative_paths) {
        std::ifstream in(std::string(ARCRELAY_TEST_DATA) + "/" + std::string(path));
        if (!in) {
            std::fprintf(stderr, "cannot read %.*s\n", int(path.size()), path.data());
            std::abort();
        }
        text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        text += '\n';
    }
    auto zone = dns::static_zone::parse_master_file(text);
    if (!zone) {
        std::fprintf(stderr, "bad test zone: %s\n", zone.error().message.c_str());
        std::abort();
    }
    return std::move(zone).value();
}

} // namespace arcrelay::fuzz
