// tests/fuzz/header_block_fuzz.cpp — mail::parse_message (RFC 5322 §2.1, §2.2 header block):
// any bytes parse or fail with an error, and a parsed message serialises back to exactly the
// input (the parser is lossless: DKIM and ARC sign those bytes).
#include "mail/message.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    const std::string_view text = fuzz::as_text(data, size);
    auto m = mail::parse_message(text);
    if (!m) return 0;
    for (const auto& field : m->headers()) {
        (void)field.name();
        (void)field.value();
    }
    (void)m->count("From");
    (void)m->fields("DKIM-Signature");
    if (m->serialise() != text) std::abort(); // lossless model (mail/message.hpp)
    return 0;
}
