// dns/resolver.hpp — the one door to DNS for every check (DKIM, ARC, SPF, DMARC, iprev).
//
// Answers spell out the outcome as Postfix's dns.h does: records, no such name,
// no records of that type, temporary failure, malformed data. The core never
// talks to the network: it is given a resolver (static zone in tests and with
// --zone, the network stub resolver in the daemon).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace arcrelay::dns {

enum class rr_type : std::uint16_t { a = 1, ptr = 12, mx = 15, txt = 16, aaaa = 28 };

enum class outcome {
    records,      // at least one record of the asked type
    nxdomain,     // RCODE 3: the name does not exist
    nodata,       // the name exists, no record of this type
    temp_failure, // timeout, SERVFAIL, network error, query budget exhausted
    malformed,    // an answer that cannot be parsed or does not match the question
};

struct question {
    std::string name; // case-insensitive; a trailing dot is optional
    rr_type type = rr_type::txt;
    bool operator==(const question&) const = default;
};

// Record text by type:
//   txt:  the character-strings of one RR concatenated with nothing between (RFC 7208 3.3,
//         RFC 6376 3.6.2.2)
//   a:    dotted quad ("192.0.2.1"); aaaa: RFC 5952 text ("2001:db8::1")
//   ptr:  the target name, lower-case, without the trailing dot
//   mx:   the exchange name, lower-case, without trailing dot, ordered by preference
//         (a null MX, RFC 7505, is the empty string)
struct answer {
    outcome result = outcome::temp_failure;
    std::vector<std::string> records;
    std::string reason; // why, for temp_failure and malformed (for logs and A-R reason=)
    // Seconds this answer may be cached: the smallest TTL of the answering RRset (and of the
    // CNAMEs that led to it) for records; the RFC 2308 5 negative TTL for nxdomain and nodata;
    // 0 (do not cache) for temp_failure and malformed, or when unknown.
    std::uint32_t ttl = 0;
};

// The longest CNAME chain a resolver follows for one question before answering temp_failure
// (RFC 1034 3.6.2: chains are followed, loops must end).
inline constexpr std::size_t max_cname_chain = 8;

class resolver {
public:
    virtual ~resolver() = default;

    // Answers every question, concurrently where the implementation can, and returns the
    // answers in question order. Blocks the calling thread until all are answered or timed
    // out; never throws (failures are temp_failure answers).
    virtual std::vector<answer> resolve(std::span<const question> questions) = 0;

    answer resolve_one(const question& q) { return std::move(resolve({&q, 1}).front()); }
};

} // namespace arcrelay::dns
