// auth/dmarc/record_lookup.cpp — `_dmarc` TXT lookups (RFC 7489 6.6.3).
#include "auth/dmarc/record_lookup.hpp"

#include "dns/name.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::dmarc {

namespace {

record_lookup classify(std::string domain, const dns::answer& answer) {
    record_lookup out;
    out.domain = std::move(domain);
    const std::string name = dmarc_query_name(out.domain);
    switch (answer.result) {
    case dns::outcome::nxdomain:
    case dns::outcome::nodata:
        out.status = lookup_status::absent;
        out.detail = fmt::format("no DMARC record at {}", name);
        return out;
    case dns::outcome::temp_failure:
    case dns::outcome::malformed:
        out.status = lookup_status::temp_failure;
        out.detail = fmt::format("DNS lookup of {} failed: {}", name,
                                 answer.reason.empty() ? "temporary failure" : answer.reason);
        return out;
    case dns::outcome::records:
        break;
    }
    // RFC 7489 6.6.3 step 4: discard records that are not DMARC records.
    std::vector<const std::string*> dmarc;
    for (const auto& text : answer.records)
        if (is_dmarc_record(text)) dmarc.push_back(&text);
    if (dmarc.empty()) {
        out.status = lookup_status::absent;
        out.detail = fmt::format("no DMARC record at {}", name);
    } else if (dmarc.size() > 1) {
        // RFC 7489 6.6.3 step 5, DMARCbis 4.10 step 2.
        out.status = lookup_status::multiple;
        out.detail = fmt::format("{} DMARC records at {}", dmarc.size(), name);
    } else if (auto parsed = parse_record(*dmarc.front()); parsed) {
        out.status = lookup_status::found;
        out.found = std::move(parsed).value();
    } else {
        out.status = lookup_status::invalid;
        out.detail = fmt::format("invalid DMARC record at {}: {}", name, parsed.error().message);
    }
    return out;
}

} // namespace

std::string dmarc_query_name(std::string_view domain) {
    return "_dmarc." + std::string(domain);
}

std::vector<record_lookup> lookup_records(dns::resolver& resolver,
                                          std::span<const std::string> domains) {
    std::vector<dns::question> questions;
    questions.reserve(domains.size());
    for (const auto& domain : domains)
        questions.push_back({dmarc_query_name(domain), dns::rr_type::txt});
    const auto answers = resolver.resolve(questions);
    std::vector<record_lookup> out;
    out.reserve(domains.size());
    for (std::size_t i = 0; i < domains.size(); ++i)
        out.push_back(classify(dns::canonical_name(domains[i]), answers.at(i)));
    return out;
}

} // namespace arcrelay::auth::dmarc
