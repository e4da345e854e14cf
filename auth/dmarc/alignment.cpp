// auth/dmarc/alignment.cpp — RFC 7489 3.1 identifier alignment and 4.2 pass condition.
#include "auth/dmarc/alignment.hpp"

#include "dns/name.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::dmarc {

namespace {

// Two names can share an organizational domain only if they share at least their last label;
// checking that first spares the tree walk's DNS queries for unrelated names.
bool share_last_label(std::string_view a, std::string_view b) {
    const auto last = [](std::string_view d) { return d.substr(d.rfind('.') + 1); };
    return last(a) == last(b);
}

// Result names are case-insensitive (RFC 8601 2.2).
bool is_result(std::string_view result, std::string_view name) {
    return dns::canonical_name(result) == name;
}

std::string_view mode_name(alignment_mode mode) {
    return mode == alignment_mode::strict ? "strict" : "relaxed";
}

// One identifier's contribution: a pass that aligns decides; an uncertain one is remembered.
bool consider(identifier_alignment& out, std::string_view from, std::string_view method,
              std::string_view domain, std::string_view result, alignment_mode mode,
              organizational_domains& org) {
    const bool pass = is_result(result, "pass");
    const bool temp = is_result(result, "temperror");
    if (!pass && !temp) return false;
    out.any_pass = out.any_pass || pass;
    const alignment a = check_alignment(from, domain, mode, org);
    if (pass && a == alignment::aligned) {
        out.aligned = true;
        out.detail = fmt::format("{} pass for {} is aligned ({})", method, domain, mode_name(mode));
        return true;
    }
    if (a == alignment::unknown || (temp && a == alignment::aligned)) {
        out.uncertain = true;
        out.detail = a == alignment::unknown
                         ? fmt::format("organizational domain of {} unknown (DNS)", domain)
                         : fmt::format("{} temperror for aligned domain {}", method, domain);
    }
    return false;
}

} // namespace

alignment check_alignment(std::string_view from_domain, std::string_view identifier,
                          alignment_mode mode, organizational_domains& org) {
    const std::string from = dns::canonical_name(from_domain);
    const std::string id = dns::canonical_name(identifier);
    if (from.empty() || id.empty()) return alignment::not_aligned;
    if (from == id) return alignment::aligned;
    if (mode == alignment_mode::strict || !share_last_label(from, id))
        return alignment::not_aligned;
    const auto from_org = org.find(from);
    const auto id_org = org.find(id);
    if (!from_org || !id_org) return alignment::unknown;
    return *from_org == *id_org ? alignment::aligned : alignment::not_aligned;
}

identifier_alignment align_identifiers(const evaluation_input& input, const record& rec,
                                       organizational_domains& org) {
    identifier_alignment out;
    const std::string from = dns::canonical_name(input.from_domain);
    for (const auto& sig : input.dkim)
        if (consider(out, from, "DKIM", sig.domain, sig.result, rec.adkim, org)) {
            out.dkim_aligned = true;
            break;
        }
    if (out.dkim_aligned) {
        // Reports give SPF's alignment too; the verdict and its detail stay DKIM's.
        out.spf_aligned =
            is_result(input.spf.result, "pass") &&
            check_alignment(from, input.spf.domain, rec.aspf, org) == alignment::aligned;
        return out;
    }
    if (consider(out, from, "SPF", input.spf.domain, input.spf.result, rec.aspf, org)) {
        out.spf_aligned = true;
        return out;
    }
    if (!out.uncertain)
        out.detail = out.any_pass
                         ? fmt::format("no SPF or DKIM pass is aligned with {} (adkim={}, aspf={})",
                                       from, to_string(rec.adkim), to_string(rec.aspf))
                         : "neither SPF nor DKIM passed";
    return out;
}

} // namespace arcrelay::auth::dmarc
