// relay/handover.hpp — the authenticated hand-over between the split layout's verify and
// seal listeners (DESIGN.md "Mailman integration", docs/OPERATIONS.md "Hand-over").
//
// The seal listener builds the AAR from our own Authentication-Results. Mailman can be
// reached without passing the verify listener (its LMTP port, a local MTA), so an A-R field
// that merely claims our authserv-id proves nothing. The verify stage therefore adds an
// ARCRelay-Handover field: HMAC-SHA-256 (RFC 2104, FIPS 198-1) under a secret shared by the
// two listeners, over the A-R value it wrote, the Message-ID, the From domain(s) and the
// time. The seal stage trusts our A-R only with a valid MAC younger than max_age, and
// strips the hand-over field whatever it finds. Pure: no I/O; time and secrets are inputs.
#pragma once

#include "mail/message.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::relay {

inline constexpr std::string_view handover_field_name = "ARCRelay-Handover";
inline constexpr std::uint64_t handover_clock_skew_s = 300; // a t= ahead of us by more: refused

struct handover_keys {
    std::vector<std::string> secrets;     // the first signs; every one verifies (rotation)
    std::chrono::seconds max_age{86'400}; // the oldest t= accepted
};

// The MAC input (values in RFC 6376 3.4.2 relaxed form: unfolded, WSP runs as one SP; domains
// lower-case): "arcrelay-handover-v1" LF "t=" T LF "ar=" A-R LF "mid=" Message-ID LF
// "from=" domains joined by "," LF. Binding Message-ID and From keeps a harvested value
// from vouching for another message; t= bounds how long it can be replayed at all.
std::string handover_mac_input(const mail::message& m, std::string_view results_value,
                               std::uint64_t t);

// "v=1; t=T; b=BASE64(HMAC-SHA-256(secret, input))".
std::string handover_value(const mail::message& m, std::string_view results_value,
                           std::string_view secret, std::uint64_t t);

// Verify stage (after record): removes every hand-over field the message arrived with and
// prepends one over `results_value` signed with keys.secrets.front(). No secret: nothing
// is added (the seal side then treats the message as unsealed mail).
void add_handover(mail::message& m, std::string_view results_value, const handover_keys& keys,
                  std::uint64_t now);

struct handover_verdict {
    bool trusted = false; // one A-R field of ours carries a valid, fresh MAC
    std::string reason;   // why not, for the log
};

// Seal stage: strips every hand-over field. Trusted: keeps the one A-R field of
// `authserv_id` the MAC covers and drops any other claiming our id. Not trusted: drops every
// A-R field claiming our id (RFC 8601 5: they are forgeries), so nothing forged reaches the
// AAR or the members.
handover_verdict take_handover(mail::message& m, std::string_view authserv_id,
                               const handover_keys& keys, std::uint64_t now);

} // namespace arcrelay::relay
