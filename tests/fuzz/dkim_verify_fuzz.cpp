// tests/fuzz/dkim_verify_fuzz.cpp — auth::dkim::parse_dkim_signature (RFC 6376 §3.5) on the raw
// input, and auth::dkim::verify_dkim (§6) on the input as a message over the DKIM test zone
// (RFC 8463 Appendix A keys, the example.com RSA/Ed25519 keys) joined with the benchmark
// corpus zone, so both the RFC 8463 example and the corpus messages verify.
#include "auth/dkim/signature.hpp"
#include "auth/dkim/verify.hpp"
#include "mail/message.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/fuzz_zone.hpp"

namespace {
constexpr std::uint64_t fixed_now = 1767225600; // 2026-01-01T00:00:00Z
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    static dns::static_zone zone = fuzz::load_zone({"dkim/zone.txt", "dns/bench-corpus-zone.txt"});
    const std::string_view text = fuzz::as_text(data, size);
    (void)auth::dkim::parse_dkim_signature(text);
    auto m = mail::parse_message(text);
    if (!m) return 0;
    auth::dkim::verify_options options;
    options.now = fixed_now;
    (void)auth::dkim::verify_dkim(*m, zone, options);
    return 0;
}
