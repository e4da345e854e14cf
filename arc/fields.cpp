// arc/fields.cpp — parsing of ARC-Seal, ARC-Message-Signature and the instance of
// ARC-Authentication-Results (RFC 8617 §4.1.1–§4.1.3, §4.2.1).
#include "arc/fields.hpp"

#include "auth/dkim/signature.hpp"
#include "mail/base64.hpp"
#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::arc {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    return out;
}

bool is_fws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 6376 §3.5 d= / s=: dot-separated labels of letters, digits, '-' and '_'
// (RFC 1035 §2.3.1, RFC 2782 underscores).
bool is_dns_name(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

result<std::vector<std::uint8_t>> decode_base64_tag(const mail::tag_list& t, const char* name) {
    auto v = t.get(name);
    if (!v) return permanent_error(fmt::format("missing {}= tag", name));
    auto text = mail::strip_whitespace(*v);
    if (text.empty()) return permanent_error(fmt::format("empty {}= tag", name));
    auto bytes = mail::base64_decode(text);
    if (!bytes || bytes->empty())
        return permanent_error(fmt::format("{}= is not valid base64", name));
    return std::move(*bytes);
}

status parse_common(const mail::tag_list& t, signature_tags& c) {
    auto i = t.get("i");
    if (!i) return permanent_error("missing i= tag");
    auto instance = parse_instance(*i);
    if (!instance) return instance.error();
    c.instance = *instance;

    auto a = t.get("a");
    if (!a || a->empty()) return permanent_error("missing a= tag");
    c.algorithm = std::string(*a);
    c.alg = arc_algorithm(*a);

    auto b = decode_base64_tag(t, "b");
    if (!b) return b.error();
    c.signature = std::move(*b);

    auto d = t.get("d");
    if (!d || !is_dns_name(*d)) return permanent_error("missing or invalid d= tag");
    c.domain = lower(*d);
    auto s = t.get("s");
    if (!s || !is_dns_name(*s)) return permanent_error("missing or invalid s= tag");
    c.selector = std::string(*s);

    if (auto ts = t.get("t")) {
        c.timestamp = auth::dkim::parse_number(*ts);
        if (!c.timestamp) return permanent_error("t= is not a number");
    }
    return ok_v;
}

} // namespace

std::string_view chain_status_name(chain_status s) {
    switch (s) {
    case chain_status::none:
        return "none";
    case chain_status::pass:
        return "pass";
    case chain_status::fail:
        return "fail";
    }
    return "fail";
}

std::optional<auth::dkim::algorithm> arc_algorithm(std::string_view a) {
    // Tag values are case-sensitive (RFC 6376 §3.2); rsa-sha1 is not an ARC algorithm
    // (RFC 8617 §4.1.3 uses rsa-sha256, RFC 8301 §3.1 forbids sha1).
    if (a == "rsa-sha256") return auth::dkim::algorithm::rsa_sha256;
    if (a == "ed25519-sha256") return auth::dkim::algorithm::ed25519_sha256;
    return std::nullopt;
}

result<std::uint32_t> parse_instance(std::string_view text) {
    if (text.empty()) return permanent_error("empty instance (i=)");
    if (text.size() > 3 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return permanent_error(fmt::format("invalid instance i={:.16}", text));
    std::uint32_t n = 0;
    for (char c : text)
        n = n * 10 + static_cast<std::uint32_t>(c - '0');
    if (n < 1 || n > max_instance)
        return permanent_error(fmt::format("instance i={} outside 1..{}", n, max_instance));
    return n;
}

result<arc_seal> parse_arc_seal(std::string_view value) {
    auto tags = mail::parse_tag_list(value);
    if (!tags) return tags.error();
    const auto& t = *tags;
    // RFC 8617 §4.1.3: "ARC-Seal header fields MUST NOT include h= tags".
    if (t.has("h")) return permanent_error("ARC-Seal has an h= tag");
    arc_seal seal;
    if (auto c = parse_common(t, seal); !c) return c.error();
    auto cv = t.get("cv");
    if (!cv) return permanent_error("missing cv= tag");
    if (*cv == "none")
        seal.cv = chain_status::none;
    else if (*cv == "pass")
        seal.cv = chain_status::pass;
    else if (*cv == "fail")
        seal.cv = chain_status::fail;
    else
        return permanent_error(fmt::format("invalid cv={:.16}", *cv));
    return seal;
}

result<message_signature> parse_message_signature(std::string_view value) {
    auto tags = mail::parse_tag_list(value);
    if (!tags) return tags.error();
    const auto& t = *tags;
    message_signature sig;
    if (auto c = parse_common(t, sig); !c) return c.error();

    auto bh = decode_base64_tag(t, "bh");
    if (!bh) return bh.error();
    sig.body_hash = std::move(*bh);
    if (auto canon = t.get("c")) {
        auto parsed = auth::dkim::parse_canonicalization(*canon);
        if (!parsed) return parsed.error();
        sig.header_canon = parsed->first;
        sig.body_canon = parsed->second;
    }
    auto h = t.get("h");
    if (!h) return permanent_error("missing h= tag");
    sig.signed_headers = mail::split_colon_list(*h);
    for (const auto& name : sig.signed_headers)
        if (mail::iequals(name, seal_field_name))
            return permanent_error("h= lists ARC-Seal (RFC 8617 §4.1.2)");
    auto number = [&](const char* name, std::optional<std::uint64_t>& out) -> status {
        if (auto x = t.get(name)) {
            out = auth::dkim::parse_number(*x);
            if (!out) return permanent_error(fmt::format("{}= is not a number", name));
        }
        return ok_v;
    };
    if (auto s = number("l", sig.body_length); !s) return s.error();
    if (auto s = number("x", sig.expiration); !s) return s.error();
    return sig;
}

result<std::uint32_t> parse_results_instance(std::string_view value) {
    std::size_t p = 0;
    auto skip_fws = [&] {
        while (p < value.size() && is_fws(value[p]))
            ++p;
    };
    skip_fws();
    if (p >= value.size() || value[p] != 'i')
        return permanent_error("ARC-Authentication-Results does not start with i=");
    ++p;
    skip_fws();
    if (p >= value.size() || value[p] != '=')
        return permanent_error("ARC-Authentication-Results does not start with i=");
    ++p;
    skip_fws();
    std::size_t digits = p;
    while (p < value.size() && value[p] >= '0' && value[p] <= '9' && p - digits < 4)
        ++p;
    auto instance = parse_instance(value.substr(digits, p - digits));
    if (!instance) return instance.error();
    skip_fws();
    if (p >= value.size() || value[p] != ';')
        return permanent_error("ARC-Authentication-Results: no ';' after i=");
    return instance;
}

} // namespace arcrelay::arc
