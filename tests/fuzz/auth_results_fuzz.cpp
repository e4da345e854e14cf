// tests/fuzz/auth_results_fuzz.cpp — the Authentication-Results (RFC 8601 §2.2) and
// ARC-Authentication-Results (RFC 8617 §4.1.1) parsers; a parsed field is formatted again
// (the writer must accept whatever the parser produced) and the AAR collector runs over it.
#include "auth/results/aar.hpp"
#include "auth/results/authentication_results.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay::auth::results;
    const std::string_view text = arcrelay::fuzz::as_text(data, size);
    if (auto ar = parse_authentication_results(text)) {
        (void)format_authentication_results(*ar);
        const std::string_view fields[] = {text};
        if (auto collected = collect_results(fields, ar->authserv_id))
            (void)format_aar_value(1, ar->authserv_id, *collected);
    }
    if (auto aar = parse_arc_authentication_results(text))
        (void)format_authentication_results(aar->payload);
    (void)parse_authserv_id(text);
    return 0;
}
