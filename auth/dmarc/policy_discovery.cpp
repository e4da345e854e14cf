// auth/dmarc/policy_discovery.cpp — RFC 7489 6.6.3 and DMARCbis 4.10.1 policy discovery.
#include "auth/dmarc/policy_discovery.hpp"

#include "dns/name.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::dmarc {

namespace {

record_lookup nothing_found(std::string author, std::string_view asked) {
    record_lookup none;
    none.domain = std::move(author);
    none.status = lookup_status::absent;
    none.detail = fmt::format("no DMARC record at {}", asked);
    return none;
}

record_lookup discover_by_suffix_list(organizational_domains& org, const std::string& author) {
    std::vector<std::string> domains{author};
    const std::string org_domain = *org.find(author); // the PSL method never fails
    if (org_domain != author) domains.push_back(org_domain);
    // Both names are asked at once; the organizational domain only counts when the author
    // domain has no DMARC record (RFC 7489 6.6.3 step 3).
    auto lookups = lookup_records(org.resolver(), domains);
    for (auto& lookup : lookups)
        if (lookup.status != lookup_status::absent) return std::move(lookup);
    std::string asked = dmarc_query_name(author);
    if (domains.size() > 1) asked += " or " + dmarc_query_name(org_domain);
    return nothing_found(author, asked);
}

record_lookup discover_by_tree_walk(organizational_domains& org, const std::string& author) {
    const tree_walk& walk = org.walk(author);
    for (const auto& step : walk.steps)
        if (step.status != lookup_status::absent && step.status != lookup_status::multiple)
            return step;
    return nothing_found(author, fmt::format("{} or any parent domain", dmarc_query_name(author)));
}

} // namespace

record_lookup discover_policy(organizational_domains& org, std::string_view author_domain) {
    const std::string author = dns::canonical_name(author_domain);
    return org.method() == org_domain_method::public_suffix_list
               ? discover_by_suffix_list(org, author)
               : discover_by_tree_walk(org, author);
}

std::vector<dns::question> policy_questions(std::string_view author_domain,
                                            org_domain_method method,
                                            const public_suffix_list& psl) {
    const std::string author = dns::canonical_name(author_domain);
    std::vector<std::string> domains;
    if (method == org_domain_method::tree_walk) {
        domains = tree_walk_targets(author);
    } else {
        domains.push_back(author);
        auto org = psl.organizational_domain(author);
        if (org != author) domains.push_back(std::move(org));
    }
    std::vector<dns::question> out;
    for (const auto& d : domains)
        out.push_back({dmarc_query_name(d), dns::rr_type::txt});
    return out;
}

} // namespace arcrelay::auth::dmarc
