// auth/spf/record.hpp — an SPF record (RFC 7208 4.5, 4.6, 5, 6): selection among TXT records
// and parsing into mechanisms and modifiers. The whole record is parsed before evaluation, so
// a syntax error anywhere is a permerror (RFC 7208 4.6).
#pragma once

#include "auth/spf/macro.hpp"
#include "base/ip_address.hpp"
#include "base/result.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::spf {

// RFC 7208 4.6.2 qualifiers; the character is the one written in records.
enum class qualifier : char { pass = '+', fail = '-', softfail = '~', neutral = '?' };

enum class mechanism_kind { all, include, a, mx, ptr, ip4, ip6, exists };

struct mechanism {
    spf::qualifier qualifier = qualifier::pass;
    mechanism_kind kind = mechanism_kind::all;
    // include, exists (required); a, mx, ptr (optional: the current <domain> when absent).
    std::optional<macro_string> domain_spec;
    ip_network network; // ip4, ip6
    int cidr4 = ipv4_bits;
    int cidr6 = ipv6_bits;
    std::string text; // the term as written, for reasons
};

struct record {
    std::vector<mechanism> mechanisms;
    std::optional<macro_string> redirect;    // RFC 7208 6.1
    std::optional<macro_string> explanation; // RFC 7208 6.2 exp=
};

// True if the TXT record text is an SPF record: "v=spf1" (case-insensitive) followed by a
// space or the end (RFC 7208 4.5).
bool is_spf_record(std::string_view txt);

// Selects the SPF record among the TXT records of a domain (RFC 7208 4.5): nullopt when there
// is none. Error (permanent) when there are several.
arcrelay::result<std::optional<std::string>>
select_record(std::span<const std::string> txt_records);

// Parses an SPF record (text starting with the version). Error (permanent): any term that
// does not follow RFC 7208 4.6.1 / 5 / 6 / 7.1, or redirect= or exp= given twice.
arcrelay::result<record> parse_record(std::string_view text);

} // namespace arcrelay::auth::spf
