// auth/dmarc/organizational_domain.cpp — RFC 7489 3.2 / DMARCbis 4.10.2 dispatch and cache.
#include "auth/dmarc/organizational_domain.hpp"

#include "dns/name.hpp"

namespace arcrelay::auth::dmarc {

result<std::string> organizational_domains::find(std::string_view domain) {
    if (method_ == org_domain_method::public_suffix_list) return psl_.organizational_domain(domain);
    return organizational_domain(walk(domain));
}

const tree_walk& organizational_domains::walk(std::string_view domain) {
    std::string name = dns::canonical_name(domain);
    if (auto it = walks_.find(name); it != walks_.end()) return it->second;
    auto walked = walk_tree(resolver_, name);
    return walks_.emplace(std::move(name), std::move(walked)).first->second;
}

} // namespace arcrelay::auth::dmarc
