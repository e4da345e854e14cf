// tests/fuzz/config_fuzz.cpp — config::parse_config on arbitrary TOML text: a bad file is an
// error with a line number, never a crash or an escaping exception.
#include "config/load.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)arcrelay::config::parse_config(arcrelay::fuzz::as_text(data, size), "fuzz.toml");
    return 0;
}
