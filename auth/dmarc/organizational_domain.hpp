// auth/dmarc/organizational_domain.hpp — the organizational domain of a name by the method
// the configuration chose: RFC 7489 3.2 (Public Suffix List) or the DMARCbis DNS Tree Walk.
//
// One object serves one message evaluation: tree walks are cached per domain so the author
// domain's walk is shared by policy discovery and alignment.
#pragma once

#include "auth/dmarc/public_suffix_list.hpp"
#include "auth/dmarc/tree_walk.hpp"
#include "base/result.hpp"
#include "dns/resolver.hpp"

#include <map>
#include <string>
#include <string_view>

namespace arcrelay::auth::dmarc {

enum class org_domain_method { public_suffix_list, tree_walk };

class organizational_domains {
public:
    organizational_domains(dns::resolver& resolver, const public_suffix_list& psl,
                           org_domain_method method)
        : resolver_(resolver), psl_(psl), method_(method) {}

    org_domain_method method() const { return method_; }
    dns::resolver& resolver() const { return resolver_; }

    // The organizational domain of `domain`, lower-case. Error (temporary): the tree walk hit a
    // DNS temporary failure. The PSL method never fails.
    result<std::string> find(std::string_view domain);

    // The tree walk from `domain`, made once and then reused.
    const tree_walk& walk(std::string_view domain);

private:
    dns::resolver& resolver_;
    const public_suffix_list& psl_;
    org_domain_method method_;
    std::map<std::string, tree_walk, std::less<>> walks_;
};

} // namespace arcrelay::auth::dmarc
