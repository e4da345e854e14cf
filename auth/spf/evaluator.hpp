// auth/spf/evaluator.hpp — check_host() (RFC 7208 4, 5, 6) for one identity: record lookup
// and selection, mechanism and modifier evaluation, the limits of RFC 7208 4.6.4 shared by
// the whole evaluation (includes and redirects included), and the explanation (RFC 7208 6.2).
// Internal to auth/spf; the public entry points are in check.hpp.
#pragma once

#include "auth/spf/check.hpp"
#include "auth/spf/macro.hpp"
#include "auth/spf/record.hpp"

#include <optional>
#include <string>
#include <vector>

namespace arcrelay::auth::spf::detail {

// The result of one check_host() call, with the exp= of the record that produced a fail.
struct host_result {
    spf::result result = result::none;
    std::string reason;
    std::optional<macro_string> explanation; // exp= of the deciding record (RFC 7208 6.2)
    std::string explanation_domain;          // that record's <domain>, for %{d}
};

class evaluator {
public:
    // `ip` must already be unmapped (IPv4-mapped addresses are IPv4, RFC 7208 5).
    evaluator(dns::resolver& resolver, const ip_address& ip, std::string sender,
              std::string local_part, std::string sender_domain, const request& req);

    // check_host() for a valid <domain> (RFC 7208 4.3 is the caller's job).
    host_result check_host(const std::string& domain);

    // The explanation of a fail (RFC 7208 6.2): empty when there is no exp= or it cannot be
    // used (DNS error, not exactly one TXT record, syntax error, non-ASCII text).
    std::string explain(const host_result& fail);

    bool used_local_part() const { return used_local_part_; }

private:
    struct term_outcome {
        bool matched = false;
        std::optional<host_result> stop; // temperror or permerror ending the evaluation
    };
    struct ptr_names {
        bool void_lookup = false;           // the PTR query found no name
        std::vector<std::string> validated; // names whose addresses include <ip>
    };

    term_outcome evaluate(const mechanism& m, const std::string& domain);
    term_outcome match_addresses(const mechanism& m, const std::string& target);
    term_outcome match_mx(const mechanism& m, const std::string& target);
    term_outcome match_ptr(const mechanism& m, const std::string& domain);
    term_outcome match_exists(const mechanism& m, const std::string& target);
    term_outcome match_include(const mechanism& m, const std::string& target);

    std::optional<host_result> count_dns_term(const std::string& term);
    std::optional<host_result> count_void_lookup(const std::string& name);
    std::optional<std::string> target_name(const std::optional<macro_string>& spec,
                                           const std::string& domain);
    macro_values values(const std::string& domain);
    std::vector<dns::answer> resolve(const std::vector<dns::question>& questions);
    const ptr_names& validated_names();
    std::string validated_domain(const std::string& domain);
    bool address_matches(const std::vector<std::string>& records, int prefix) const;

    dns::resolver& resolver_;
    ip_address ip_;
    std::string sender_;
    std::string local_part_;
    std::string sender_domain_;
    const request& request_;
    int dns_terms_ = 0;
    int void_lookups_ = 0;
    bool used_local_part_ = false;
    std::optional<ptr_names> ptr_names_; // one PTR walk per check (ptr and %{p})
};

} // namespace arcrelay::auth::spf::detail
