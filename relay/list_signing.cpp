// relay/list_signing.cpp — see list_signing.hpp. RFC 6376 §5 via auth/dkim/sign.
#include "relay/list_signing.hpp"

#include "auth/dkim/sign.hpp"

namespace arcrelay::relay {

bool key_covers(std::string_view key_domain, std::string_view list_domain) {
    if (mail::iequals(key_domain, list_domain)) return true;
    return list_domain.size() > key_domain.size() + 1 &&
           list_domain[list_domain.size() - key_domain.size() - 1] == '.' &&
           mail::iequals(list_domain.substr(list_domain.size() - key_domain.size()), key_domain);
}

result<std::size_t> sign_for_list(mail::message& m, const config::mailing_list& list,
                                  const std::vector<sealing_key>& keys, std::uint64_t now) {
    return sign_for_domain(m, list.domain, keys, now);
}

result<std::size_t> sign_for_domain(mail::message& m, std::string_view domain,
                                    const std::vector<sealing_key>& keys, std::uint64_t now) {
    std::vector<mail::header_field> signatures;
    for (const auto& k : keys) {
        if (!key_covers(k.settings.domain, domain)) continue;
        auth::dkim::signer s;
        s.alg = k.settings.algorithm == config::signing_algorithm::rsa_sha256
                    ? auth::dkim::algorithm::rsa_sha256
                    : auth::dkim::algorithm::ed25519_sha256;
        s.domain = k.settings.domain;
        s.selector = k.settings.selector;
        s.key = k.key;
        auto field = auth::dkim::sign_dkim(m, s, now);
        if (!field) return field.error();
        signatures.push_back(std::move(*field));
    }
    // Signed over the same header block, then added together (neither covers the other).
    for (auto& f : signatures)
        m.prepend(std::move(f));
    return signatures.size();
}

} // namespace arcrelay::relay
