// auth/results/authentication_results.hpp — the Authentication-Results header field value
// (RFC 8601 2.2, draft-ietf-dmarc-rfc7601bis-06 2.2) and the ARC-Authentication-Results value
// (RFC 8617 4.1.1): types, parser and writer.
//
// Parsing follows the ABNF of RFC 8601 2.2 with RFC 5322 3.2.2 CFWS (nested comments with
// quoted-pairs) wherever the grammar allows it. Unknown methods, results and ptypes are kept
// (RFC 8601 2.3, 4.1: consumers ignore them; they do not make the field invalid). Keywords
// (method, result, ptype, property) are lower-cased; "hardfail" is read as "fail" (RFC 6577 4.2);
// the pre-RFC names smtp.client-ip and arc.oldest-pass are read as smtp.remote-ip and
// header.oldest-pass (DESIGN.md). Work is linear in the input and bounded by the limits below.
#pragma once

#include "base/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace arcrelay::auth::results {

// Hostile-input bounds; a field beyond any of them is a permanent error.
inline constexpr std::size_t max_field_size = 64 * 1024; // octets of one field value
inline constexpr std::size_t max_comment_depth = 32;     // nesting of RFC 5322 comments
inline constexpr std::size_t max_results = 100;          // resinfo entries in one field
// RFC 8617 4.2.1: an ARC instance is 1..50.
inline constexpr unsigned max_arc_instance = 50;

// RFC 5322 2.1.1: lines are kept to 78 characters where the writer can fold.
inline constexpr std::size_t max_line_length = 78;
// Columns that "Authentication-Results: " and "ARC-Authentication-Results: " take on line one.
inline constexpr std::size_t authentication_results_name_length = 24;
inline constexpr std::size_t arc_authentication_results_name_length = 28;

// ptype "." property "=" pvalue (RFC 8601 2.2). ptype is one of the registered "smtp",
// "header", "body", "policy" (RFC 8601 2.3) or any other keyword; see is_registered_ptype.
struct property {
    std::string ptype{}; // lower-case
    std::string name{};  // lower-case
    std::string value{}; // quoted-string decoded; an addr-spec form is kept as written

    friend bool operator==(const property&, const property&) = default;
};

// One resinfo: method[/version]=result [(comment)] [reason=...] *propspec.
struct method_result {
    std::string method{};                // lower-case keyword, e.g. "dkim", "x-foo"
    std::optional<unsigned> version{};   // method-version, absent means 1 (RFC 8601 2.2)
    std::string result{};                // lower-case keyword, "hardfail" read as "fail"
    std::optional<std::string> reason{}; // reasonspec value, decoded
    std::vector<property> properties{};  // in field order
    std::string comment{};               // text of the comments right after the result
    std::string text{};                  // the resinfo as written, unfolded and trimmed; empty
                                         // for results built in code (used for the AAR)

    // Content equality: `text` is presentation and is not compared.
    friend bool operator==(const method_result& a, const method_result& b);
};

struct authentication_results {
    std::string authserv_id{};         // decoded (a quoted-string loses its quotes)
    std::optional<unsigned> version{}; // authres-version, absent means 1
    std::vector<method_result> results{};
    bool none = false; // the field said "none" (RFC 8601 2.2 no-result)

    friend bool operator==(const authentication_results&, const authentication_results&) = default;
};

// An ARC-Authentication-Results value: "i=N;" then an authres-payload (RFC 8617 4.1.1).
struct arc_authentication_results {
    unsigned instance = 0;
    authentication_results payload{};

    friend bool operator==(const arc_authentication_results&,
                           const arc_authentication_results&) = default;
};

// Parses one field value (the text after "Authentication-Results:", folds included).
// Errors (permanent): over max_field_size, missing or empty authserv-id, an authres-version
// other than 1 (RFC 8601 2.6), unterminated quoted-string or comment, comments nested deeper
// than max_comment_depth, more than max_results results, a missing or malformed keyword (method,
// result, ptype, property) or value, "none" beside results, a CR or LF that is not the line
// break of a fold (CRLF or LF followed by WSP), and any other text the grammar does not allow.
// Leniencies: a trailing ";" is accepted, and a bare pvalue may hold any visible octet except
// ( ) ; " \ (real fields carry IPv6 addresses and base64 there), UTF-8 included.
result<authentication_results> parse_authentication_results(std::string_view field_value);

// Parses an ARC-Authentication-Results value. Errors: those above, and a missing or malformed
// "i=" tag or an instance outside 1..max_arc_instance.
result<arc_authentication_results> parse_arc_authentication_results(std::string_view field_value);

// Reads only the leading [CFWS] authserv-id of a field value, ignoring what follows.
// Errors: no token or quoted-string where the id belongs, or a malformed leading comment.
result<std::string> parse_authserv_id(std::string_view field_value);

// RFC 8601 2.3: true for the registered ptypes smtp, header, body and policy.
bool is_registered_ptype(std::string_view ptype);

// Writes one field value: "authserv-id; method=result (comment) reason=... ptype.prop=value;
// ..." or "authserv-id; none" when there are no results. Values that are not an RFC 2045 token
// or an addr-spec form ([local-part] "@" domain) are quoted. Folds ("\r\n" before a space) keep
// every line within max_line_length where a space allows it; `name_length` is the column the
// value starts at on line one. CTL characters in comments and quoted values are written as
// spaces. Throws std::invalid_argument if a method, result, ptype or property is not a keyword
// (a broken invariant: those come from code, not from input).
std::string
format_authentication_results(const authentication_results& ar,
                              std::size_t name_length = authentication_results_name_length);

// One resinfo on one line ("dkim=pass (comment) header.d=example.com"), no folding.
std::string format_method_result(const method_result& r);

} // namespace arcrelay::auth::results

// Single-line forms for logs.
template <>
struct fmt::formatter<arcrelay::auth::results::method_result> : fmt::formatter<std::string_view> {
    auto format(const arcrelay::auth::results::method_result& r, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(
            arcrelay::auth::results::format_method_result(r), ctx);
    }
};
