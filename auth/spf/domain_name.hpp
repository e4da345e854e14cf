// auth/spf/domain_name.hpp — the domain-name checks of SPF: the identity domain (RFC 7208
// 4.3), the domain-end rule of a domain-spec (RFC 7208 7.1) and target names built by macro
// expansion (RFC 7208 7.3 truncation, RFC 1035 2.3.4 sizes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::auth::spf {

inline constexpr std::size_t max_domain_length = 253; // RFC 7208 7.3, without a trailing dot
inline constexpr std::size_t max_label_length = 63;   // RFC 1035 2.3.4

// RFC 7208 4.3: the <domain> of check_host() for an identity must be a multi-label name of
// letters, digits, hyphens and underscores, labels 1..63 octets, at most 253 octets (one
// trailing dot allowed), whose last label is not all-numeric (so address literals and bare
// IP addresses are rejected).
bool valid_identity_domain(std::string_view domain);

// RFC 7208 7.1 toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" )
// alphanum ).
bool valid_toplabel(std::string_view label);

// A target name after macro expansion, ready for a query: a trailing dot removed, the left
// side truncated by whole labels to at most 253 octets (RFC 7208 7.3). nullopt when no DNS
// query can be formed (empty, an empty label, a label longer than 63 octets); RFC 7208 4.3
// and 4.8 treat such a name as non-existent.
std::optional<std::string> query_name(std::string_view expanded);

// True if `name` equals `parent` or is a subdomain of it (ASCII case-insensitive, trailing
// dots ignored).
bool is_same_or_subdomain(std::string_view name, std::string_view parent);

} // namespace arcrelay::auth::spf
