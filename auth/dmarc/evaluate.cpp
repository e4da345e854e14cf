// auth/dmarc/evaluate.cpp — RFC 9989 5.3 message evaluation: 4.10.1 policy choice (p, sp,
// np), 4.7 t=y.
#include "auth/dmarc/evaluate.hpp"

#include "auth/dmarc/alignment.hpp"
#include "auth/dmarc/policy_discovery.hpp"
#include "auth/dmarc/virtual_dmarc.hpp"
#include "dns/name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arcrelay::auth::dmarc {

namespace {

// RFC 1035 2.3.4 size limits.
constexpr std::size_t max_label_octets = 63;
constexpr std::size_t max_domain_octets = 253;

bool is_valid_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > max_domain_octets) return false;
    std::size_t label = 0;
    for (char c : domain) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '@') return false;
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (++label > max_label_octets) {
            return false;
        }
    }
    return label > 0;
}

enum class existence { exists, nonexistent, unknown };

// RFC 9989 3.2.13 (as RFC 9091 2.6): a name without A, AAAA and MX records (NXDOMAIN or
// NODATA for each) does not exist.
existence check_existence(dns::resolver& resolver, const std::string& domain, std::string& why) {
    const std::array<dns::question, 3> questions{
        {{domain, dns::rr_type::a}, {domain, dns::rr_type::aaaa}, {domain, dns::rr_type::mx}}};
    existence e = existence::nonexistent;
    for (const auto& answer : resolver.resolve(questions)) {
        if (answer.result == dns::outcome::records) return existence::exists;
        if (answer.result == dns::outcome::temp_failure ||
            answer.result == dns::outcome::malformed) {
            e = existence::unknown;
            why = fmt::format("cannot tell whether {} exists: {}", domain, answer.reason);
        }
    }
    return e;
}

// RFC 9989 4.7 t=y: the policy one level below the published one.
policy relaxed_policy(policy p) {
    return p == policy::reject ? policy::quarantine : policy::none;
}

// RFC 9989 4.10.1: p at the author domain, else sp for an existing and np for a
// non-existent subdomain. Returns false when np might apply but the existence of the
// author domain could not be determined.
bool choose_policy(dmarc_result& out, const record& rec, dns::resolver& resolver,
                   std::string& why) {
    if (out.policy_domain == out.header_from) {
        out.published = rec.p;
        out.published_by = policy_tag::p;
        return true;
    }
    out.published = rec.subdomain_policy();
    out.published_by = policy_tag::sp;
    if (rec.nonexistent_policy() == rec.subdomain_policy()) return true;
    switch (check_existence(resolver, out.header_from, why)) {
    case existence::exists:
        return true;
    case existence::nonexistent:
        out.published = rec.nonexistent_policy();
        out.published_by = policy_tag::np;
        return true;
    case existence::unknown:
        return false;
    }
    return false;
}

void evaluate_published(dmarc_result& out, const evaluation_input& input, const record& rec,
                        organizational_domains& org) {
    out.reports_allowed = true;
    out.applied_record = rec;
    const auto aligned = align_identifiers(input, rec, org);
    out.dkim_aligned = aligned.dkim_aligned;
    out.spf_aligned = aligned.spf_aligned;
    std::string existence_problem;
    const bool policy_known = choose_policy(out, rec, org.resolver(), existence_problem);
    out.properties.emplace_back("policy.dmarc", to_string(*out.published));
    if (aligned.aligned) {
        out.result = verdict::pass;
        out.reason = aligned.detail;
        return;
    }
    if (aligned.uncertain || !policy_known) {
        // A temporary problem could have changed the verdict: never report fail for it.
        out.result = verdict::temperror;
        out.reason = aligned.uncertain ? aligned.detail : existence_problem;
        return;
    }
    out.result = verdict::fail;
    out.reason = aligned.detail;
    out.disposition = *out.published;
    if (rec.testing && out.disposition != policy::none) {
        out.disposition = relaxed_policy(out.disposition); // RFC 9989 4.7 t=y
        out.reason += "; t=y (testing): policy relaxed";
    }
}

} // namespace

dmarc_result evaluate(const evaluation_input& input, const evaluation_options& options,
                      dns::resolver& resolver, const public_suffix_list& psl) {
    dmarc_result out;
    out.method = options.method;
    out.header_from = dns::canonical_name(input.from_domain);
    if (!is_valid_domain(out.header_from)) {
        out.result = verdict::permerror;
        out.reason = fmt::format("malformed RFC5322.From domain \"{}\"", input.from_domain);
        return out;
    }
    out.properties.emplace_back("header.from", out.header_from);

    organizational_domains org(resolver, psl, options.method);
    const record_lookup discovered = discover_policy(org, out.header_from);
    switch (discovered.status) {
    case lookup_status::temp_failure:
        out.result = verdict::temperror;
        break;
    case lookup_status::invalid:
        out.result = verdict::permerror;
        break; // RFC 9989 4.10.1: no DMARC processing
    case lookup_status::multiple:
        out.result = verdict::none;
        break; // RFC 9989 4.10 step 6: several records count as none
    case lookup_status::absent:
        evaluate_virtual(out, input, options.virtual_mode, org, discovered.detail);
        return out;
    case lookup_status::found:
        out.policy_domain = discovered.domain;
        evaluate_published(out, input, *discovered.found, org);
        return out;
    }
    out.reason = discovered.detail;
    return out;
}

std::string_view to_string(verdict v) {
    switch (v) {
    case verdict::pass:
        return "pass";
    case verdict::fail:
        return "fail";
    case verdict::none:
        return "none";
    case verdict::temperror:
        return "temperror";
    case verdict::permerror:
        return "permerror";
    case verdict::bestguesspass:
        return "bestguesspass";
    }
    return "none";
}

std::string_view to_string(policy_tag t) {
    switch (t) {
    case policy_tag::p:
        return "p";
    case policy_tag::sp:
        return "sp";
    case policy_tag::np:
        return "np";
    }
    return "p";
}

} // namespace arcrelay::auth::dmarc
