// auth/spf/macro.hpp — SPF macro strings (RFC 7208 7): parsing and expansion.
//
// A macro string is parsed once (syntax errors are permerrors of the record, RFC 7208 4.6)
// and expanded when a term is evaluated. The letters c, r and t are only allowed in
// explanation text (RFC 7208 7.2); uppercase letters are URL-escaped (RFC 7208 7.3).
#pragma once

#include "base/ip_address.hpp"
#include "base/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::spf {

// Where a macro string appears: a domain-spec (mechanisms, redirect=, exp=, unknown
// modifiers) or the explanation TXT record fetched through exp= (which may contain spaces).
enum class macro_context { domain_spec, explanation };

// More right-hand parts than any domain name can have (RFC 1035: at most 127 labels);
// larger DIGIT transformers are clamped to this.
inline constexpr int max_macro_parts = 128;

struct macro_token {
    enum class kind { literal, macro };
    kind type = kind::literal;
    std::string text;        // literal: the characters (%% %_ %- already replaced)
    char letter = 0;         // macro: the letter, lower-case
    bool url_escape = false; // macro: the letter was written upper-case
    int parts = 0;           // macro: DIGIT transformer, 0 when absent
    bool reverse = false;    // macro: "r" transformer
    std::string delimiters;  // macro: delimiter characters, empty for the default "."
};

struct macro_string {
    std::vector<macro_token> tokens;
    // True if the last token is a macro-expand (%{..}, %%, %_ or %-), which makes a
    // domain-spec valid without a literal toplabel (RFC 7208 7.1 domain-end).
    bool ends_with_macro = false;
};

// Parses a macro string. Errors (permanent): a '%' not followed by '{', '%', '_' or '-',
// an unknown letter (or c, r, t outside explanations), a zero DIGIT transformer, an
// unterminated macro, or a character outside the allowed set.
arcrelay::result<macro_string> parse_macro_string(std::string_view text, macro_context context);

// The values of RFC 7208 7.3 for one check_host() evaluation.
struct macro_values {
    std::string_view sender;        // s
    std::string_view local_part;    // l
    std::string_view sender_domain; // o
    std::string_view domain;        // d: the current <domain>
    ip_address ip;                  // i, c, v
    std::string_view helo;          // h
    std::string_view receiver;      // r
    std::int64_t timestamp = 0;     // t
    // p: the validated domain name of <ip> (or "unknown"); only called if %{p} is used, as it
    // costs DNS lookups.
    std::function<std::string()> validated_domain;
};

struct expansion {
    std::string text;
    bool used_local_part = false; // an l or s macro was expanded (RFC 7601bis 2.7.2)
};

// Expands a parsed macro string.
expansion expand_macro_string(const macro_string& macros, const macro_values& values);

// %{i} without transformers: dotted quad, or 32 dot-separated upper-case nibbles for IPv6
// (RFC 7208 7.3 and its 7.4 example).
std::string dotted_ip(const ip_address& ip);

} // namespace arcrelay::auth::spf
