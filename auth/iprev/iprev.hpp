// auth/iprev/iprev.hpp — the "iprev" check of RFC 8601 3 (results per 2.7.3).
//
// The client address is mapped to names (PTR, RFC 1035 3.5 / RFC 3596 2.5); at most
// max_ptr_names of them are then mapped back (A for an IPv4 client, AAAA for IPv6). pass: one
// name maps back to the client address; fail: none does; temperror: no name maps back and a
// lookup failed temporarily; permerror: no PTR data is published, the PTR answer is
// malformed, or the client address itself is malformed.
#pragma once

#include "dns/resolver.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arcrelay::auth::iprev {

// RFC 8601 3: limit the names evaluated; RFC 7208 4.6.4 chose 10.
inline constexpr std::size_t max_ptr_names = 10;

enum class verdict { pass, fail, temperror, permerror };

struct iprev_result {
    verdict result = verdict::permerror;
    std::string client_ip;          // formatted (RFC 5952 for IPv6); the policy.iprev value
    std::vector<std::string> names; // the PTR names that were evaluated, in answer order
    std::string matched_name;       // the name that maps back (pass only)
    std::string reason;             // for humans and A-R reason=
    std::string comment;            // A-R comment text without parentheses: the matched name
    std::vector<std::pair<std::string, std::string>> properties; // policy.iprev=<ip>
};

// The PTR question check_iprev() asks first (nullopt for a malformed address), so a caller
// can send it together with other checks' first questions.
std::optional<dns::question> ptr_question(std::string_view client_ip);

// Checks `client_ip` ("192.0.2.1", "2001:db8::1"; an IPv4-mapped IPv6 address counts as IPv4).
iprev_result check_iprev(dns::resolver& resolver, std::string_view client_ip);

std::string_view to_string(verdict v);

} // namespace arcrelay::auth::iprev
