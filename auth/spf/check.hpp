// auth/spf/check.hpp — SPF checks of the MAIL FROM and HELO identities (RFC 7208 2.3, 2.4, 4):
// check_host() with every mechanism and modifier, macro expansion, the explanation of a fail,
// and the processing limits of RFC 7208 4.6.4. All DNS goes through dns::resolver; the core
// reads no clock (the %{t} timestamp is part of the request).
#pragma once

#include "auth/spf/verdict.hpp"
#include "base/ip_address.hpp"
#include "dns/resolver.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace arcrelay::auth::spf {

// RFC 7208 4.6.4 limits.
inline constexpr int max_dns_terms = 10;         // include, a, mx, ptr, exists, redirect
inline constexpr int max_void_lookups = 2;       // lookups answered NXDOMAIN or NODATA
inline constexpr std::size_t max_mx_names = 10;  // more MX records: permerror
inline constexpr std::size_t max_ptr_names = 10; // more PTR records: the rest ignored

struct request {
    ip_address client_ip;             // an IPv4-mapped address is checked as IPv4 (RFC 7208 5)
    std::string helo;                 // the HELO/EHLO argument as sent
    std::string mail_from;            // the reverse-path without <>; empty for the null path
    std::string receiver = "unknown"; // %{r}: our host name (RFC 7208 7.3)
    std::int64_t timestamp = 0;       // %{t}: seconds since the epoch
};

// The MAIL FROM identity (RFC 7208 2.4): <sender> is mail_from, or postmaster@helo for the
// null reverse-path; a sender without a local-part gets "postmaster" (RFC 7208 4.3). A
// malformed domain gives "none" (RFC 7208 4.3). Never throws; DNS failures are temperror.
verdict check_mail_from(dns::resolver& resolver, const request& req);

// The HELO identity (RFC 7208 2.3): <domain> is the HELO name, <sender> postmaster@helo. An
// address literal or a name that is not a multi-label domain gives "none".
verdict check_helo(dns::resolver& resolver, const request& req);

// The questions check_mail_from() (and check_helo() when `with_helo`) ask first: the TXT
// records of each valid identity domain (RFC 7208 4.4), so a caller can send them together
// with other checks' first questions.
std::vector<dns::question> record_questions(const request& req, bool with_helo);

} // namespace arcrelay::auth::spf
