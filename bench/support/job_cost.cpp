// bench/support/job_cost.cpp — see job_cost.hpp.
#include "bench/support/job_cost.hpp"

#include "arc/fields.hpp"
#include "auth/dkim/signature.hpp"
#include "mail/canonicalization.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace arcrelay::bench {

namespace {

using auth::dkim::algorithm;
using body_key = std::pair<mail::canonicalization, std::optional<std::uint64_t>>;

class counter {
public:
    counter(const mail::message& m, job_cost& cost) : m_(m), cost_(cost) {}

    void verify(std::optional<algorithm> alg) {
        if (alg == algorithm::ed25519_sha256)
            ++cost_.ed_verify;
        else if (alg)
            ++cost_.rsa_verify;
    }

    // A signature over the body: hashed once per (c=, l=); verified only if the hash matches.
    void verify_body_signature(std::optional<algorithm> alg, mail::canonicalization c,
                               std::optional<std::uint64_t> l,
                               const std::vector<std::uint8_t>& body_hash) {
        const auto& h = hash({c, l});
        if (std::equal(body_hash.begin(), body_hash.end(), h.digest.begin(), h.digest.end()))
            verify(alg);
    }

    void hash_for_seal() { hash({mail::canonicalization::relaxed, std::nullopt}); }

private:
    struct hashed {
        mail::sha256_digest digest{};
    };

    const hashed& hash(const body_key& key) {
        if (auto it = hashes_.find(key); it != hashes_.end()) return it->second;
        mail::body_hasher h(key.first, key.second);
        h.update(m_.body());
        hashed out{h.finish()};
        auto length = h.canonical_length();
        cost_.hash_bytes += key.second ? std::min(*key.second, length) : length;
        return hashes_.emplace(key, out).first->second;
    }

    const mail::message& m_;
    job_cost& cost_;
    std::map<body_key, hashed> hashes_;
};

unsigned seals_of(const mail::message& m, algorithm a) {
    unsigned n = 0;
    for (const auto* f : m.fields("ARC-Seal"))
        if (auto s = arc::parse_arc_seal(f->value()); s && s->alg == a) ++n;
    return n;
}

} // namespace

double job_cost::hash_seconds(const crypto_rates& r) const {
    return static_cast<double>(hash_bytes) / r.sha256_bytes;
}

double job_cost::seconds(const crypto_rates& r) const {
    return rsa_verify / r.rsa_verify + ed_verify / r.ed_verify + rsa_sign / r.rsa_sign +
           ed_sign / r.ed_sign + hash_seconds(r);
}

void job_cost::perform(crypto_ops& ops) const {
    for (unsigned i = 0; i < rsa_verify; ++i)
        ops.rsa_verify();
    for (unsigned i = 0; i < ed_verify; ++i)
        ops.ed_verify();
    for (unsigned i = 0; i < rsa_sign; ++i)
        ops.rsa_sign();
    for (unsigned i = 0; i < ed_sign; ++i)
        ops.ed_sign();
    ops.sha256(hash_bytes);
}

job_cost count_job_cost(const mail::message& input, const mail::message& output,
                        std::size_t max_dkim) {
    job_cost cost;
    counter c(input, cost);
    std::size_t dkim = 0;
    for (const auto* f : input.fields("DKIM-Signature")) {
        if (dkim++ == max_dkim) break;
        if (auto s = auth::dkim::parse_dkim_signature(f->value()))
            c.verify_body_signature(s->alg, s->body_canon, s->body_length, s->body_hash);
    }
    for (const auto* f : input.fields("ARC-Message-Signature"))
        if (auto s = arc::parse_message_signature(f->value()))
            c.verify_body_signature(s->alg, s->body_canon, s->body_length, s->body_hash);
    for (const auto* f : input.fields("ARC-Seal"))
        if (auto s = arc::parse_arc_seal(f->value())) c.verify(s->alg);
    // Each new set is one AMS and one AS of its algorithm.
    cost.rsa_sign =
        2 * (seals_of(output, algorithm::rsa_sha256) - seals_of(input, algorithm::rsa_sha256));
    cost.ed_sign = 2 * (seals_of(output, algorithm::ed25519_sha256) -
                        seals_of(input, algorithm::ed25519_sha256));
    if (cost.rsa_sign + cost.ed_sign > 0) c.hash_for_seal();
    return cost;
}

} // namespace arcrelay::bench
