// report/rua.hpp — a DMARC "rua" destination URI: "mailto:ADDRESS" with the optional size
// suffix "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] (RFC 7489 6.4; kept as obs-dmarc-report-size
// by RFC 9989 4.7). arcrelay honours the size by splitting a report into smaller ones,
// which every receiver accepts, rather than ignoring it. Pure.
#pragma once

#include "base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::report {

struct rua_uri {
    std::string uri;                        // without the "!size" suffix, as deliveries name it
    std::string address;                    // the mailbox, %-escapes decoded (RFC 6068 2)
    std::string host;                       // the address's domain, lower-case
    std::optional<std::uint64_t> max_bytes; // from "!size": k/m/g/t are powers of 1024
};

// Errors (permanent): not a mailto: URI (RFC 9990 knows only mailto), not local@host (a
// dot-string local part, a host name of LDH labels), a bad
// %-escape, a control character or space in the address, a size suffix that is not digits and one
// unit, or that overflows 64 bits.
result<rua_uri> parse_rua(std::string_view uri);

} // namespace arcrelay::report
