// auth/dmarc/policy_discovery.hpp — finding the DMARC record that applies to an author domain.
//
// Public Suffix List method (RFC 7489 6.6.3): `_dmarc.<author domain>`, and only when that
// holds no DMARC record, `_dmarc.<organizational domain>`; several records at the name that
// answered end discovery (no DMARC processing). Tree walk method (DMARCbis 4.10.1): the first
// DMARC record the walk from the author domain finds; a name with several records counts as
// having none.
#pragma once

#include "auth/dmarc/organizational_domain.hpp"
#include "auth/dmarc/record_lookup.hpp"

#include <string_view>
#include <vector>

namespace arcrelay::auth::dmarc {

// The lookup that decided: found (its domain is the policy domain), multiple, invalid,
// temp_failure, or absent (domain = the author domain; detail names what was asked).
record_lookup discover_policy(organizational_domains& org, std::string_view author_domain);

// The `_dmarc` TXT questions discover_policy() asks for `author_domain` (both PSL names, or
// every tree-walk target), so a caller can send them together with other checks' first
// questions.
std::vector<dns::question> policy_questions(std::string_view author_domain,
                                            org_domain_method method,
                                            const public_suffix_list& psl);

} // namespace arcrelay::auth::dmarc
