// tests/fuzz/address_list_fuzz.cpp — mail::parse_address_list (RFC 5322 §3.4) on a field
// value, and mail::author_domains on a message whose From: is that value.
#include "mail/address.hpp"
#include "mail/message.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    const std::string_view text = fuzz::as_text(data, size);
    (void)mail::parse_address_list(text);
    auto m = mail::parse_message("From:" + std::string(text) + "\r\n\r\nbody\r\n");
    if (m) (void)mail::author_domains(*m);
    return 0;
}
