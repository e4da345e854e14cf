// arc/seal_input.cpp — RFC 8617 §5.1.1 ARC-Seal signing input.
#include "arc/seal_input.hpp"

#include "auth/dkim/signing_input.hpp"
#include "mail/canonicalization.hpp"

namespace arcrelay::arc {

std::string seal_signing_input(std::span<const set_fields> sets) {
    constexpr auto relaxed = mail::canonicalization::relaxed;
    std::string out;
    for (std::size_t k = 0; k < sets.size(); ++k) {
        const auto& s = sets[k];
        mail::append_canonical_header(out, s.results->raw(), relaxed);
        mail::append_canonical_header(out, s.signature->raw(), relaxed);
        if (k + 1 < sets.size()) {
            mail::append_canonical_header(out, s.seal->raw(), relaxed);
        } else {
            mail::append_canonical_header(out, auth::dkim::remove_b_value(s.seal->raw()), relaxed);
            out.resize(out.size() - 2); // the signed seal goes in without its CRLF
        }
    }
    return out;
}

} // namespace arcrelay::arc
