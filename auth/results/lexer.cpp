// auth/results/lexer.cpp — RFC 5322 3.2.2 CFWS, 3.2.4 quoted-string, RFC 2045 token,
// RFC 5321 Keyword scanning for the Authentication-Results parser.
#include "auth/results/lexer.hpp"

#include "auth/results/authentication_results.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::results::detail {

namespace {

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_non_ascii(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}

// SP, HTAB, and the CR/LF of a fold
bool is_wsp(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

bool is_token_char(char c) {
    // RFC 2045 5.1: any CHAR except SPACE, CTLs and tspecials.
    static constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && tspecials.find(c) == std::string_view::npos;
}

bool is_keyword_char(char c) {
    return is_ascii_alnum(c) || c == '-';
}

bool is_keyword(std::string_view s) {
    // RFC 5321 4.1.2: Ldh-str ends in a letter or digit.
    if (s.empty() || s.back() == '-') return false;
    for (char c : s)
        if (!is_keyword_char(c)) return false;
    return true;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_token_char(c)) return false;
    return true;
}

std::string unfold_trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_wsp(s[b]))
        ++b;
    while (e > b && is_wsp(s[e - 1]))
        --e;
    std::string out;
    out.reserve(e - b);
    for (char c : s.substr(b, e - b))
        if (c != '\r' && c != '\n') out.push_back(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool scanner::accept(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
}

std::size_t scanner::fold_break() const {
    // RFC 5322 3.2.2 FWS: a line break only ever comes before WSP (or ends the value). A bare
    // LF is taken for CRLF; a CR or LF anywhere else would glue words together when unfolded.
    std::size_t n = text_.compare(pos_, 2, "\r\n") == 0 ? 2 : text_[pos_] == '\n' ? 1 : 0;
    if (n == 0) return 0;
    std::size_t next = pos_ + n;
    if (next < text_.size() && text_[next] != ' ' && text_[next] != '\t') return 0;
    return n;
}

status scanner::skip_line_break() {
    std::size_t n = fold_break();
    if (n == 0) return syntax_error(*this, "CR or LF outside a fold");
    pos_ += n;
    return ok_v;
}

status scanner::skip_cfws(std::string* comment) {
    while (!at_end()) {
        char c = text_[pos_];
        if (c == ' ' || c == '\t') {
            ++pos_;
        } else if (c == '\r' || c == '\n') {
            if (auto st = skip_line_break(); !st) return st;
        } else if (c == '(') {
            auto text = read_comment();
            if (!text) return text.error();
            if (comment) {
                if (!comment->empty()) comment->push_back(' ');
                comment->append(*text);
            }
        } else {
            break;
        }
    }
    return ok_v;
}

result<std::string> scanner::read_comment() {
    // RFC 5322 3.2.2 comment; nesting is counted, not recursed, so depth costs no stack.
    std::size_t depth = 0;
    std::string inner;
    while (!at_end()) {
        char c = text_[pos_];
        if (c == '\r' || c == '\n') {
            if (auto st = skip_line_break(); !st) return st.error();
            continue;
        }
        ++pos_;
        if (c == '(') {
            if (++depth > max_comment_depth)
                return syntax_error(*this, "comments nested too deeply");
            if (depth > 1) inner.push_back(c);
        } else if (c == ')') {
            if (--depth == 0) return inner;
            inner.push_back(c);
        } else if (c == '\\') {
            if (at_end()) break;
            auto q = quoted_pair();
            if (!q) return q.error();
            inner.push_back(*q);
        } else {
            inner.push_back(c);
        }
    }
    return syntax_error(*this, "unterminated comment");
}

result<std::string> scanner::quoted_string() {
    std::string out;
    if (!accept('"')) return syntax_error(*this, "expected '\"'");
    while (!at_end()) {
        char c = text_[pos_];
        if (c == '\r' || c == '\n') {
            // RFC 5322 3.2.4: the CRLF of a fold inside a quoted-string is not part of it.
            if (auto st = skip_line_break(); !st) return st.error();
            continue;
        }
        ++pos_;
        if (c == '"') return out;
        if (c == '\\') {
            if (at_end()) break;
            auto q = quoted_pair();
            if (!q) return q.error();
            c = *q;
        }
        out.push_back(c);
    }
    return syntax_error(*this, "unterminated quoted-string");
}

result<char> scanner::quoted_pair() {
    // RFC 5322 3.2.1: quoted-pair = "\" (VCHAR / WSP); the backslash has been read.
    char q = text_[pos_];
    if (q == '\r' || q == '\n') return syntax_error(*this, "CR or LF in a quoted-pair");
    ++pos_;
    return q;
}

template <class Pred>
std::string_view scanner::run(Pred pred) {
    std::size_t start = pos_;
    while (pos_ < text_.size() && pred(text_[pos_]))
        ++pos_;
    return text_.substr(start, pos_ - start);
}

std::string_view scanner::token() {
    return run([](char c) { return is_token_char(c) || is_non_ascii(c); });
}

std::string_view scanner::keyword() {
    return run(is_keyword_char);
}

std::string_view scanner::digits() {
    return run([](char c) { return c >= '0' && c <= '9'; });
}

std::string_view scanner::bare_value() {
    static constexpr std::string_view stops = "();\"\\";
    return run([](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u > 0x20 && u != 0x7f && stops.find(c) == std::string_view::npos);
    });
}

error syntax_error(const scanner& s, std::string_view what) {
    return permanent_error(fmt::format("Authentication-Results: {} at offset {}", what, s.pos()));
}

} // namespace arcrelay::auth::results::detail
