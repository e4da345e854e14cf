// auth/dmarc/evaluation_input.hpp — what DMARC evaluation is given (RFC 7489 4.2, 6.6).
//
// Plain data, so that DMARC does not depend on the SPF and DKIM code: the caller extracts the
// RFC5322.From domain and passes the SPF and DKIM outcomes as result names ("pass", "fail",
// "temperror", ...; compared case-insensitively) with their domains.
#pragma once

#include <string>
#include <vector>

namespace arcrelay::auth::dmarc {

struct spf_identity {
    std::string result; // RFC 7208 2.6 result name; empty when SPF was not checked
    std::string domain; // MAIL FROM domain, or the HELO domain when MAIL FROM was empty
};

struct dkim_identity {
    std::string domain; // the signature's d=
    std::string result; // RFC 8601 2.7.1 result name
};

struct evaluation_input {
    std::string from_domain; // the RFC5322.From domain (RFC 7489 6.6.1)
    spf_identity spf;
    std::vector<dkim_identity> dkim;
};

} // namespace arcrelay::auth::dmarc
