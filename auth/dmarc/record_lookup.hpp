// auth/dmarc/record_lookup.hpp — fetching and classifying the DMARC record of a domain
// (RFC 7489 6.6.3 steps 1-6; DMARCbis 4.10 steps 1-2).
//
// TXT records at `_dmarc.<domain>` that do not start with v=DMARC1 are not DMARC records and
// are discarded; what remains is none, one valid record, one invalid record, or several. A
// DNS temporary failure or a malformed answer is a temp_failure: DNS trouble never becomes a
// permanent verdict.
#pragma once

#include "auth/dmarc/record.hpp"
#include "dns/resolver.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::auth::dmarc {

enum class lookup_status { found, absent, multiple, invalid, temp_failure };

struct record_lookup {
    std::string domain; // the domain whose `_dmarc` name was queried (canonical form)
    lookup_status status = lookup_status::absent;
    std::optional<record> found; // set when status == found
    std::string detail;          // the parse error, the DNS reason or the record count
};

// "_dmarc.example.com" for "example.com".
std::string dmarc_query_name(std::string_view domain);

// Queries every domain's `_dmarc` TXT at once (one resolver call) and classifies each
// answer; results are in the order of `domains`.
std::vector<record_lookup> lookup_records(dns::resolver& resolver,
                                          std::span<const std::string> domains);

} // namespace arcrelay::auth::dmarc
