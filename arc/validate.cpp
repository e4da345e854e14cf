// arc/validate.cpp — RFC 8617 §5.2 validator actions, per longest chain (arc-multi §5.2).
#include "arc/validate.hpp"

#include "arc/seal_input.hpp"
#include "auth/dkim/key_record.hpp"
#include "auth/dkim/signing_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace arcrelay::arc {

namespace {

using auth::dkim::algorithm;

struct check {
    bool ok = false;
    std::string reason;
    bool temporary = false;
};

check failed(std::string reason, bool temporary = false) {
    return {false, std::move(reason), temporary};
}

// The key for (selector, domain), usable for `alg` (RFC 8617 §4.1.3 reuses RFC 6376 §3.6.1
// key records; RFC 8301 §3.2 key sizes are enforced by parse_public_key).
check verify_with_key(const auth::dkim::key_map& keys, std::string_view selector,
                      std::string_view domain, algorithm alg, std::string_view input,
                      std::span<const std::uint8_t> signature, std::string_view what) {
    auto name = auth::dkim::key_name(selector, domain);
    auto it = keys.find(name);
    if (it == keys.end()) return failed(fmt::format("{}: key {} was not looked up", what, name));
    const auto& answer = it->second;
    switch (answer.status) {
    case auth::dkim::key_status::found:
        break;
    case auth::dkim::key_status::temporary:
        // RFC 8617 §5.2.1: a DNS failure makes the chain fail; say it was temporary.
        return failed(fmt::format("{}: temporary DNS failure: {}", what, answer.reason), true);
    case auth::dkim::key_status::none:
    case auth::dkim::key_status::invalid:
        return failed(fmt::format("{}: {}", what, answer.reason));
    }
    const auto& rec = *answer.record;
    if (rec.revoked) return failed(fmt::format("{}: key {} is revoked", what, name));
    if (rec.type != auth::dkim::key_type_of(alg))
        return failed(fmt::format("{}: key {} is {}, not {}", what, name,
                                  auth::dkim::key_type_name(rec.type),
                                  auth::dkim::algorithm_name(alg)));
    if (!rec.allows(alg)) return failed(fmt::format("{}: key {} h= excludes sha256", what, name));
    if (!auth::dkim::verify_signature(*rec.key, alg, input, signature))
        return failed(fmt::format("{}: signature did not verify", what));
    return {true, {}, false};
}

class chain_validator {
public:
    chain_validator(const mail::message& m, const arc_chain& c, const auth::dkim::key_map& keys,
                    auth::dkim::body_hash_cache& bodies, std::uint64_t now)
        : m_(m), c_(c), keys_(keys), bodies_(bodies), now_(now) {}

    chain_result run(const algorithm_chain& chain) const {
        chain_result r;
        r.algorithm = chain.algorithm;
        r.length = static_cast<std::uint32_t>(chain.sets.size());
        auto fail = [&](std::string reason, bool temporary = false) {
            r.result = arc_result::fail;
            r.reason = std::move(reason);
            r.temporary = temporary;
            return r;
        };
        // arc-multi §5.2: an algorithm we cannot interpret on a longest chain fails it.
        if (!arc_algorithm(chain.algorithm))
            return fail(fmt::format("the longest chain uses a={:.32}, which we cannot process",
                                    chain.algorithm));
        if (!chain.broken.empty()) return fail(chain.broken);
        const auto n = chain.sets.size();
        // RFC 8617 §5.2 step 2: the newest seal reported a failed chain.
        if (set(chain, n).seal.cv == chain_status::fail)
            return fail(fmt::format("ARC-Seal i={} says cv=fail", n));
        // Step 3.3: cv=none at i=1, pass above.
        for (std::size_t i = 1; i <= n; ++i) {
            auto want = i == 1 ? chain_status::none : chain_status::pass;
            auto cv = set(chain, i).seal.cv;
            if (cv != want)
                return fail(fmt::format("ARC-Seal i={} has cv={}, expected cv={}", i,
                                        chain_status_name(cv), chain_status_name(want)));
        }
        // The same for the other algorithms on it (seals of single-set instances).
        for (std::size_t i = 1; i <= n; ++i)
            if (!set(chain, i).seal.alg)
                return fail(fmt::format("ARC-Seal i={} uses a={:.32}, which we cannot process", i,
                                        set(chain, i).seal.algorithm));
        // Step 4: the newest AMS.
        if (auto ams = verify_signature(set(chain, n), true); !ams.ok)
            return fail(std::move(ams.reason), ams.temporary);
        // Steps 5-6: oldest-pass is 0 when every older AMS verifies, else the instance
        // above the newest one that fails.
        for (std::size_t i = n - 1; i >= 1; --i)
            if (!verify_signature(set(chain, i), false).ok) {
                r.oldest_pass = static_cast<std::uint32_t>(i + 1);
                break;
            }
        // Step 7: every AS, newest first, each over the sets 1..i of this chain.
        for (std::size_t i = n; i >= 1; --i)
            if (auto as = verify_seal(chain, i); !as.ok)
                return fail(std::move(as.reason), as.temporary);
        r.result = arc_result::pass;
        return r;
    }

private:
    const arc_set& set(const algorithm_chain& chain, std::size_t instance) const {
        return c_.sets[chain.sets[instance - 1]];
    }

    // RFC 8617 §4.1.2 / RFC 6376 §6.1: body hash, then header signature. The older AMSs
    // (only for oldest-pass) may not make us hash the body more than max_body_hashes ways.
    check verify_signature(const arc_set& s, bool newest) const {
        const auto& sig = s.signature;
        auto what = fmt::format("ARC-Message-Signature i={}", s.instance);
        if (!sig.alg)
            return failed(fmt::format("{}: a={:.32} cannot be processed", what, sig.algorithm));
        if (sig.expiration && *sig.expiration < now_)
            return failed(fmt::format("{}: expired (x={})", what, *sig.expiration));
        auto variant = std::pair{sig.body_canon, sig.body_length};
        if (!newest && !hashed_.count(variant) && hashed_.size() >= max_body_hashes)
            return failed(
                fmt::format("{}: not checked, more than {} body hashes", what, max_body_hashes));
        hashed_.insert(variant);
        const auto& bh = bodies_.get(sig.body_canon, sig.body_length);
        if (sig.body_length && *sig.body_length > bh.canonical_length)
            return failed(fmt::format("{}: l={} is longer than the body", what, *sig.body_length));
        if (sig.body_hash.size() != bh.digest.size() ||
            std::memcmp(sig.body_hash.data(), bh.digest.data(), bh.digest.size()) != 0)
            return failed(fmt::format("{}: body hash did not verify", what));
        auto input = auth::dkim::header_signing_input(m_, sig.signed_headers, *s.signature_field,
                                                      sig.header_canon);
        return verify_with_key(keys_, sig.selector, sig.domain, *sig.alg, input, sig.signature,
                               what);
    }

    // RFC 8617 §5.1.1: the AS at `instance` covers sets 1..instance of its chain.
    check verify_seal(const algorithm_chain& chain, std::size_t instance) const {
        std::vector<set_fields> fields;
        for (std::size_t i = 1; i <= instance; ++i) {
            const auto& s = set(chain, i);
            fields.push_back({s.results_field, s.signature_field, s.seal_field});
        }
        const auto& seal = set(chain, instance).seal;
        return verify_with_key(keys_, seal.selector, seal.domain, *seal.alg,
                               seal_signing_input(fields), seal.signature,
                               fmt::format("ARC-Seal i={}", instance));
    }

    const mail::message& m_;
    const arc_chain& c_;
    const auth::dkim::key_map& keys_;
    auth::dkim::body_hash_cache& bodies_;
    std::uint64_t now_;
    mutable std::set<std::pair<mail::canonicalization, std::optional<std::uint64_t>>> hashed_;
};

} // namespace

std::string_view arc_result_name(arc_result r) {
    switch (r) {
    case arc_result::none:
        return "none";
    case arc_result::pass:
        return "pass";
    case arc_result::fail:
        return "fail";
    }
    return "fail";
}

std::vector<std::string> key_names(const arc_chain& chain) {
    std::vector<std::string> names;
    auto add = [&](std::string name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
    };
    for (const auto& c : chain.longest)
        for (auto k : c.sets) {
            const auto& s = chain.sets[k];
            add(auth::dkim::key_name(s.seal.selector, s.seal.domain));
            add(auth::dkim::key_name(s.signature.selector, s.signature.domain));
        }
    return names;
}

validation_result validate_chain(const mail::message& m, const result<arc_chain>& chain,
                                 const auth::dkim::key_map& keys,
                                 auth::dkim::body_hash_cache& bodies, std::uint64_t now) {
    validation_result out;
    if (!chain) {
        out.result = arc_result::fail;
        out.reason = chain.error().message;
        out.highest_instance = find_chain_top(m).instance;
        return out;
    }
    if (chain->empty()) return out; // RFC 8617 §5.2 step 1: no sets, "none"
    out.highest_instance = chain->highest_instance;
    chain_validator v(m, *chain, keys, bodies, now);
    out.result = arc_result::pass;
    for (const auto& c : chain->longest) {
        auto r = v.run(c);
        if (r.result == arc_result::fail && out.result == arc_result::pass) {
            out.result = arc_result::fail;
            out.reason = r.algorithm + " chain: " + r.reason;
            out.temporary = r.temporary;
        }
        // The worst oldest-pass: 0 means every AMS verified.
        if (r.oldest_pass != 0 && (out.oldest_pass == 0 || r.oldest_pass > out.oldest_pass))
            out.oldest_pass = r.oldest_pass;
        out.chains.push_back(std::move(r));
    }
    if (out.result == arc_result::fail) out.oldest_pass = 0;
    return out;
}

validation_result validate_message(const mail::message& m, dns::resolver& resolver,
                                   std::uint64_t now) {
    auto chain = collect_chain(m);
    auth::dkim::key_map keys;
    if (chain && !chain->empty()) keys = auth::dkim::fetch_keys(resolver, key_names(*chain));
    auth::dkim::body_hash_cache bodies(m.body());
    return validate_chain(m, chain, keys, bodies, now);
}

} // namespace arcrelay::arc
