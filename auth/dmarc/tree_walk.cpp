// auth/dmarc/tree_walk.cpp — DMARCbis 4.10 DNS Tree Walk and 4.10.2 organizational domain.
#include "auth/dmarc/tree_walk.hpp"

#include "dns/name.hpp"

#include <algorithm>

namespace arcrelay::auth::dmarc {

namespace {

std::size_t label_count(std::string_view domain) {
    return domain.empty()
               ? 0
               : static_cast<std::size_t>(std::count(domain.begin(), domain.end(), '.')) + 1;
}

// The right-most `labels` labels of `domain` (all of it when it has fewer).
std::string_view last_labels(std::string_view domain, std::size_t labels) {
    std::size_t start = domain.size();
    for (; labels > 0; --labels) {
        const auto dot = start >= 2 ? domain.rfind('.', start - 2) : std::string_view::npos;
        if (dot == std::string_view::npos) return domain;
        start = dot + 1;
    }
    return domain.substr(start);
}

} // namespace

std::vector<std::string> tree_walk_targets(std::string_view domain) {
    const std::string name = dns::canonical_name(domain);
    std::vector<std::string> targets;
    std::size_t labels = label_count(name);
    if (labels == 0) return targets;
    targets.emplace_back(name);
    // DMARCbis 4.10 step 5: from eight or more labels jump to seven, else drop one.
    labels = labels > tree_walk_shortened_labels ? tree_walk_shortened_labels : labels - 1;
    for (; labels > 0; --labels)
        targets.emplace_back(last_labels(name, labels));
    return targets;
}

tree_walk walk_tree(dns::resolver& resolver, std::string_view domain) {
    tree_walk walk{dns::canonical_name(domain), {}};
    const auto targets = tree_walk_targets(walk.domain);
    for (auto& step : lookup_records(resolver, targets)) {
        const bool stop = step.status == lookup_status::found && step.found->psd.has_value();
        walk.steps.push_back(std::move(step));
        if (stop) break; // DMARCbis 4.10 steps 2 and 7
    }
    return walk;
}

result<std::string> organizational_domain(const tree_walk& walk) {
    const record_lookup* fewest = nullptr;
    for (const auto& step : walk.steps) {
        if (step.status == lookup_status::temp_failure) return temporary_error(step.detail);
        if (step.status != lookup_status::found) continue;
        if (step.found->psd == false) return step.domain;
        if (step.found->psd == true && step.domain != walk.domain)
            return std::string(last_labels(walk.domain, label_count(step.domain) + 1));
        fewest = &step;
    }
    return fewest ? fewest->domain : walk.domain;
}

} // namespace arcrelay::auth::dmarc
