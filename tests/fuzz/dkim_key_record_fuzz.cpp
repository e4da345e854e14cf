// tests/fuzz/dkim_key_record_fuzz.cpp — auth::dkim::parse_key_record (RFC 6376 §3.6.1) on a
// TXT record text, including the public key decoding it triggers.
#include "auth/dkim/key_record.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    auto record = auth::dkim::parse_key_record(fuzz::as_text(data, size));
    if (record) {
        (void)record->allows(auth::dkim::algorithm::rsa_sha256);
        (void)record->allows(auth::dkim::algorithm::ed25519_sha256);
    }
    return 0;
}
