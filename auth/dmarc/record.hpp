// auth/dmarc/record.hpp — the DMARC policy record (RFC 7489 6.3, 6.4; DMARCbis np, t, psd).
//
// parse_record reads the TXT text of a `_dmarc.<domain>` record. v=DMARC1 must come first
// (RFC 7489 6.4). Unknown tags are ignored (RFC 7489 6.3). A missing or invalid p, or an
// invalid sp or np, makes the record invalid unless rua holds a valid URI, in which case the
// record is read as p=none (RFC 7489 6.6.3 step 6). Invalid values of the other tags are
// replaced by their defaults and listed in `discarded` (RFC 7489 6.3: "Syntax errors in the
// remainder of the record SHOULD be discarded in favor of default values").
// rua, ruf, fo, rf and ri are parsed for completeness; evaluation never uses them.
#pragma once

#include "base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::dmarc {

enum class policy { none, quarantine, reject };
enum class alignment_mode { relaxed, strict };

// RFC 7489 6.3 ri default (one day) and pct bound.
inline constexpr std::uint32_t default_report_interval = 86400;
inline constexpr int max_pct = 100;

struct record {
    policy p = policy::none;
    std::optional<policy> sp; // absent: p applies to subdomains
    std::optional<policy> np; // DMARCbis: absent means sp (or p)
    alignment_mode adkim = alignment_mode::relaxed;
    alignment_mode aspf = alignment_mode::relaxed;
    int pct = max_pct;            // RFC 7489 6.6.4 sampling rate, 0..100
    bool testing = false;         // DMARCbis t=y
    std::optional<bool> psd;      // DMARCbis psd=y / psd=n; absent or psd=u
    std::vector<std::string> rua; // reporting URIs (RFC 7489 6.3), not used here
    std::vector<std::string> ruf;
    std::string fo = "0";
    std::string rf = "afrf";
    std::uint32_t ri = default_report_interval;
    bool p_from_rua = false;            // p was missing or invalid: read as p=none (6.6.3)
    std::vector<std::string> discarded; // "tag: why" for each value replaced by its default

    // The policy for the domain itself, for an existing subdomain, and for a non-existent
    // subdomain (DMARCbis: np defaults to sp, sp to p).
    policy subdomain_policy() const { return sp.value_or(p); }
    policy nonexistent_policy() const { return np.value_or(subdomain_policy()); }
};

// True if the text starts with the DMARC version tag (RFC 7489 6.6.3 step 4: other TXT
// records at the name are not DMARC records and are discarded).
bool is_dmarc_record(std::string_view text);

// Parses a DMARC record. Errors (permanent, with the tag at fault): not starting with
// v=DMARC1, tag-list syntax (empty tag name, missing '=', bad characters, duplicate tag),
// p missing or invalid, sp or np invalid (each unless rua carries a valid URI, see above).
result<record> parse_record(std::string_view text);

std::string_view to_string(policy p);
std::string_view to_string(alignment_mode m);

} // namespace arcrelay::auth::dmarc
