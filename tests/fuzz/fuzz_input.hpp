// tests/fuzz/fuzz_input.hpp — the fuzzer's input as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace arcrelay::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace arcrelay::fuzz
