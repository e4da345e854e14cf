// dns/ldns_text.cpp — ldns RRs to resolver.hpp answer text (RFC 1035 3.3, RFC 3596 2.2,
// RFC 5952 for IPv6 text, RFC 7208 3.3 / RFC 6376 3.6.2.2 for joined TXT strings).
#include "dns/ldns_text.hpp"

#include "dns/name.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace arcrelay::dns::detail {
namespace {

std::optional<std::string> address_text(const ldns_rdf* rdf, int family, std::size_t size) {
    if (ldns_rdf_size(rdf) != size) return std::nullopt;
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (inet_ntop(family, ldns_rdf_data(rdf), text.data(), text.size()) == nullptr) {
        return std::nullopt;
    }
    return std::string(text.data());
}

// RFC 1035 3.3.14: TXT-DATA is one or more <character-string>s (a length octet, then that
// many octets); the strings of one RR are joined with nothing between.
std::optional<std::string> joined_strings(const ldns_rr* rr) {
    std::string text;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
        const std::uint8_t* data = ldns_rdf_data(rdf);
        const std::size_t size = ldns_rdf_size(rdf);
        if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_STR || size == 0 || data[0] != size - 1) {
            return std::nullopt;
        }
        text.append(reinterpret_cast<const char*>(data + 1), size - 1);
    }
    return text;
}

bool has_rdfs(const ldns_rr* rr, std::size_t count) {
    return ldns_rr_rd_count(rr) == count;
}

} // namespace

std::string dname_text(const ldns_rdf* dname) {
    const c_string_ptr text(ldns_rdf2str(dname));
    return text ? canonical_name(text.get()) : std::string();
}

std::optional<rr_type> answer_type(ldns_rr_type type) {
    switch (type) {
    case LDNS_RR_TYPE_A:
        return rr_type::a;
    case LDNS_RR_TYPE_AAAA:
        return rr_type::aaaa;
    case LDNS_RR_TYPE_TXT:
        return rr_type::txt;
    case LDNS_RR_TYPE_PTR:
        return rr_type::ptr;
    case LDNS_RR_TYPE_MX:
        return rr_type::mx;
    default:
        return std::nullopt;
    }
}

std::optional<std::string> record_text(const ldns_rr* rr) {
    switch (ldns_rr_get_type(rr)) {
    case LDNS_RR_TYPE_A:
        if (!has_rdfs(rr, 1)) return std::nullopt;
        return address_text(ldns_rr_rdf(rr, 0), AF_INET, 4);
    case LDNS_RR_TYPE_AAAA:
        if (!has_rdfs(rr, 1)) return std::nullopt;
        return address_text(ldns_rr_rdf(rr, 0), AF_INET6, 16);
    case LDNS_RR_TYPE_TXT:
        return joined_strings(rr);
    case LDNS_RR_TYPE_PTR:
        if (!has_rdfs(rr, 1) || ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) != LDNS_RDF_TYPE_DNAME) {
            return std::nullopt;
        }
        return dname_text(ldns_rr_rdf(rr, 0));
    case LDNS_RR_TYPE_MX:
        // RFC 7505: a null MX ("0 .") comes out as the empty string.
        if (!has_rdfs(rr, 2) || ldns_rdf_get_type(ldns_rr_rdf(rr, 1)) != LDNS_RDF_TYPE_DNAME) {
            return std::nullopt;
        }
        return dname_text(ldns_rr_rdf(rr, 1));
    default:
        return std::nullopt;
    }
}

std::uint16_t mx_preference(const ldns_rr* rr) {
    if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_MX || ldns_rr_rd_count(rr) < 1) return 0;
    return ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
}

std::optional<std::uint32_t> negative_ttl(const ldns_rr* soa) {
    // RFC 1035 3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM.
    if (ldns_rr_get_type(soa) != LDNS_RR_TYPE_SOA || ldns_rr_rd_count(soa) != 7) {
        return std::nullopt;
    }
    const ldns_rdf* minimum = ldns_rr_rdf(soa, 6);
    if (ldns_rdf_size(minimum) != 4) return std::nullopt;
    return std::min(ldns_rr_ttl(soa), ldns_rdf2native_int32(minimum));
}

} // namespace arcrelay::dns::detail
