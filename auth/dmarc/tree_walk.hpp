// auth/dmarc/tree_walk.hpp — the DMARCbis DNS Tree Walk (draft-ietf-dmarc-dmarcbis 4.10) and
// the organizational domain it yields (4.10.2), the alternative to the Public Suffix List.
//
// The walk queries `_dmarc.<target>` starting at the domain itself; a domain of eight or more
// labels is next shortened to seven, then one label is removed at a time down to the last
// label, so at most eight names are queried. The walk stops at the first single valid record
// that carries psd=y or psd=n.
#pragma once

#include "auth/dmarc/record_lookup.hpp"
#include "base/result.hpp"
#include "dns/resolver.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dmarc {

inline constexpr std::size_t max_tree_walk_queries = 8;
inline constexpr std::size_t tree_walk_shortened_labels = 7;

// The names the walk queries, the domain first (at most max_tree_walk_queries).
std::vector<std::string> tree_walk_targets(std::string_view domain);

struct tree_walk {
    std::string domain;               // where the walk started (canonical form)
    std::vector<record_lookup> steps; // in walk order, up to and including where it stopped
};

// Walks from `domain`. All targets are asked in one resolver call; answers after the stop
// are not used.
tree_walk walk_tree(dns::resolver& resolver, std::string_view domain);

// DMARCbis 4.10.2: the first record (longest name) with psd=n is the organizational domain;
// else a record with psd=y, other than at the start, makes the domain one label below it the
// organizational domain; else the valid record with the fewest labels; without any valid
// record the domain itself. Error (temporary): a step hit a DNS temporary failure.
result<std::string> organizational_domain(const tree_walk& walk);

} // namespace arcrelay::auth::dmarc
