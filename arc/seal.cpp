// arc/seal.cpp — RFC 8617 §5.1 sealer actions, per algorithm (arc-multi §5.1).
#include "arc/seal.hpp"

#include "arc/field_format.hpp"
#include "arc/seal_input.hpp"
#include "auth/dkim/body_hash_cache.hpp"
#include "auth/dkim/sign.hpp"
#include "auth/dkim/signing_input.hpp"
#include "mail/base64.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace arcrelay::arc {

namespace {

using auth::dkim::algorithm_name;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    return out;
}

std::string_view canon_name(mail::canonicalization c) {
    return c == mail::canonicalization::relaxed ? "relaxed" : "simple";
}

bool never_signed(std::string_view name) {
    // RFC 8617 §4.1.2: not ARC fields; RFC 8601 §5: A-R fields are removed downstream.
    return mail::iequals(name, "Authentication-Results") ||
           (name.size() >= 4 && mail::iequals(name.substr(0, 4), "ARC-"));
}

// One algorithm's new set: which chain it continues and with which cv.
struct plan {
    const sealing_key* key = nullptr;
    const algorithm_chain* chain = nullptr; // nullptr: a new chain or a §5.1.2 fail seal
    chain_status cv = chain_status::none;
};

chain_status verdict_for(const validation_result& v, const algorithm_chain& chain) {
    for (const auto& c : v.chains)
        if (c.algorithm == chain.algorithm)
            return c.result == arc_result::pass ? chain_status::pass : chain_status::fail;
    // Split mode: one overall verdict, no per-chain detail.
    return v.result == arc_result::pass && chain.broken.empty() ? chain_status::pass
                                                                : chain_status::fail;
}

class sealer {
public:
    sealer(const mail::message& m, std::uint32_t instance, std::uint64_t timestamp,
           const seal_options& opt)
        : m_(m), instance_(instance), timestamp_(timestamp), opt_(opt), own_bodies_(m.body()),
          bodies_(opt.bodies && opt.bodies->covers(m.body()) ? *opt.bodies : own_bodies_) {}

    // RFC 8617 §4.1.2, §5.1: the AMS over the message as it leaves us.
    result<mail::header_field> message_signature(const sealing_key& k) {
        std::vector<std::string> candidates;
        for (const auto& h : opt_.signed_headers)
            if (!never_signed(h)) candidates.push_back(h);
        std::vector<std::string> h;
        for (const auto& name : auth::dkim::select_signed_headers(m_, candidates, {}))
            h.push_back(lower(name));
        const auto& bh = bodies_.get(opt_.body_canon, std::nullopt).digest;
        tag_values tags{
            {"a", std::string(algorithm_name(k.algorithm))},
            {"b", ""},
            {"bh", mail::base64_encode(bh)},
            {"c", fmt::format("{}/{}", canon_name(opt_.header_canon), canon_name(opt_.body_canon))},
            {"d", lower(k.domain)},
            {"h", fmt::format("{}", fmt::join(h, ":"))},
            {"i", std::to_string(instance_)},
            {"s", lower(k.selector)},
            {"t", std::to_string(timestamp_)}};
        auto unsigned_field = format_arc_field(signature_field_name, tags, opt_.fold);
        auto input = auth::dkim::header_signing_input(m_, h, unsigned_field, opt_.header_canon);
        return sign(k, tags, signature_field_name, input);
    }

    // RFC 8617 §5.1.1: the AS over `earlier` sets plus the new one.
    result<mail::header_field> seal(const sealing_key& k, chain_status cv,
                                    std::vector<set_fields> earlier,
                                    const mail::header_field& results,
                                    const mail::header_field& signature) {
        tag_values tags{{"a", std::string(algorithm_name(k.algorithm))},
                        {"b", ""},
                        {"cv", std::string(chain_status_name(cv))},
                        {"d", lower(k.domain)},
                        {"i", std::to_string(instance_)},
                        {"s", lower(k.selector)},
                        {"t", std::to_string(timestamp_)}};
        auto unsigned_field = format_arc_field(seal_field_name, tags, opt_.fold);
        earlier.push_back({&results, &signature, &unsigned_field});
        return sign(k, tags, seal_field_name, seal_signing_input(earlier));
    }

private:
    result<mail::header_field> sign(const sealing_key& k, tag_values& tags, std::string_view name,
                                    std::string_view input) {
        auto sig = auth::dkim::sign_data(k.key, k.algorithm, input);
        if (!sig) return sig.error();
        for (auto& [tag, value] : tags)
            if (tag == "b") value = mail::base64_encode(*sig);
        return format_arc_field(name, tags, opt_.fold);
    }

    const mail::message& m_;
    std::uint32_t instance_;
    std::uint64_t timestamp_;
    const seal_options& opt_;
    auth::dkim::body_hash_cache own_bodies_;
    auth::dkim::body_hash_cache& bodies_; // the caller's when it covers this body, else own_
};

} // namespace

const std::vector<std::string>& default_sealed_headers() {
    static const std::vector<std::string> names = [] {
        auto h = auth::dkim::default_signed_headers();
        h.push_back("DKIM-Signature");
        return h;
    }();
    return names;
}

result<seal_output> seal_message(const mail::message& m, const validation_result& verdict,
                                 std::string_view results, std::span<const sealing_key> keys,
                                 std::uint64_t timestamp, const seal_options& options) {
    if (keys.empty()) return permanent_error("no ARC sealing keys");
    for (std::size_t a = 0; a < keys.size(); ++a)
        for (std::size_t b = a + 1; b < keys.size(); ++b)
            if (keys[a].algorithm == keys[b].algorithm) // arc-multi §4: one set per algorithm
                return permanent_error(
                    fmt::format("two ARC sealing keys for {}", algorithm_name(keys[a].algorithm)));
    seal_output out;
    std::vector<plan> plans;
    std::uint32_t top = 0;
    auto chain = collect_chain(m);
    if (!chain) {
        // RFC 8617 §5.1.2: a chain that does not even collect is sealed as failed.
        auto t = find_chain_top(m);
        if (t.sealed_fail) {
            out.reason = fmt::format("the newest ARC-Seal (i={}) already says cv=fail", t.instance);
            return out;
        }
        top = t.instance;
        for (const auto& k : keys)
            plans.push_back({&k, nullptr, chain_status::fail});
    } else if (chain->empty()) {
        for (const auto& k : keys)
            plans.push_back({&k, nullptr, chain_status::none});
    } else {
        top = chain->highest_instance;
        std::vector<std::string> skipped;
        for (const auto& k : keys) {
            auto name = algorithm_name(k.algorithm);
            auto c = std::find_if(chain->longest.begin(), chain->longest.end(),
                                  [&](const algorithm_chain& a) { return a.algorithm == name; });
            if (c == chain->longest.end()) {
                skipped.push_back(fmt::format("no longest chain uses {}", name));
                continue;
            }
            // RFC 8617 §5.1.2 / ValiMail no_additional_sig: a chain the newest seal
            // declared failed is not extended.
            if (!c->sets.empty() && chain->sets[c->sets.back()].seal.cv == chain_status::fail) {
                skipped.push_back(
                    fmt::format("the {} chain's newest seal says cv=fail", c->algorithm));
                continue;
            }
            plans.push_back({&k, &*c, verdict_for(verdict, *c)});
        }
        out.reason = fmt::format("{}", fmt::join(skipped, "; "));
    }
    if (plans.empty()) return out;
    if (top + 1 > max_instance) {
        out.reason = fmt::format("the chain already has {} instances (RFC 8617 §4.2.1)", top);
        return out;
    }
    out.instance = top + 1;
    auto results_field = mail::header_field::make(results_field_name,
                                                  fmt::format("i={}; {}", out.instance, results));
    sealer s(m, out.instance, timestamp, options);
    for (const auto& p : plans) {
        auto ams = s.message_signature(*p.key);
        if (!ams) return ams.error();
        std::vector<set_fields> earlier;
        if (p.chain && p.cv == chain_status::pass)
            for (auto k : p.chain->sets) {
                const auto& set = chain->sets[k];
                earlier.push_back({set.results_field, set.signature_field, set.seal_field});
            }
        auto as = s.seal(*p.key, p.cv, std::move(earlier), results_field, *ams);
        if (!as) return as.error();
        out.fields.push_back(std::move(*as));
        out.fields.push_back(std::move(*ams));
        out.algorithms.emplace_back(algorithm_name(p.key->algorithm));
    }
    out.fields.push_back(std::move(results_field));
    return out;
}

void add_sealed_fields(mail::message& m, const seal_output& out) {
    for (auto it = out.fields.rbegin(); it != out.fields.rend(); ++it)
        m.prepend(*it);
}

} // namespace arcrelay::arc
