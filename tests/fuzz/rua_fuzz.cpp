// tests/fuzz/rua_fuzz.cpp — report::parse_rua, the rua destinations of published DMARC
// records (RFC 9989 4.7; the "!size" suffix of RFC 7489 6.4). A parsed URI must parse again
// from its size-less form to the same mailbox, and never carry CR, LF or space in the
// address (it becomes an SMTP RCPT and a To: field).
#include "report/rua.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay;
    auto rua = report::parse_rua(fuzz::as_text(data, size));
    if (!rua) return 0;
    if (rua->address.find_first_of("\r\n ") != std::string::npos) std::abort();
    auto again = report::parse_rua(rua->uri);
    if (!again || again->address != rua->address || again->host != rua->host ||
        again->max_bytes)
        std::abort();
    return 0;
}
