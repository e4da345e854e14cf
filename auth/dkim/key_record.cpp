// auth/dkim/key_record.cpp — RFC 6376 §3.6.1 key record tags v, h, k, n, p, s, t.
#include "auth/dkim/key_record.hpp"

#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::auth::dkim {

bool key_record::allows(algorithm a) const {
    if (hashes.empty()) return true;
    std::string_view wanted = a == algorithm::rsa_sha1 ? "sha1" : "sha256";
    return std::find(hashes.begin(), hashes.end(), wanted) != hashes.end();
}

result<key_record> parse_key_record(std::string_view txt) {
    auto tags = mail::parse_tag_list(txt);
    if (!tags) return permanent_error("key record: " + tags.error().message);
    key_record rec;
    if (auto v = tags->get("v")) {
        if (*v != "DKIM1") return permanent_error(fmt::format("key record: v={} is not DKIM1", *v));
        if (tags->tags().front().name != "v")
            return permanent_error("key record: v= is not the first tag");
    }
    if (auto h = tags->get("h")) rec.hashes = mail::split_colon_list(*h);
    if (auto k = tags->get("k")) {
        if (*k == "rsa")
            rec.type = key_type::rsa;
        else if (*k == "ed25519")
            rec.type = key_type::ed25519;
        else
            return permanent_error(fmt::format("key record: unknown key type k={}", *k));
    }
    if (auto s = tags->get("s")) {
        auto services = mail::split_colon_list(*s);
        if (std::find(services.begin(), services.end(), "*") == services.end() &&
            std::find(services.begin(), services.end(), "email") == services.end())
            return permanent_error("key record: s= does not include email");
    }
    if (auto t = tags->get("t")) {
        for (const auto& flag : mail::split_colon_list(*t)) {
            if (flag == "y") rec.testing = true;
            if (flag == "s") rec.strict_identity = true;
        }
    }
    auto p = tags->get("p");
    if (!p) return permanent_error("key record: no p= tag");
    auto data = mail::strip_whitespace(*p);
    if (data.empty()) {
        rec.revoked = true; // RFC 6376 §3.6.1: an empty p= means the key was revoked
        return rec;
    }
    auto key = parse_public_key(rec.type, data);
    if (!key) return permanent_error("key record: " + key.error().message);
    rec.key = std::move(*key);
    return rec;
}

std::string key_name(std::string_view selector, std::string_view domain) {
    std::string name = fmt::format("{}._domainkey.{}", selector, domain);
    for (auto& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (!name.empty() && name.back() == '.') name.pop_back();
    return name;
}

} // namespace arcrelay::auth::dkim
