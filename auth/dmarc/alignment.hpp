// auth/dmarc/alignment.hpp — identifier alignment (RFC 7489 3.1).
//
// Strict: the authenticated domain equals the RFC5322.From domain (case-insensitive).
// Relaxed: both have the same organizational domain (RFC 7489 3.1.1, 3.1.2).
#pragma once

#include "auth/dmarc/evaluation_input.hpp"
#include "auth/dmarc/organizational_domain.hpp"
#include "auth/dmarc/record.hpp"

#include <string>
#include <string_view>

namespace arcrelay::auth::dmarc {

enum class alignment {
    aligned,
    not_aligned,
    unknown, // relaxed mode, and a tree walk hit a DNS temporary failure
};

alignment check_alignment(std::string_view from_domain, std::string_view identifier,
                          alignment_mode mode, organizational_domains& org);

// RFC 7489 4.2: the message passes when a passing SPF or DKIM identifier is aligned under the
// record's aspf / adkim.
struct identifier_alignment {
    bool any_pass = false;     // SPF or some DKIM signature passed, aligned or not
    bool aligned = false;      // one of them is aligned
    bool dkim_aligned = false; // an aligned DKIM pass (RFC 9990 policy_evaluated/dkim)
    bool spf_aligned = false;  // an aligned SPF pass (RFC 9990 policy_evaluated/spf), also
                               // looked at when DKIM already aligned
    bool uncertain = false;    // none aligned, but one could have: its alignment or its own
                               // check hit a temporary error
    std::string detail;        // which identifier aligned, or why none did
};

identifier_alignment align_identifiers(const evaluation_input& input, const record& rec,
                                       organizational_domains& org);

} // namespace arcrelay::auth::dmarc
