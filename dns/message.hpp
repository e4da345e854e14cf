// dns/message.hpp — the pure half of the stub resolver: build a query message, decide whether a
// received message answers it, and read the answer for one question. No I/O here, so every
// rule is unit-tested with crafted packets.
//
// RFC 1035 4.1 (message format), RFC 6891 (EDNS0 OPT RR), RFC 5452 4.1 and 9.1 (an answer must
// match id and question), RFC 2308 (negative answers and their TTL), RFC 1034 3.6.2 (CNAMEs),
// RFC 6604 (the RCODE of a CNAME chain is the last name's).
#pragma once

#include "dns/ldns_text.hpp"
#include "dns/resolver.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::dns::detail {

struct query {
    rdf_ptr name; // absolute, as sent
    rr_type type = rr_type::txt;
    std::uint16_t id = 0;
    std::vector<std::uint8_t> wire; // the message as sent (RD set; OPT RR when EDNS is on)
};

// A recursive (RD) IN query for `name` (canonical text, no trailing dot) with message id `id`;
// with an EDNS0 OPT RR advertising `edns_payload` bytes, or without EDNS when it is 0.
// nullopt when `name` is not a valid domain name (RFC 1035 2.3.4 lengths, empty labels).
std::optional<query> build_query(const std::string& name, rr_type type, std::uint16_t id,
                                 std::uint16_t edns_payload);

// Gives the query a new message id (RFC 5452 9.2: a fresh random id for every message sent).
void set_query_id(query& q, std::uint16_t id);

enum class verdict {
    answer,   // a response to this query: same id, QR set, same question
    not_ours, // too short, another id, or another question: ignore it (RFC 5452 9.1)
    garbled,  // our id, but the message cannot be parsed
};

struct checked_response {
    verdict result = verdict::not_ours;
    pkt_ptr packet; // set for verdict::answer
};

checked_response check_response(std::span<const std::uint8_t> wire, const query& q);

// What an answering message says about the query. CNAMEs in the answer section are followed
// from the question name for at most `aliases_left` links.
struct reading {
    answer result;
    // Set when the chain ends at a name the server did not answer for (NOERROR, no records, no
    // SOA): ask again for this name. result.ttl then bounds the TTL of the final answer.
    std::optional<std::string> next_name;
    std::size_t aliases = 0; // CNAME links followed
};

reading read_response(const ldns_pkt* packet, const query& q, std::size_t aliases_left);

} // namespace arcrelay::dns::detail
