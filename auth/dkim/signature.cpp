// auth/dkim/signature.cpp — RFC 6376 §3.5 tags and §6.1.1 validation of the field.
#include "auth/dkim/signature.hpp"

#include "mail/base64.hpp"
#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::auth::dkim {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

result<mail::canonicalization> one_canon(std::string_view s) {
    if (s == "simple") return mail::canonicalization::simple;
    if (s == "relaxed") return mail::canonicalization::relaxed;
    return permanent_error(fmt::format("unknown canonicalization '{:.32}'", s));
}

bool ends_with_domain(std::string_view sub, std::string_view domain) {
    if (sub == domain) return true;
    return sub.size() > domain.size() && sub.substr(sub.size() - domain.size()) == domain &&
           sub[sub.size() - domain.size() - 1] == '.';
}

} // namespace

std::optional<std::uint64_t> parse_number(std::string_view v) {
    if (v.empty() || v.size() > 18) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

result<std::pair<mail::canonicalization, mail::canonicalization>>
parse_canonicalization(std::string_view c) {
    auto slash = c.find('/');
    auto h = one_canon(c.substr(0, slash));
    if (!h) return h.error();
    if (slash == std::string_view::npos) // RFC 6376 §3.5 c=: body defaults to simple
        return std::pair{*h, mail::canonicalization::simple};
    auto b = one_canon(c.substr(slash + 1));
    if (!b) return b.error();
    return std::pair{*h, *b};
}

result<signature> parse_dkim_signature(std::string_view value) {
    auto tags = mail::parse_tag_list(value);
    if (!tags) return tags.error();
    const auto& t = *tags;
    auto v = t.get("v");
    if (!v) return permanent_error("missing v= tag");
    if (*v != "1") return permanent_error(fmt::format("unsupported version v={:.16}", *v));
    for (const char* required : {"a", "b", "bh", "d", "h", "s"})
        if (!t.has(required)) return permanent_error(fmt::format("missing {}= tag", required));

    signature sig;
    sig.algorithm_text = std::string(*t.get("a"));
    sig.alg = parse_algorithm(sig.algorithm_text);
    sig.b_text = mail::strip_whitespace(*t.get("b"));
    auto b = mail::base64_decode(sig.b_text);
    if (!b || b->empty()) return permanent_error("b= is not valid base64");
    sig.b = std::move(*b);
    auto bh = mail::base64_decode(mail::strip_whitespace(*t.get("bh")));
    if (!bh || bh->empty()) return permanent_error("bh= is not valid base64");
    sig.body_hash = std::move(*bh);
    if (auto c = t.get("c")) {
        auto canon = parse_canonicalization(*c);
        if (!canon) return canon.error();
        sig.header_canon = canon->first;
        sig.body_canon = canon->second;
    }
    sig.domain = lower(*t.get("d"));
    while (!sig.domain.empty() && sig.domain.back() == '.')
        sig.domain.pop_back();
    if (sig.domain.empty()) return permanent_error("empty d= tag");
    sig.selector = std::string(*t.get("s"));
    if (sig.selector.empty()) return permanent_error("empty s= tag");
    sig.signed_headers = mail::split_colon_list(*t.get("h"));
    if (std::none_of(sig.signed_headers.begin(), sig.signed_headers.end(),
                     [](const std::string& h) { return lower(h) == "from"; }))
        return permanent_error("h= does not include From (RFC 6376 §5.4)");
    sig.identity = "@" + sig.domain;
    if (auto i = t.get("i")) {
        sig.identity = std::string(*i);
        auto at = sig.identity.rfind('@');
        if (at == std::string::npos) return permanent_error("i= has no '@'");
        if (!ends_with_domain(lower(sig.identity.substr(at + 1)), sig.domain))
            return permanent_error("i= domain is not d= or a subdomain of it");
    }
    if (auto q = t.get("q"); q && lower(*q).find("dns/txt") == std::string::npos)
        return permanent_error(fmt::format("unsupported query method q={:.32}", *q));
    auto number = [&](const char* name, std::optional<std::uint64_t>& out) -> status {
        if (auto x = t.get(name)) {
            out = parse_number(*x);
            if (!out) return permanent_error(fmt::format("{}= is not a number", name));
        }
        return ok_v;
    };
    if (auto s = number("l", sig.body_length); !s) return s.error();
    if (auto s = number("t", sig.timestamp); !s) return s.error();
    if (auto s = number("x", sig.expiration); !s) return s.error();
    if (sig.timestamp && sig.expiration && *sig.expiration < *sig.timestamp)
        return permanent_error("x= is before t=");
    return sig;
}

} // namespace arcrelay::auth::dkim
