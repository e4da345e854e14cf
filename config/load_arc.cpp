// config/load_arc.cpp — [arc] and [[arc.key]]: sealing keys and chain trust settings.
//
// RFC 8617 4.1.2 (AMS h=), 7.2 (trusted sealers); DESIGN.md "ARC with several algorithms"
// (the algorithms of the keys are the ones we seal with, at most one key each).
#include "config/load_sections.hpp"
#include "config/syntax.hpp"

#include <algorithm>

namespace arcrelay::config::detail {
namespace {

signing_key read_key(table_reader r) {
    signing_key k;
    read_into(k.algorithm, read_choice<signing_algorithm>(r, "algorithm"));
    k.domain = ascii_lower(r.required_string("domain"));
    if (!is_domain_name(k.domain, true)) r.fail("domain", "must be a domain name (d=)");
    k.selector = ascii_lower(r.required_string("selector"));
    // RFC 6376 3.1: a selector is a sub-domain (one or more labels).
    if (!is_domain_name(k.selector, false)) r.fail("selector", "must be DNS labels (s=)");
    k.private_key = r.required_string("private_key");
    if (k.private_key.empty()) r.fail("private_key", "must be a file path");
    r.finish();
    return k;
}

// RFC 8617 4.1.2 and DESIGN.md: the AMS never signs Authentication-Results or ARC-*
// fields; RFC 6376 5.4 requires From.
std::vector<std::string> read_sign_headers(table_reader& r) {
    std::vector<std::string> names;
    const auto list = r.strings("sign_headers");
    if (!list) return names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string name = ascii_lower((*list)[i]);
        if (!is_field_name(name)) r.fail_at("sign_headers", i, "not a header field name");
        if (name == "authentication-results" || name.starts_with("arc-"))
            r.fail_at("sign_headers", i, fmt::format("{} must not be signed by the AMS", name));
        names.push_back(name);
    }
    if (std::find(names.begin(), names.end(), "from") == names.end())
        r.fail("sign_headers", "must include from (RFC 6376 5.4)");
    return names;
}

} // namespace

arc_settings read_arc(table_reader r) {
    arc_settings a;
    auto key_tables = r.tables("key");
    for (std::size_t i = 0; i < key_tables.size(); ++i) {
        signing_key k = read_key(key_tables[i]);
        for (const auto& earlier : a.keys)
            if (earlier.algorithm == k.algorithm)
                key_tables[i].fail(
                    "algorithm",
                    fmt::format("a second {} key (one key per algorithm)", name_of(k.algorithm)));
        a.keys.push_back(std::move(k));
    }
    a.sign_headers = read_sign_headers(r);
    read_into(a.seal_unsealed, read_choice<unsealed_policy>(r, "seal_unsealed"));
    if (const auto sealers = r.strings("trusted_sealers")) {
        for (std::size_t i = 0; i < sealers->size(); ++i) {
            if (!is_domain_name((*sealers)[i], true))
                r.fail_at("trusted_sealers", i, "must be a domain name");
            a.trusted_sealers.push_back(ascii_lower((*sealers)[i]));
        }
    }
    if (const auto ids = r.strings("trusted_authserv_ids")) {
        for (std::size_t i = 0; i < ids->size(); ++i)
            if (!is_token((*ids)[i]))
                r.fail_at("trusted_authserv_ids", i, "must be an authserv-id (RFC 8601 2.5)");
        a.trusted_authserv_ids = *ids;
    }
    if (const auto files = r.strings("handover_secrets")) {
        for (std::size_t i = 0; i < files->size(); ++i)
            if ((*files)[i].empty()) r.fail_at("handover_secrets", i, "must be a file path");
        a.handover_secrets = *files;
    }
    // A moderator may hold a post for days; a month is the most a hand-over may be trusted.
    if (const auto n = r.integer("handover_max_age_s", 60, 30 * 86'400))
        a.handover_max_age = seconds(*n);
    r.finish();
    return a;
}

} // namespace arcrelay::config::detail
