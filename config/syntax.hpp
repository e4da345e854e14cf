// config/syntax.hpp — the value syntaxes of the configuration file: host and domain names,
// list addresses, header field names, next-hop URIs and DNS server endpoints.
//
// Pure functions; each returns nullopt or an error whose message says what is wrong
// (the loader adds file, line and key).
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::config {

inline constexpr std::size_t max_domain_length = 253;    // RFC 1035 2.3.4 (text form)
inline constexpr std::size_t max_label_length = 63;      // RFC 1035 2.3.4
inline constexpr std::size_t max_local_part_length = 64; // RFC 5321 4.5.3.1.1

// ASCII lower case (domains, field names and list addresses compare case-insensitively).
std::string ascii_lower(std::string_view text);

// RFC 1123 2.1 host name: LDH labels separated by dots, no trailing dot. With
// `require_dot` (list and signing domains) at least two labels are needed.
bool is_domain_name(std::string_view name, bool require_dot);

// RFC 5322 3.2.3 dot-atom-text.
bool is_dot_atom(std::string_view text);

// RFC 2045 5.1 token (RFC 8601 2.5 authserv-id without quoting): printable US-ASCII
// except SPACE and tspecials.
bool is_token(std::string_view text);

// RFC 5322 2.2 field name: printable US-ASCII except ':'.
bool is_field_name(std::string_view name);

// RFC 5321 4.1.2 Mailbox restricted to what a list address needs: dot-atom local part
// "@" a dotted domain name. Both parts are returned lower-case.
struct mailbox {
    std::string local_part;
    std::string domain;

    std::string address() const { return local_part + "@" + domain; }
};
result<mailbox> parse_mailbox(std::string_view text);

// "25" .. "65535" (plain decimal, 1..65535).
std::optional<std::uint16_t> parse_port(std::string_view text);

// "lmtp:HOST:PORT", "smtp:HOST:PORT" (HOST a name, an IPv4 address or [IPv6]) or
// "maildir:PATH"; fills protocol, host, port and path of `hop` (other fields untouched).
status parse_next_hop_uri(std::string_view uri, next_hop_settings& hop);

// "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353" (port 53 when
// absent).
std::optional<dns_server> parse_dns_server(std::string_view text);

} // namespace arcrelay::config
