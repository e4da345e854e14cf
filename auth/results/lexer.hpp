// auth/results/lexer.hpp — lexical pieces of structured header fields for the
// Authentication-Results parser: RFC 5322 3.2.2 CFWS (comments nest, quoted-pairs, folding),
// RFC 5322 3.2.4 quoted-string (UTF-8 allowed per RFC 6532), RFC 2045 5.1 token and RFC 5321
// 4.1.2 Keyword. One forward pass: no position is ever read twice except by text extraction.
#pragma once

#include "base/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace arcrelay::auth::results::detail {

bool is_token_char(char c);   // RFC 2045 token octet (ASCII only)
bool is_keyword_char(char c); // RFC 5321 Ldh-str octet: ALPHA / DIGIT / "-"
bool is_keyword(std::string_view s);
bool is_token(std::string_view s); // non-empty, every octet a token octet

// Removes the CR and LF of folds (RFC 5322 2.2.3 unfolding) and trims surrounding WSP.
std::string unfold_trim(std::string_view s);

// ASCII case-insensitive equality and lower-casing (keywords and authserv-ids are ASCII).
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

class scanner {
public:
    explicit scanner(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    std::size_t pos() const { return pos_; }
    std::string_view text() const { return text_; }
    // Consumes `c` if it is next.
    bool accept(char c);

    // Skips [CFWS]. When `comment` is given, the decoded text of each comment skipped is
    // appended to it (separated by a space). Errors: unterminated comment, nesting deeper than
    // max_comment_depth, a CR or LF that is not the line break of a fold.
    status skip_cfws(std::string* comment = nullptr);

    // Reads a quoted-string starting at '"' and returns its decoded content (quoted-pairs
    // resolved, fold CR/LF removed). Errors: unterminated, a CR or LF outside a fold.
    result<std::string> quoted_string();

    // Reads the longest run of token octets (also UTF-8 octets, RFC 6532); may be empty.
    std::string_view token();
    // Reads the longest run of keyword octets; may be empty.
    std::string_view keyword();
    // Reads the longest run of digits; may be empty.
    std::string_view digits();
    // Reads a bare pvalue run: any visible octet except ( ) ; " \ (lenient: real fields carry
    // ':' in IPv6 addresses and '/' '+' '=' in header.b); may be empty.
    std::string_view bare_value();

private:
    // Length of the line break at the position (2 for CRLF, 1 for a bare LF) when it is the
    // break of a fold: followed by SP or HTAB, or ending the text; else 0.
    std::size_t fold_break() const;
    // Reads a comment starting at '(' and returns its decoded text (outer parentheses off,
    // nested ones kept, quoted-pairs resolved, fold CR/LF removed).
    result<std::string> read_comment();
    status skip_line_break();
    // The octet after a backslash. Error: CR or LF.
    result<char> quoted_pair();

    template <class Pred>
    std::string_view run(Pred pred);

    std::string_view text_;
    std::size_t pos_ = 0;
};

// "at N: what" as a permanent error.
error syntax_error(const scanner& s, std::string_view what);

} // namespace arcrelay::auth::results::detail
