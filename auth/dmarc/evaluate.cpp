// auth/dmarc/evaluate.cpp — RFC 7489 6.6 message evaluation, 6.6.4 pct sampling, DMARCbis np
// and t=y.
#include "auth/dmarc/evaluate.hpp"

#include "auth/dmarc/alignment.hpp"
#include "auth/dmarc/policy_discovery.hpp"
#include "auth/dmarc/virtual_dmarc.hpp"
#include "dns/name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

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

// RFC 9091 2.6 (used by DMARCbis np): a name without A, AAAA and MX records (NXDOMAIN or
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

// RFC 7489 6.6.4: the next less strict policy.
policy relaxed_policy(policy p) {
    return p == policy::reject ? policy::quarantine : policy::none;
}

// RFC 7489 6.3 p/sp, DMARCbis np. Returns false when np might apply but the existence of the
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
                        organizational_domains& org, const random_percent& random) {
    out.reports_allowed = true;
    const auto aligned = align_identifiers(input, rec, org);
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
    if (rec.testing) {
        out.disposition = relaxed_policy(out.disposition); // DMARCbis t=y
        out.reason += "; t=y (testing): policy relaxed";
    } else if (rec.pct < max_pct && random() >= rec.pct) {
        out.disposition = relaxed_policy(out.disposition);
        out.reason += fmt::format("; not sampled (pct={}): policy relaxed", rec.pct);
    }
}

} // namespace

random_percent make_random_percent() {
    return []() {
        // Seeded once per thread, on first use (only a record with pct < 100 asks): opening
        // std::random_device and seeding an mt19937 cost more than a whole DMARC evaluation.
        thread_local std::mt19937 engine(std::random_device{}());
        return std::uniform_int_distribution<int>(0, max_pct - 1)(engine);
    };
}

dmarc_result evaluate(const evaluation_input& input, const evaluation_options& options,
                      dns::resolver& resolver, const public_suffix_list& psl,
                      const random_percent& random) {
    dmarc_result out;
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
        break; // RFC 7489 6.6.3 step 6
    case lookup_status::multiple:
        out.result = verdict::none;
        break; // RFC 7489 6.6.3 step 5
    case lookup_status::absent:
        evaluate_virtual(out, input, options.virtual_mode, org, discovered.detail);
        return out;
    case lookup_status::found:
        out.policy_domain = discovered.domain;
        evaluate_published(out, input, *discovered.found, org, random);
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
