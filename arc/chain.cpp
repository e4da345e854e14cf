// arc/chain.cpp — collecting ARC sets and building per-algorithm chains (RFC 8617 §5.2
// steps 1 and 3, arc-multi §4 and §5).
#include "arc/chain.hpp"

#include "auth/dkim/signature.hpp"
#include "mail/canonicalization.hpp"
#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arcrelay::arc {

namespace {

struct instance_fields {
    std::vector<const mail::header_field*> results;
    std::vector<std::pair<message_signature, const mail::header_field*>> signatures;
    std::vector<std::pair<arc_seal, const mail::header_field*>> seals;
    bool empty() const { return results.empty() && signatures.empty() && seals.empty(); }
};

std::string relaxed(const mail::header_field& f) {
    std::string out;
    mail::append_canonical_header(out, f.raw(), mail::canonicalization::relaxed);
    return out;
}

bool is_arc_field(const mail::header_field& f) {
    return f.is(seal_field_name) || f.is(signature_field_name) || f.is(results_field_name);
}

error field_error(std::string_view name, const error& e) {
    return permanent_error(fmt::format("{}: {}", name, e.message));
}

// Pairs the AMS and AS fields of one instance into sets (RFC 8617 §5.2 step 3.1,
// arc-multi §4: at most one set per algorithm).
status pair_sets(std::uint32_t i, instance_fields& in, std::vector<arc_set>& out) {
    if (in.results.empty())
        return permanent_error(fmt::format("no ARC-Authentication-Results at i={}", i));
    if (in.signatures.empty())
        return permanent_error(fmt::format("no ARC-Message-Signature at i={}", i));
    if (in.seals.empty()) return permanent_error(fmt::format("no ARC-Seal at i={}", i));
    auto first = relaxed(*in.results.front());
    for (std::size_t k = 1; k < in.results.size(); ++k)
        if (relaxed(*in.results[k]) != first)
            return permanent_error(
                fmt::format("differing ARC-Authentication-Results fields at i={}", i));
    auto add = [&](std::pair<message_signature, const mail::header_field*>& ams,
                   std::pair<arc_seal, const mail::header_field*>& as) {
        arc_set set;
        set.instance = i;
        set.results_field = in.results.front();
        set.signature_field = ams.second;
        set.seal_field = as.second;
        set.signature = std::move(ams.first);
        set.seal = std::move(as.first);
        out.push_back(std::move(set));
    };
    // RFC 8617 §5.2 step 3.1: one AAR per set; arc-multi: one shared, or a copy per set.
    if (in.results.size() > std::max(in.signatures.size(), in.seals.size()))
        return permanent_error(
            fmt::format("{} ARC-Authentication-Results fields for {} set(s) at i={}",
                        in.results.size(), std::max(in.signatures.size(), in.seals.size()), i));
    if (in.signatures.size() == 1 && in.seals.size() == 1) {
        add(in.signatures.front(), in.seals.front());
        return ok_v;
    }
    for (std::size_t a = 0; a < in.seals.size(); ++a)
        for (std::size_t b = a + 1; b < in.seals.size(); ++b)
            if (in.seals[a].first.algorithm == in.seals[b].first.algorithm)
                return permanent_error(fmt::format("two ARC-Seal fields with a={:.32} at i={}",
                                                   in.seals[a].first.algorithm, i));
    for (std::size_t a = 0; a < in.signatures.size(); ++a)
        for (std::size_t b = a + 1; b < in.signatures.size(); ++b)
            if (in.signatures[a].first.algorithm == in.signatures[b].first.algorithm)
                return permanent_error(
                    fmt::format("two ARC-Message-Signature fields with a={:.32} at i={}",
                                in.signatures[a].first.algorithm, i));
    if (in.signatures.size() != in.seals.size())
        return permanent_error(
            fmt::format("{} ARC-Message-Signature and {} ARC-Seal fields at i={}",
                        in.signatures.size(), in.seals.size(), i));
    for (auto& as : in.seals) {
        auto ams = std::find_if(in.signatures.begin(), in.signatures.end(), [&](const auto& s) {
            return s.first.algorithm == as.first.algorithm;
        });
        if (ams == in.signatures.end())
            return permanent_error(fmt::format(
                "ARC-Seal a={:.32} at i={} has no ARC-Message-Signature of its algorithm",
                as.first.algorithm, i));
        add(*ams, as);
    }
    return ok_v;
}

// arc-multi §5: the chain of `algorithm`: at each instance its own set, or the only set.
algorithm_chain build_chain(const arc_chain& c, const std::string& algorithm,
                            const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
    algorithm_chain chain;
    chain.algorithm = algorithm;
    for (std::uint32_t i = 1; i <= c.highest_instance; ++i) {
        auto [begin, end] = ranges[i];
        std::optional<std::size_t> pick;
        for (auto k = begin; k < end; ++k)
            if (c.sets[k].seal.algorithm == algorithm) pick = k;
        if (!pick && end - begin == 1) pick = begin;
        if (!pick) {
            chain.broken =
                fmt::format("no {:.32} set at i={} among its {} sets", algorithm, i, end - begin);
            chain.sets.clear();
            return chain;
        }
        chain.sets.push_back(*pick);
    }
    return chain;
}

} // namespace

result<arc_chain> collect_chain(const mail::message& m) {
    std::size_t count = 0;
    for (const auto& f : m.headers())
        if (is_arc_field(f) && ++count > max_arc_fields)
            return permanent_error(fmt::format(
                "more than {} ARC header fields (RFC 8617 §5.2 step 1)", max_arc_fields));
    arc_chain chain;
    if (count == 0) return chain;

    std::array<instance_fields, max_instance + 1> by_instance;
    for (const auto& f : m.headers()) {
        if (f.is(results_field_name)) {
            auto i = parse_results_instance(f.value());
            if (!i) return field_error(results_field_name, i.error());
            by_instance[*i].results.push_back(&f);
        } else if (f.is(signature_field_name)) {
            auto s = parse_message_signature(f.value());
            if (!s) return field_error(signature_field_name, s.error());
            auto i = s->instance;
            by_instance[i].signatures.emplace_back(std::move(*s), &f);
        } else if (f.is(seal_field_name)) {
            auto s = parse_arc_seal(f.value());
            if (!s) return field_error(seal_field_name, s.error());
            auto i = s->instance;
            by_instance[i].seals.emplace_back(std::move(*s), &f);
        }
    }
    for (std::uint32_t i = max_instance; i >= 1; --i)
        if (!by_instance[i].empty()) {
            chain.highest_instance = i;
            break;
        }
    // RFC 8617 §5.2 step 3.2: instances 1..N with no gap; 3.1: each set complete.
    std::vector<std::pair<std::size_t, std::size_t>> ranges(chain.highest_instance + 1);
    for (std::uint32_t i = 1; i <= chain.highest_instance; ++i) {
        if (by_instance[i].empty())
            return permanent_error(fmt::format("no ARC set at i={} (instances must run 1..{})", i,
                                               chain.highest_instance));
        auto begin = chain.sets.size();
        if (auto s = pair_sets(i, by_instance[i], chain.sets); !s) return s.error();
        ranges[i] = {begin, chain.sets.size()};
    }
    auto [top_begin, top_end] = ranges[chain.highest_instance];
    for (auto k = top_begin; k < top_end; ++k)
        chain.longest.push_back(build_chain(chain, chain.sets[k].seal.algorithm, ranges));
    return chain;
}

chain_top find_chain_top(const mail::message& m) {
    chain_top top;
    std::size_t count = 0;
    for (const auto& f : m.headers()) {
        if (!is_arc_field(f)) continue;
        if (++count > max_arc_fields) break;
        std::optional<std::uint32_t> instance;
        bool fail = false;
        if (f.is(results_field_name)) {
            if (auto i = parse_results_instance(f.value())) instance = *i;
        } else if (auto tags = mail::parse_tag_list(f.value())) {
            if (auto i = tags->get("i"))
                if (auto n = auth::dkim::parse_number(*i); n && *n <= 1000)
                    instance = static_cast<std::uint32_t>(*n);
            fail = f.is(seal_field_name) && tags->get("cv") == std::string_view("fail");
        }
        if (!instance) continue;
        if (*instance > top.instance) top = {*instance, false};
        if (*instance == top.instance && fail) top.sealed_fail = true;
    }
    return top;
}

} // namespace arcrelay::arc
