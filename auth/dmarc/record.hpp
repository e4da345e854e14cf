// auth/dmarc/record.hpp — the DMARC Policy Record (RFC 9989 4.7, 4.8).
//
// parse_record reads the TXT text of a `_dmarc.<domain>` record. v=DMARC1 must be the first
// tag (RFC 9989 4.7 v); the others may come in any order, p included (RFC 9989 4.8 gives no
// order, unlike RFC 7489 6.4's ABNF). Only registered active tags are processed; unknown
// tags and the historic pct, rf and ri (RFC 9989 9.3, A.6) are ignored (4.7: "unknown
// tags MUST be ignored"). A missing or invalid p, or an invalid sp or np, makes the record
// invalid unless rua holds a valid URI, in which case the record is read as p=none
// (RFC 9989 4.10.1). Invalid values of the other tags are replaced by their defaults and listed
// in `discarded` (RFC 9989 4.8: "Syntax errors in the remainder of the record MUST be
// discarded in favor of default values"). rua, ruf and fo are kept for reporting.
#pragma once

#include "base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dmarc {

enum class policy { none, quarantine, reject };
enum class alignment_mode { relaxed, strict };

struct record {
    policy p = policy::none;
    std::optional<policy> sp; // absent: p applies to subdomains
    std::optional<policy> np; // DMARCbis: absent means sp (or p)
    alignment_mode adkim = alignment_mode::relaxed;
    alignment_mode aspf = alignment_mode::relaxed;
    bool testing = false;         // RFC 9989 4.7 t=y
    std::optional<bool> psd;      // RFC 9989 4.7 psd=y / psd=n; absent or psd=u
    std::vector<std::string> rua; // aggregate reporting URIs (RFC 9989 4.7, RFC 9990)
    std::vector<std::string> ruf;
    std::string fo = "0";
    bool p_from_rua = false;            // p was missing or invalid: read as p=none (4.10.1)
    std::vector<std::string> discarded; // "tag: why" for each value replaced by its default

    // The policy for the domain itself, for an existing subdomain, and for a non-existent
    // subdomain (RFC 9989 4.7: np defaults to sp, sp to p).
    policy subdomain_policy() const { return sp.value_or(p); }
    policy nonexistent_policy() const { return np.value_or(subdomain_policy()); }
};

// True if the text starts with the DMARC version tag (RFC 9989 4.10 step 2: other TXT
// records at the name are not DMARC records and are discarded).
bool is_dmarc_record(std::string_view text);

// Parses a DMARC record. Errors (permanent, with the tag at fault): not starting with
// v=DMARC1, tag-list syntax (empty tag name, missing '=', bad characters, duplicate tag),
// p missing or invalid, sp or np invalid (each unless rua carries a valid URI, see above).
result<record> parse_record(std::string_view text);

std::string_view to_string(policy p);
std::string_view to_string(alignment_mode m);

} // namespace arcrelay::auth::dmarc
