// auth/results/format.cpp — writer for the Authentication-Results value (RFC 8601 2.2):
// values as RFC 2045 tokens, addr-spec forms or RFC 5322 quoted-strings; comments escaped;
// folded at whitespace (RFC 5322 2.2.3).
#include "auth/results/authentication_results.hpp"
#include "auth/results/fold.hpp"
#include "auth/results/lexer.hpp"
#include "auth/results/write.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace arcrelay::auth::results {

namespace {

bool is_ctl(char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

// RFC 5322 3.2.3 atext
bool is_atext(char c) {
    static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           specials.find(c) != std::string_view::npos;
}

// Dot-separated non-empty runs of octets that satisfy `pred`.
template <class Pred>
bool dotted(std::string_view s, Pred pred) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!pred(s[i])) {
            return false;
        }
    }
    return true;
}

// RFC 8601 2.2 pvalue right-hand form: [ [ local-part ] "@" ] domain-name, with a dot-atom
// local-part and a DKIM (RFC 6376 3.5) domain-name of at least two labels.
bool is_addr_form(std::string_view v) {
    auto at = v.find('@');
    if (at == std::string_view::npos) return false;
    std::string_view local = v.substr(0, at);
    std::string_view domain = v.substr(at + 1);
    if (!local.empty() && !dotted(local, is_atext)) return false;
    return domain.find('.') != std::string_view::npos && dotted(domain, detail::is_keyword_char);
}

void append_quoted(std::string& out, std::string_view v) {
    out.push_back('"');
    for (char c : v) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(is_ctl(c) ? ' ' : c);
    }
    out.push_back('"');
}

void append_value(std::string& out, std::string_view v) {
    if (detail::is_token(v))
        out.append(v);
    else
        append_quoted(out, v);
}

void append_pvalue(std::string& out, std::string_view v) {
    if (detail::is_token(v) || is_addr_form(v))
        out.append(v);
    else
        append_quoted(out, v);
}

void append_comment(std::string& out, std::string_view text) {
    out.push_back('(');
    for (char c : text) {
        if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
        out.push_back(is_ctl(c) ? ' ' : c);
    }
    out.push_back(')');
}

void require_keyword(std::string_view what, std::string_view s) {
    if (!detail::is_keyword(s))
        throw std::invalid_argument(
            fmt::format("Authentication-Results: {} \"{}\" is not a keyword", what, s));
}

} // namespace

std::string format_method_result(const method_result& r) {
    require_keyword("method", r.method);
    require_keyword("result", r.result);
    std::string out = r.method;
    if (r.version) out += fmt::format("/{}", *r.version);
    out += '=';
    out += r.result;
    if (!r.comment.empty()) {
        out += ' ';
        append_comment(out, r.comment);
    }
    if (r.reason) {
        out += " reason=";
        append_value(out, *r.reason);
    }
    for (const property& p : r.properties) {
        require_keyword("ptype", p.ptype);
        require_keyword("property", p.name);
        out += fmt::format(" {}.{}=", p.ptype, p.name);
        append_pvalue(out, p.value);
    }
    return out;
}

std::string detail::format_authserv_id(std::string_view authserv_id) {
    if (authserv_id.empty())
        throw std::invalid_argument("Authentication-Results: empty authserv-id");
    std::string out;
    append_value(out, authserv_id);
    return out;
}

std::string format_authentication_results(const authentication_results& ar,
                                          std::size_t name_length) {
    std::string line = detail::format_authserv_id(ar.authserv_id);
    if (ar.version) line += fmt::format(" {}", *ar.version);
    line += ';';
    if (ar.results.empty()) line += " none";
    for (std::size_t i = 0; i < ar.results.size(); ++i) {
        line += ' ';
        line += format_method_result(ar.results[i]);
        if (i + 1 < ar.results.size()) line += ';';
    }
    std::string out;
    detail::append_folded(out, line, name_length);
    return out;
}

} // namespace arcrelay::auth::results
