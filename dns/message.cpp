// dns/message.cpp — query building, response matching and answer reading with ldns
// (RFC 1035 4.1, RFC 6891 6.1, RFC 5452 9, RFC 2308 2 and 5, RFC 1034 3.6.2, RFC 6604 3).
#include "dns/message.hpp"

#include "dns/name.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

namespace arcrelay::dns::detail {
namespace {

constexpr std::size_t header_size = 12; // RFC 1035 4.1.1

bool is_in_class(const ldns_rr* rr) {
    return ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
}

bool same_name(const ldns_rdf* a, const ldns_rdf* b) {
    return ldns_dname_compare(a, b) == 0;
}

std::string rcode_text(ldns_pkt_rcode rcode) {
    switch (rcode) {
    case LDNS_RCODE_SERVFAIL:
        return "SERVFAIL";
    case LDNS_RCODE_REFUSED:
        return "REFUSED";
    case LDNS_RCODE_FORMERR:
        return "FORMERR";
    case LDNS_RCODE_NOTIMPL:
        return "NOTIMP";
    default:
        return "RCODE " + std::to_string(static_cast<int>(rcode));
    }
}

// RFC 2308 5: the TTL of a negative answer comes from the SOA in the authority section.
std::uint32_t negative_answer_ttl(const ldns_pkt* packet) {
    const ldns_rr_list* authority = ldns_pkt_authority(packet);
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(authority); ++i) {
        if (auto ttl = negative_ttl(ldns_rr_list_rr(authority, i))) return *ttl;
    }
    return 0;
}

bool has_soa(const ldns_pkt* packet) {
    const ldns_rr_list* authority = ldns_pkt_authority(packet);
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(authority); ++i) {
        if (ldns_rr_get_type(ldns_rr_list_rr(authority, i)) == LDNS_RR_TYPE_SOA) return true;
    }
    return false;
}

// The target of the IN CNAME owned by `name` in the answer section, if any.
const ldns_rdf* cname_target(const ldns_rr_list* answers, const ldns_rdf* name) {
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(answers); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(answers, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && is_in_class(rr) &&
            ldns_rr_rd_count(rr) == 1 && same_name(ldns_rr_owner(rr), name)) {
            return ldns_rr_rdf(rr, 0);
        }
    }
    return nullptr;
}

} // namespace

std::optional<query> build_query(const std::string& name, rr_type type, std::uint16_t id,
                                 std::uint16_t edns_payload) {
    query q;
    q.type = type;
    q.id = id;
    // A name without its final dot would be taken as relative.
    q.name.reset(ldns_dname_new_frm_str((name + ".").c_str()));
    if (!q.name || ldns_rdf_get_type(q.name.get()) != LDNS_RDF_TYPE_DNAME) return std::nullopt;

    const pkt_ptr packet(ldns_pkt_query_new(
        ldns_rdf_clone(q.name.get()), static_cast<ldns_rr_type>(type), LDNS_RR_CLASS_IN, LDNS_RD));
    if (!packet) return std::nullopt;
    ldns_pkt_set_id(packet.get(), id);
    if (edns_payload > 0) ldns_pkt_set_edns_udp_size(packet.get(), edns_payload); // RFC 6891 6.2.3

    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&wire, packet.get(), &size) != LDNS_STATUS_OK) {
        std::free(wire);
        return std::nullopt;
    }
    q.wire.assign(wire, wire + size);
    std::free(wire);
    return q;
}

void set_query_id(query& q, std::uint16_t id) {
    q.id = id;
    q.wire[0] = static_cast<std::uint8_t>(id >> 8);
    q.wire[1] = static_cast<std::uint8_t>(id & 0xff);
}

checked_response check_response(std::span<const std::uint8_t> wire, const query& q) {
    if (wire.size() < header_size) return {};
    const auto id = static_cast<std::uint16_t>(wire[0] << 8 | wire[1]);
    if (id != q.id) return {};

    ldns_pkt* parsed = nullptr;
    const ldns_status status = ldns_wire2pkt(&parsed, wire.data(), wire.size());
    pkt_ptr packet(parsed);
    if (status != LDNS_STATUS_OK || !packet) return {verdict::garbled, nullptr};
    if (!ldns_pkt_qr(packet.get())) return {};

    // RFC 5452 9.1: the question must be the one we asked.
    const ldns_rr_list* questions = ldns_pkt_question(packet.get());
    if (ldns_rr_list_rr_count(questions) != 1) return {};
    const ldns_rr* asked = ldns_rr_list_rr(questions, 0);
    if (!same_name(ldns_rr_owner(asked), q.name.get()) ||
        ldns_rr_get_type(asked) != static_cast<ldns_rr_type>(q.type) || !is_in_class(asked)) {
        return {};
    }
    return {verdict::answer, std::move(packet)};
}

reading read_response(const ldns_pkt* packet, const query& q, std::size_t aliases_left) {
    reading r;
    const ldns_pkt_rcode rcode = ldns_pkt_get_rcode(packet);
    if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
        r.result = {outcome::temp_failure, {}, rcode_text(rcode)};
        return r;
    }

    // RFC 1034 3.6.2: follow the CNAME chain within the answer section.
    const ldns_rr_list* answers = ldns_pkt_answer(packet);
    const ldns_rdf* name = q.name.get();
    std::uint32_t ttl = std::numeric_limits<std::uint32_t>::max();
    while (const ldns_rdf* target = cname_target(answers, name)) {
        if (r.aliases == aliases_left) {
            r.result = {outcome::temp_failure, {}, "CNAME chain too long at " + dname_text(name)};
            return r;
        }
        for (std::size_t i = 0; i < ldns_rr_list_rr_count(answers); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(answers, i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && same_name(ldns_rr_owner(rr), name)) {
                ttl = std::min(ttl, ldns_rr_ttl(rr));
            }
        }
        name = target;
        ++r.aliases;
    }

    std::vector<const ldns_rr*> matching;
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(answers); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(answers, i);
        if (ldns_rr_get_type(rr) == static_cast<ldns_rr_type>(q.type) && is_in_class(rr) &&
            same_name(ldns_rr_owner(rr), name)) {
            matching.push_back(rr);
        }
    }

    if (!matching.empty()) {
        // RFC 5321 5.1: MX hosts in order of preference.
        std::stable_sort(matching.begin(), matching.end(), [](const ldns_rr* a, const ldns_rr* b) {
            return mx_preference(a) < mx_preference(b);
        });
        r.result = {outcome::records, {}, {}, ttl};
        for (const ldns_rr* rr : matching) {
            auto text = record_text(rr);
            if (!text) {
                r.result = {
                    outcome::malformed, {}, "unparsable record data for " + dname_text(name)};
                return r;
            }
            r.result.records.push_back(std::move(*text));
            r.result.ttl = std::min(r.result.ttl, ldns_rr_ttl(rr));
        }
        return r;
    }

    // RFC 6604 3: with a CNAME chain the RCODE speaks of the last name.
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        r.result = {outcome::nxdomain, {}, {}, std::min(ttl, negative_answer_ttl(packet))};
        return r;
    }
    if (r.aliases > 0 && !has_soa(packet)) {
        // An authoritative server gave the alias but not the data of a name outside its zone.
        r.next_name = dname_text(name);
        r.result = {outcome::temp_failure, {}, {}, ttl};
        return r;
    }
    r.result = {outcome::nodata, {}, {}, std::min(ttl, negative_answer_ttl(packet))};
    return r;
}

} // namespace arcrelay::dns::detail
