// relay/handover.cpp — see handover.hpp. HMAC-SHA-256 from OpenSSL's libcrypto (RFC 2104);
// the comparison is constant-time (CRYPTO_memcmp).
#include "relay/handover.hpp"

#include "auth/results/removal.hpp"
#include "mail/address.hpp"
#include "mail/base64.hpp"
#include "mail/canonicalization.hpp"
#include "mail/tag_list.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <charconv>
#include <memory>
#include <optional>

namespace arcrelay::relay {
namespace {

// RFC 6376 3.4.2 relaxed header canonicalization of a value (unfolded, WSP runs as one SP,
// no WSP at either end): Mailman refolds long fields on the way out.
std::string normalize(std::string_view value) {
    std::string out;
    mail::append_canonical_header(out, fmt::format("v:{}\r\n", value),
                                  mail::canonicalization::relaxed);
    return out.substr(2, out.size() - 4); // without "v:" and the CRLF
}

std::string first_value(const mail::message& m, std::string_view name) {
    const auto fields = m.fields(name);
    return fields.empty() ? std::string() : normalize(fields.front()->value());
}

std::string from_domains(const mail::message& m) {
    const auto domains = mail::author_domains(m);
    if (!domains) return {};
    std::string out;
    for (const auto& d : *domains) {
        if (!out.empty()) out += ',';
        for (char c : d)
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

struct mac_ctx_free {
    void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// An HMAC-SHA-256 context made once per thread: the one-shot HMAC() fetches the algorithm and
// the digest from the provider store on every call (locks and table lookups, most of its cost
// for a field this short); EVP_MAC_init with a key starts this one afresh.
EVP_MAC_CTX* hmac_sha256() {
    thread_local const std::unique_ptr<EVP_MAC_CTX, mac_ctx_free> ctx = [] {
        std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(
            EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
        std::unique_ptr<EVP_MAC_CTX, mac_ctx_free> c(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (c && EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
        return c;
    }();
    return ctx.get();
}

// RFC 2104 HMAC-SHA-256 of `input` under `secret`, base64; empty when libcrypto fails (an
// empty MAC never matches). A secret is never empty (handover_secrets.cpp's minimum size):
// EVP_MAC_init without a key would reuse the previous one.
std::string mac_base64(std::string_view secret, std::string_view input) {
    auto* ctx = hmac_sha256();
    unsigned char digest[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    if (!ctx || secret.empty() ||
        EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr) != 1 ||
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(input.data()), input.size()) !=
            1 ||
        EVP_MAC_final(ctx, digest, &length, sizeof digest) != 1)
        return {};
    return mail::base64_encode({digest, length});
}

bool is_handover(const mail::header_field& f) {
    return f.is(handover_field_name);
}

struct parsed_handover {
    std::uint64_t t = 0;
    std::string mac;
};

std::optional<parsed_handover> parse_handover(std::string_view value) {
    const auto tags = mail::parse_tag_list(value);
    if (!tags) return std::nullopt;
    const auto v = tags->get("v");
    const auto t = tags->get("t");
    const auto b = tags->get("b");
    if (!v || *v != "1" || !t || !b) return std::nullopt;
    parsed_handover out;
    const auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), out.t);
    if (ec != std::errc() || end != t->data() + t->size()) return std::nullopt;
    out.mac = mail::strip_whitespace(*b);
    return out;
}

bool mac_matches(const std::string& expected, const std::string& got) {
    return !expected.empty() && expected.size() == got.size() &&
           CRYPTO_memcmp(expected.data(), got.data(), got.size()) == 0;
}

bool claims_ours(const mail::header_field& f, std::string_view authserv_id) {
    return f.is("Authentication-Results") &&
           auth::results::claims_authserv_id(f.value(), authserv_id);
}

// Drops hand-over fields and every A-R field claiming our id except the one at `keep`.
void strip(mail::message& m, std::string_view authserv_id, std::size_t keep) {
    auto& headers = m.headers();
    std::vector<mail::header_field> kept;
    kept.reserve(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i)
        if (!is_handover(headers[i]) && (i == keep || !claims_ours(headers[i], authserv_id)))
            kept.push_back(std::move(headers[i]));
    headers = std::move(kept);
}

} // namespace

std::string handover_mac_input(const mail::message& m, std::string_view results_value,
                               std::uint64_t t) {
    return fmt::format("arcrelay-handover-v1\nt={}\nar={}\nmid={}\nfrom={}\n", t,
                       normalize(results_value), first_value(m, "Message-ID"), from_domains(m));
}

std::string handover_value(const mail::message& m, std::string_view results_value,
                           std::string_view secret, std::uint64_t t) {
    return fmt::format("v=1; t={}; b={}", t,
                       mac_base64(secret, handover_mac_input(m, results_value, t)));
}

void add_handover(mail::message& m, std::string_view results_value, const handover_keys& keys,
                  std::uint64_t now) {
    m.remove_if(is_handover);
    if (keys.secrets.empty()) return;
    m.prepend(mail::header_field::make(
        handover_field_name, handover_value(m, results_value, keys.secrets.front(), now)));
}

handover_verdict take_handover(mail::message& m, std::string_view authserv_id,
                               const handover_keys& keys, std::uint64_t now) {
    handover_verdict verdict;
    const auto fields = m.fields(handover_field_name);
    std::optional<parsed_handover> h;
    if (fields.size() != 1)
        verdict.reason = fields.empty() ? "no hand-over field" : "more than one hand-over field";
    else if (!(h = parse_handover(fields.front()->value())))
        verdict.reason = "malformed hand-over field";
    else if (h->t > now + handover_clock_skew_s)
        verdict.reason = "hand-over from the future";
    else if (now - std::min(now, h->t) > static_cast<std::uint64_t>(keys.max_age.count()))
        verdict.reason = "hand-over older than handover_max_age_s";
    constexpr auto none = static_cast<std::size_t>(-1);
    std::size_t covered = none;
    const auto& headers = m.headers();
    for (std::size_t i = 0; verdict.reason.empty() && i < headers.size() && covered == none; ++i) {
        if (!claims_ours(headers[i], authserv_id)) continue;
        const auto input = handover_mac_input(m, headers[i].value(), h->t);
        for (const auto& secret : keys.secrets)
            if (mac_matches(mac_base64(secret, input), h->mac)) covered = i;
    }
    if (verdict.reason.empty() && covered == none)
        verdict.reason = "hand-over MAC does not match this message";
    strip(m, authserv_id, covered);
    verdict.trusted = covered != none;
    return verdict;
}

} // namespace arcrelay::relay
