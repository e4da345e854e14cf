// tests/fuzz/tag_list_fuzz.cpp — mail::parse_tag_list (RFC 6376 §3.2) and the colon-list and
// whitespace helpers used on its values.
#include "mail/tag_list.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    const std::string_view text = fuzz::as_text(data, size);
    auto tags = mail::parse_tag_list(text);
    if (tags) {
        for (const auto& t : tags->tags()) {
            (void)mail::strip_whitespace(t.value);
            (void)mail::split_colon_list(t.value);
            (void)tags->get(t.name);
        }
    }
    (void)mail::split_colon_list(text);
    return 0;
}
