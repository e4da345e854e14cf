// auth/results/parse.cpp — parser for the Authentication-Results value (RFC 8601 2.2) and the
// ARC-Authentication-Results value (RFC 8617 4.1.1). One forward pass over the input.
#include "auth/results/authentication_results.hpp"
#include "auth/results/lexer.hpp"

#include <charconv>
#include <utility>

namespace arcrelay::auth::results {

namespace {

using detail::scanner;
using detail::syntax_error;

// RFC 5321 4.1.2 Keyword, lower-cased (keywords compare case-insensitively).
result<std::string> keyword(scanner& s, std::string_view what) {
    std::string_view k = s.keyword();
    if (!detail::is_keyword(k)) return syntax_error(s, what);
    return detail::to_lower(k);
}

// RFC 6577 4.2: "hardfail" is the deprecated name of "fail".
std::string normalize_result(std::string r) {
    if (r == "hardfail") r = "fail";
    return r;
}

// DESIGN.md: read the pre-RFC property names, keep only the registered ones.
void normalize_property(property& p) {
    if (p.ptype == "smtp" && p.name == "client-ip") p.name = "remote-ip";
    if (p.ptype == "arc" && p.name == "oldest-pass") p.ptype = "header";
}

// 1*DIGIT as a number of at most `max_digits` digits (so it cannot overflow).
result<unsigned> number(scanner& s, std::string_view what, std::size_t max_digits = 9) {
    std::string_view d = s.digits();
    unsigned n = 0;
    if (d.empty() || d.size() > max_digits) return syntax_error(s, what);
    std::from_chars(d.data(), d.data() + d.size(), n);
    return n;
}

// value = token / quoted-string (RFC 8601 2.2 via RFC 2045 5.1)
result<std::string> value(scanner& s) {
    if (s.peek() == '"') return s.quoted_string();
    std::string_view t = s.token();
    if (t.empty()) return syntax_error(s, "expected a value");
    return std::string(t);
}

// pvalue = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]; the bare form is read
// leniently (see scanner::bare_value); a quoted local-part before "@" is kept as written.
result<std::string> pvalue(scanner& s) {
    if (s.peek() == '"') {
        std::size_t start = s.pos();
        auto q = s.quoted_string();
        if (!q) return q.error();
        if (!s.accept('@')) return q;
        std::string_view domain = s.bare_value();
        if (domain.empty()) return syntax_error(s, "expected a domain after '@'");
        return detail::unfold_trim(s.text().substr(start, s.pos() - start));
    }
    std::string_view v = s.bare_value();
    if (v.empty()) return syntax_error(s, "expected a property value");
    return std::string(v);
}

// methodspec [ CFWS reasonspec ] *( CFWS propspec ); the caller has read "method" already
// when it was "none" and stopped.
status resinfo_body(scanner& s, method_result& r) {
    if (auto st = s.skip_cfws(); !st) return st;
    if (s.accept('/')) {
        if (auto st = s.skip_cfws(); !st) return st;
        auto v = number(s, "expected a method-version");
        if (!v) return v.error();
        r.version = *v;
        if (auto st = s.skip_cfws(); !st) return st;
    }
    if (!s.accept('=')) return syntax_error(s, "expected '=' after the method");
    if (auto st = s.skip_cfws(); !st) return st;
    auto res = keyword(s, "expected a result");
    if (!res) return res.error();
    r.result = normalize_result(*res);
    if (auto st = s.skip_cfws(&r.comment); !st) return st;

    while (!s.at_end() && s.peek() != ';') {
        auto name = keyword(s, "expected reason or a ptype");
        if (!name) return name.error();
        if (auto st = s.skip_cfws(); !st) return st;
        if (s.accept('=')) {
            // reasonspec: once, before any propspec
            if (*name != "reason" || r.reason || !r.properties.empty())
                return syntax_error(s, "expected '.' after the ptype");
            if (auto st = s.skip_cfws(); !st) return st;
            auto v = s.peek() == '"' ? s.quoted_string() : pvalue(s);
            if (!v) return v.error();
            r.reason = std::move(*v);
        } else if (s.accept('.')) {
            property p;
            p.ptype = std::move(*name);
            if (auto st = s.skip_cfws(); !st) return st;
            auto prop = keyword(s, "expected a property");
            if (!prop) return prop.error();
            p.name = std::move(*prop);
            if (auto st = s.skip_cfws(); !st) return st;
            if (!s.accept('=')) return syntax_error(s, "expected '=' after the property");
            if (auto st = s.skip_cfws(); !st) return st;
            auto v = pvalue(s);
            if (!v) return v.error();
            p.value = std::move(*v);
            normalize_property(p);
            r.properties.push_back(std::move(p));
        } else {
            return syntax_error(s, "expected '.' after the ptype");
        }
        if (auto st = s.skip_cfws(); !st) return st;
    }
    return ok_v;
}

// authres-payload after the authserv-id has been read.
result<authentication_results> payload(scanner& s) {
    authentication_results ar;
    auto id = value(s);
    if (!id) return syntax_error(s, "missing authserv-id");
    if (id->empty()) return syntax_error(s, "empty authserv-id");
    ar.authserv_id = std::move(*id);

    std::size_t before = s.pos();
    if (auto st = s.skip_cfws(); !st) return st.error();
    if (s.pos() != before && s.peek() >= '0' && s.peek() <= '9') {
        auto v = number(s, "expected an authres-version");
        if (!v) return v.error();
        // RFC 8601 2.6: an unknown version means the rest may not be in a known format.
        if (*v != 1) return syntax_error(s, "unsupported authres-version");
        ar.version = *v;
        if (auto st = s.skip_cfws(); !st) return st.error();
    }
    if (s.at_end()) return syntax_error(s, "expected ';' after the authserv-id");

    while (!s.at_end()) {
        if (!s.accept(';')) return syntax_error(s, "expected ';'");
        std::size_t start = s.pos(); // the resinfo text keeps comments before the method
        if (auto st = s.skip_cfws(); !st) return st.error();
        if (s.at_end()) break; // a trailing ';' is common in the wild
        if (ar.none) return syntax_error(s, "\"none\" beside results");
        if (ar.results.size() == max_results) return syntax_error(s, "too many results");

        method_result r;
        auto method = keyword(s, "expected a method");
        if (!method) return method.error();
        r.method = std::move(*method);
        if (auto st = s.skip_cfws(); !st) return st.error();
        if (r.method == "none" && (s.at_end() || s.peek() == ';')) {
            // no-result (RFC 8601 2.2)
            if (!ar.results.empty()) return syntax_error(s, "\"none\" beside results");
            ar.none = true;
            continue;
        }
        if (auto st = resinfo_body(s, r); !st) return st.error();
        r.text = detail::unfold_trim(s.text().substr(start, s.pos() - start));
        ar.results.push_back(std::move(r));
    }
    return ar;
}

} // namespace

bool operator==(const method_result& a, const method_result& b) {
    return a.method == b.method && a.version == b.version && a.result == b.result &&
           a.reason == b.reason && a.properties == b.properties && a.comment == b.comment;
}

result<authentication_results> parse_authentication_results(std::string_view field_value) {
    if (field_value.size() > max_field_size)
        return permanent_error("Authentication-Results: field larger than max_field_size");
    scanner s(field_value);
    if (auto st = s.skip_cfws(); !st) return st.error();
    return payload(s);
}

result<arc_authentication_results> parse_arc_authentication_results(std::string_view field_value) {
    if (field_value.size() > max_field_size)
        return permanent_error("ARC-Authentication-Results: field larger than max_field_size");
    scanner s(field_value);
    // RFC 8617 4.1.1: arc-info = instance [CFWS] ";" authres-payload, where
    // instance = [FWS] "i" [FWS] "=" [FWS] 1*2DIGIT [FWS].
    if (auto st = s.skip_cfws(); !st) return st.error();
    if (!s.accept('i')) return syntax_error(s, "expected the i= tag");
    if (auto st = s.skip_cfws(); !st) return st.error();
    if (!s.accept('=')) return syntax_error(s, "expected '=' after i");
    if (auto st = s.skip_cfws(); !st) return st.error();
    auto n = number(s, "expected the instance number", 2);
    if (!n) return n.error();
    if (*n < 1 || *n > max_arc_instance) return syntax_error(s, "instance outside 1..50");
    if (auto st = s.skip_cfws(); !st) return st.error();
    if (!s.accept(';')) return syntax_error(s, "expected ';' after the instance");
    if (auto st = s.skip_cfws(); !st) return st.error();
    auto p = payload(s);
    if (!p) return p.error();
    return arc_authentication_results{*n, std::move(*p)};
}

result<std::string> parse_authserv_id(std::string_view field_value) {
    scanner s(field_value);
    if (auto st = s.skip_cfws(); !st) return st.error();
    auto id = value(s);
    if (!id) return syntax_error(s, "missing authserv-id");
    if (id->empty()) return syntax_error(s, "empty authserv-id");
    return id;
}

bool is_registered_ptype(std::string_view ptype) {
    return ptype == "smtp" || ptype == "header" || ptype == "body" || ptype == "policy";
}

} // namespace arcrelay::auth::results
