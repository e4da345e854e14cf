// dns/name.hpp — domain-name text helpers shared by the resolvers and the checks.
//
// canonical_name: the lookup key of a name (RFC 4343: ASCII case-insensitive; the root's
// trailing dot optional). reverse_name: the RFC 1035 3.5 in-addr.arpa and RFC 3596 2.5
// ip6.arpa owner name of an address, for PTR queries (SPF RFC 7208 5.5, iprev RFC 8601 3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::dns {

// Lower-cases ASCII letters and drops one trailing dot ("Example.COM." -> "example.com";
// "." -> "").
std::string canonical_name(std::string_view name);

// "192.0.2.1" -> "1.2.0.192.in-addr.arpa"; "2001:db8::1" -> "1.0.0. ... .8.b.d.0.1.0.0.2.ip6.arpa"
// (lower-case nibbles, no trailing dot). nullopt when the text is not an IPv4 or IPv6 address.
std::optional<std::string> reverse_name(std::string_view ip);

} // namespace arcrelay::dns
