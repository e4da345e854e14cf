// tests/unit/arc/chain_builder.hpp — builds ARC chains for the tests: generated keys for
// both algorithms served by a static zone, a base message, sealing hop after hop with a
// fixed clock.
#pragma once

#include "test_support.hpp"

#include "arc/seal_input.hpp"
#include "auth/dkim/crypto.hpp"
#include "auth/dkim/signing_input.hpp"
#include "mail/base64.hpp"

#include <fmt/format.h>

#include <vector>

namespace arc_test {

inline const auth::dkim::private_key& test_key(auth::dkim::key_type type) {
    static const auto rsa = *auth::dkim::generate_private_key(auth::dkim::key_type::rsa, 1024);
    static const auto ed = *auth::dkim::generate_private_key(auth::dkim::key_type::ed25519, 0);
    return type == auth::dkim::key_type::rsa ? rsa : ed;
}

inline const std::string base_message_text =
    "Received: from mail.example.com (mail.example.com [192.0.2.10])\r\n"
    "\tby mx.hop.test; Thu, 1 Jan 2026 00:00:00 +0000\r\n"
    "From: Alice <alice@example.com>\r\n"
    "To: list@lists.example.org\r\n"
    "Subject: ARC test\r\n"
    "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
    "Message-ID: <arc-test@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Hello,\r\n"
    "this is the body.\r\n";

inline mail::message base_message() {
    return *mail::parse_message(base_message_text);
}

struct chain_builder {
    static_zone zone;
    seal_options options;

    // The hop's sealing keys: domain hopN.test, selectors "rsa" and "ed".
    std::vector<sealing_key> keys(std::uint32_t hop, bool rsa = true, bool ed = true) {
        std::vector<sealing_key> out;
        auto domain = fmt::format("hop{}.test", hop);
        if (rsa) {
            const auto& k = test_key(auth::dkim::key_type::rsa);
            zone.add("rsa._domainkey." + domain, rr_type::txt,
                     "v=DKIM1; k=rsa; p=" + k.public_key_base64());
            out.push_back({auth::dkim::algorithm::rsa_sha256, domain, "rsa", k});
        }
        if (ed) {
            const auto& k = test_key(auth::dkim::key_type::ed25519);
            zone.add("ed._domainkey." + domain, rr_type::txt,
                     "v=DKIM1; k=ed25519; p=" + k.public_key_base64());
            out.push_back({auth::dkim::algorithm::ed25519_sha256, domain, "ed", k});
        }
        return out;
    }

    validation_result validate(const mail::message& m) {
        return validate_message(m, zone, fixed_now);
    }

    // Validates, then seals with the given keys; returns what seal said.
    seal_output hop(mail::message& m, const std::vector<sealing_key>& k) {
        auto v = validate(m);
        auto results = fmt::format("hop.test; arc={}", arc_result_name(v.result));
        auto out = seal_message(m, v, results, k, fixed_now, options);
        BOOST_REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
        add_sealed_fields(m, *out);
        return *out;
    }

    // A message sealed `hops` times with both algorithms (or only those asked for).
    mail::message chain(std::uint32_t hops, bool rsa = true, bool ed = true) {
        auto m = base_message();
        for (std::uint32_t i = 1; i <= hops; ++i)
            hop(m, keys(i, rsa, ed));
        return m;
    }
};

// Adds a set by hand, for layouts arcrelay's sealer never writes: an AMS signing From and
// Subject with an optional l=, and an AS over `earlier` plus the new set. The new set uses
// `shared_results` as its AAR, or a new one.
inline void hand_seal(mail::message& m, const sealing_key& k, std::uint32_t instance,
                      chain_status cv, std::vector<set_fields> earlier,
                      const mail::header_field* shared_results = nullptr,
                      std::optional<std::uint64_t> length = std::nullopt) {
    using mail::header_field;
    constexpr auto relaxed = mail::canonicalization::relaxed;
    auto with_b = [](const header_field& f, const std::vector<std::uint8_t>& sig) {
        return header_field(f.raw().substr(0, f.raw().size() - 2) + mail::base64_encode(sig) +
                            "\r\n");
    };
    auto alg = std::string(auth::dkim::algorithm_name(k.algorithm));
    auto body = mail::canonicalize_body(m.body(), relaxed);
    auto bh = mail::sha256(length ? body.substr(0, *length) : body);
    auto aar = header_field::make("ARC-Authentication-Results",
                                  fmt::format("i={}; hand.test; arc=pass", instance));
    const auto& results = shared_results ? *shared_results : aar;
    auto ams = header_field::make(
        "ARC-Message-Signature",
        fmt::format("i={}; a={}; c=relaxed/relaxed; d={}; s={}; h=from:subject;{} bh={}; b=",
                    instance, alg, k.domain, k.selector,
                    length ? fmt::format(" l={};", *length) : "", mail::base64_encode(bh)));
    ams = with_b(ams, *auth::dkim::sign_data(
                          k.key, k.algorithm,
                          auth::dkim::header_signing_input(m, {"from", "subject"}, ams, relaxed)));
    auto as = header_field::make("ARC-Seal",
                                 fmt::format("i={}; a={}; cv={}; d={}; s={}; b=", instance, alg,
                                             chain_status_name(cv), k.domain, k.selector));
    earlier.push_back({&results, &ams, &as});
    as = with_b(as, *auth::dkim::sign_data(k.key, k.algorithm, seal_signing_input(earlier)));
    if (!shared_results) m.prepend(aar);
    m.prepend(ams);
    m.prepend(as);
}

// The fields of every set of the message's first longest chain, oldest first.
inline std::vector<set_fields> chain_fields(const arc_chain& c) {
    std::vector<set_fields> out;
    for (auto k : c.longest.front().sets)
        out.push_back({c.sets[k].results_field, c.sets[k].signature_field, c.sets[k].seal_field});
    return out;
}

} // namespace arc_test
