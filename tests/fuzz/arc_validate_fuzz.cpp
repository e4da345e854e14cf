// tests/fuzz/arc_validate_fuzz.cpp — arc::validate_message (RFC 8617 §5.2) on a mutated message
// over the benchmark corpus zone (its RSA and Ed25519 keys), at the corpus' fixed time; plus
// the ARC field parsers on the raw input.
#include "arc/fields.hpp"
#include "arc/validate.hpp"
#include "mail/message.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/fuzz_zone.hpp"

namespace {
constexpr std::uint64_t corpus_now = 1767225600; // tests/unit/arc/test_support.hpp fixed_now
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    static dns::static_zone zone = fuzz::load_zone({"dns/bench-corpus-zone.txt"});
    const std::string_view text = fuzz::as_text(data, size);
    (void)arc::parse_arc_seal(text);
    (void)arc::parse_message_signature(text);
    (void)arc::parse_results_instance(text);
    auto m = mail::parse_message(text);
    if (!m) return 0;
    (void)arc::validate_message(*m, zone, corpus_now);
    return 0;
}
