// auth/dkim/verify.cpp — RFC 6376 §6.1.1 (field), §6.1.2 (key), §6.1.3 (hashes).
#include "auth/dkim/verify.hpp"

#include "auth/dkim/signature.hpp"
#include "auth/dkim/signing_input.hpp"
#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace arcrelay::auth::dkim {

std::string_view result_name(result_code r) {
    switch (r) {
    case result_code::none:
        return "none";
    case result_code::pass:
        return "pass";
    case result_code::fail:
        return "fail";
    case result_code::neutral:
        return "neutral";
    case result_code::policy:
        return "policy";
    case result_code::temperror:
        return "temperror";
    case result_code::permerror:
        return "permerror";
    }
    return "none";
}

namespace {

// Best-effort d=/s=/a=/b= of a field that did not parse, for the report.
void describe_unparsed(std::string_view value, verification& v) {
    auto tags = mail::parse_tag_list(value);
    if (!tags) return;
    if (auto d = tags->get("d")) v.domain = std::string(d->substr(0, 255));
    if (auto s = tags->get("s")) v.selector = std::string(s->substr(0, 255));
    if (auto a = tags->get("a")) v.algorithm = std::string(a->substr(0, 64));
}

verification verify_one(const mail::message& m, const mail::header_field& field,
                        const key_map& keys, body_hash_cache& bodies, const verify_options& opt) {
    verification v;
    auto parsed = parse_dkim_signature(field.value());
    if (!parsed) {
        v.result = result_code::permerror;
        v.reason = parsed.error().message;
        describe_unparsed(field.value(), v);
        return v;
    }
    const signature& sig = *parsed;
    v.domain = sig.domain;
    v.selector = sig.selector;
    v.identity = sig.identity;
    v.algorithm = sig.algorithm_text;
    v.b_prefix = sig.b_text.substr(0, 8);
    auto fail = [&](result_code r, std::string reason) {
        v.result = r;
        v.reason = std::move(reason);
        return v;
    };
    if (!sig.alg)
        return fail(result_code::permerror, "unsupported algorithm " + sig.algorithm_text);
    if (*sig.alg == algorithm::rsa_sha1)
        return fail(result_code::policy, "rsa-sha1 is not accepted (RFC 8301 §3.1)");
    if (sig.expiration && *sig.expiration < opt.now)
        return fail(result_code::permerror,
                    fmt::format("signature expired (x={})", *sig.expiration));
    if (sig.timestamp && *sig.timestamp > opt.now + opt.clock_skew)
        return fail(result_code::permerror,
                    fmt::format("signature timestamp t={} is in the future", *sig.timestamp));

    auto it = keys.find(key_name(sig.selector, sig.domain));
    if (it == keys.end()) return fail(result_code::temperror, "key was not looked up");
    const key_answer& key = it->second;
    switch (key.status) {
    case key_status::none:
        return fail(result_code::permerror, key.reason);
    case key_status::temporary:
        return fail(result_code::temperror, key.reason);
    case key_status::invalid:
        return fail(result_code::permerror, key.reason);
    case key_status::found:
        break;
    }
    const key_record& rec = *key.record;
    v.testing = rec.testing;
    if (rec.revoked) return fail(result_code::permerror, "key revoked (empty p=)");
    if (rec.type != key_type_of(*sig.alg))
        return fail(result_code::permerror,
                    fmt::format("key type {} does not match a={}", key_type_name(rec.type),
                                sig.algorithm_text));
    if (!rec.allows(*sig.alg))
        return fail(result_code::permerror, "key record h= does not allow the hash");
    if (rec.strict_identity) {
        auto at = sig.identity.rfind('@');
        std::string idom = sig.identity.substr(at + 1);
        std::transform(idom.begin(), idom.end(), idom.begin(), ::tolower);
        if (idom != sig.domain)
            return fail(result_code::permerror, "key t=s forbids an i= subdomain of d=");
    }
    v.key_bits = rec.key->bits();

    const body_hash& bh = bodies.get(sig.body_canon, sig.body_length);
    if (sig.body_length && *sig.body_length > bh.canonical_length)
        return fail(result_code::permerror, fmt::format("l={} is longer than the body ({} bytes)",
                                                        *sig.body_length, bh.canonical_length));
    if (sig.body_hash.size() != bh.digest.size() ||
        std::memcmp(sig.body_hash.data(), bh.digest.data(), bh.digest.size()) != 0)
        return fail(result_code::fail, "body hash did not verify");
    auto input = header_signing_input(m, sig.signed_headers, field, sig.header_canon);
    if (!verify_signature(*rec.key, *sig.alg, input, sig.b))
        return fail(result_code::fail, "signature did not verify");
    v.result = result_code::pass;
    return v;
}

} // namespace

std::vector<std::string> dkim_key_names(const mail::message& m, std::size_t max_signatures) {
    std::vector<std::string> names;
    for (const auto* f : m.fields(dkim_signature_field)) {
        if (names.size() >= max_signatures) break;
        auto tags = mail::parse_tag_list(f->value());
        if (!tags) continue;
        auto d = tags->get("d");
        auto s = tags->get("s");
        if (d && s && !d->empty() && !s->empty()) names.push_back(key_name(*s, *d));
    }
    return names;
}

std::vector<verification> verify_dkim(const mail::message& m, const key_map& keys,
                                      body_hash_cache& bodies, const verify_options& opt) {
    std::vector<verification> out;
    for (const auto* f : m.fields(dkim_signature_field)) {
        if (out.size() >= opt.max_signatures) {
            verification v;
            v.result = result_code::neutral;
            v.reason = fmt::format("not verified: more than {} signatures", opt.max_signatures);
            describe_unparsed(f->value(), v);
            out.push_back(std::move(v));
            continue;
        }
        out.push_back(verify_one(m, *f, keys, bodies, opt));
    }
    return out;
}

std::vector<verification> verify_dkim(const mail::message& m, dns::resolver& resolver,
                                      const verify_options& opt) {
    auto keys = fetch_keys(resolver, dkim_key_names(m, opt.max_signatures));
    body_hash_cache bodies(m.body());
    return verify_dkim(m, keys, bodies, opt);
}

} // namespace arcrelay::auth::dkim
