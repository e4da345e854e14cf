// dns/static_zone.hpp — a resolver answering from memory: an RFC 1035 master file (parsed with
// ldns) and/or records added in code, with per-name fault injection. Used by tests and by the
// CLI's offline --zone mode; it never touches the network.
//
// Semantics follow an authoritative server for the whole tree: a name with no records and no
// descendants is NXDOMAIN; a name with records of other types, or an empty non-terminal (a name
// that exists only because of its children, RFC 8020), is NODATA; CNAMEs are followed (RFC 1034
// 3.6.2) up to max_cname_chain. Types other than A, AAAA, TXT, PTR, MX and CNAME in a master file
// (SOA, NS, SPF type 99, ...) only make their owner name exist.
#pragma once

#include "base/result.hpp"
#include "dns/resolver.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace arcrelay::dns {

class static_zone final : public resolver {
public:
    static constexpr std::uint32_t default_ttl = 3600;         // for records added in code
    static constexpr std::uint32_t default_negative_ttl = 300; // when the zone has no SOA

    // Parses master-file text ($ORIGIN, $TTL, parentheses, comments; relative names are taken
    // below `origin`). Errors: a permanent error naming the ldns diagnosis, with its 1-based line.
    static result<static_zone> parse_master_file(std::string_view text,
                                                 std::string_view origin = ".");
    // Reads and parses a master file. Errors: unreadable file, or as parse_master_file (the
    // message then starts with the path).
    static result<static_zone> load(const std::string& path);

    // Adds one record given in the answer text of resolver.hpp (stored as given, not checked,
    // so tests can serve bad data). MX records added this way have preference 0 and keep the
    // order in which they were added.
    void add(std::string name, rr_type type, std::string record_text,
             std::uint32_t ttl = default_ttl);
    void add_mx(std::string name, std::uint16_t preference, std::string exchange,
                std::uint32_t ttl = default_ttl);
    // Makes `name` an alias of `target` (RFC 1034 3.6.2).
    void add_cname(std::string name, std::string target, std::uint32_t ttl = default_ttl);

    // Every question for `name` (any type, also when reached through a CNAME) then fails:
    // timeout and SERVFAIL as temp_failure, malformed as malformed, each with a reason.
    void simulate_timeout(std::string name);
    void simulate_servfail(std::string name);
    void simulate_malformed(std::string name);

    // Answers one question. Safe to call from several threads while the zone is not modified.
    answer lookup(const question& q) const;
    std::vector<answer> resolve(std::span<const question> questions) override;

    // The number of resource records held (every type, CNAMEs included).
    std::size_t record_count() const { return record_count_; }

private:
    enum class fault { timeout, servfail, malformed };
    struct record {
        std::uint16_t type = 0; // the RR TYPE number, also for types we do not answer
        std::uint16_t preference = 0;
        std::uint32_t ttl = 0;
        std::string text;
    };
    struct cname_target {
        std::string name;
        std::uint32_t ttl = 0;
    };
    struct node {
        std::vector<record> records;
        std::optional<cname_target> cname;
    };

    node& owner(std::string_view name);
    answer fault_answer(fault f, const std::string& name) const;

    std::unordered_map<std::string, node> nodes_;   // by canonical_name
    std::unordered_set<std::string> non_terminals_; // every proper ancestor of an owner
    std::unordered_map<std::string, fault> faults_; // by canonical_name
    std::uint32_t negative_ttl_ = default_negative_ttl;
    std::size_t record_count_ = 0;
};

} // namespace arcrelay::dns
