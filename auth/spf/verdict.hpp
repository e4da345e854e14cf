// auth/spf/verdict.hpp — the outcome of an SPF check (RFC 7208 2.6) and how it is reported in
// Authentication-Results (draft-ietf-dmarc-rfc7601bis 2.7.2: method "spf", ptype "smtp",
// property "mailfrom" or "helo").
#pragma once

#include <string>
#include <string_view>

namespace arcrelay::auth::spf {

// RFC 7208 2.6. The failing result is "fail" (never the obsolete "hardfail").
enum class result { none, neutral, pass, fail, softfail, temperror, permerror };

// The identity checked: MAIL FROM (RFC 7208 2.4) or HELO/EHLO (RFC 7208 2.3).
enum class identity { mailfrom, helo };

struct verdict {
    spf::result result = result::none;
    spf::identity identity = identity::mailfrom;
    std::string domain;           // the <domain> checked: the MAIL FROM domain or the HELO name
    std::string sender;           // the <sender> used: local-part@domain ("postmaster@" if none)
    std::string explanation;      // fail only: the expanded exp= text; empty when none is usable
    std::string reason;           // human-readable: which term decided, or what went wrong
    bool used_local_part = false; // the policy expanded an l or s macro (RFC 7208 7.3)
};

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror".
std::string_view to_string(result r);

// "mailfrom" or "helo": the property of ptype "smtp" in Authentication-Results.
std::string_view property_name(identity id);

// The property value for Authentication-Results (rfc7601bis 2.7.2): for mailfrom the domain
// alone, unless the policy used the local-part (an l or s macro was expanded), then the whole
// <sender> local-part@domain; for helo the HELO name. Returned unquoted: the A-R writer quotes.
std::string property_value(const verdict& v);

} // namespace arcrelay::auth::spf
