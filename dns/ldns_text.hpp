// dns/ldns_text.hpp — ldns ownership wrappers and the conversion of ldns resource records into
// the answer text of resolver.hpp. Shared by static_zone (master files) and network_resolver
// (wire answers) so both answer byte-for-byte alike.
#pragma once

#include "dns/resolver.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

// ldns/common.h #defines bool, true and false unless stdbool.h came first.
#include <stdbool.h>

#include <ldns/ldns.h>

namespace arcrelay::dns::detail {

template <auto free_function>
struct ldns_deleter {
    template <class T>
    void operator()(T* p) const {
        free_function(p);
    }
};

using rr_ptr = std::unique_ptr<ldns_rr, ldns_deleter<ldns_rr_free>>;
using rdf_ptr = std::unique_ptr<ldns_rdf, ldns_deleter<ldns_rdf_deep_free>>;
using pkt_ptr = std::unique_ptr<ldns_pkt, ldns_deleter<ldns_pkt_free>>;
using c_string_ptr = std::unique_ptr<char, ldns_deleter<std::free>>;

// The canonical_name of a wire or parsed domain name (presentation form, lower-case, no
// trailing dot; the root is "").
std::string dname_text(const ldns_rdf* dname);

// The answer type of an ldns RR type; nullopt for types resolver.hpp does not ask for.
std::optional<rr_type> answer_type(ldns_rr_type type);

// The answer text of an A, AAAA, TXT, PTR or MX record (resolver.hpp); nullopt when the RR is
// of another type or its rdata does not have the shape of its type.
std::optional<std::string> record_text(const ldns_rr* rr);

// The preference of an MX record (RFC 1035 3.3.9); 0 for other types.
std::uint16_t mx_preference(const ldns_rr* rr);

// RFC 2308 5: the TTL of a negative answer is the smaller of the SOA record's own TTL and its
// MINIMUM field; nullopt when the RR is not a well-formed SOA.
std::optional<std::uint32_t> negative_ttl(const ldns_rr* soa);

} // namespace arcrelay::dns::detail
