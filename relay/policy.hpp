// relay/policy.hpp — the "policy" stage (DESIGN.md Pipeline step 4, "Policy and status
// codes"): opt-in rejections over the verify stage's report, with the RFC 7372 enhanced
// codes and RFC 7489 7.1's 550 5.7.1 for DMARC p=reject. A DNS temperror never becomes a
// permanent rejection: it is accepted, or deferred with 451 when temperror_defer is set.
// Pure: no I/O.
#pragma once

#include "config/config.hpp"
#include "relay/message_checks.hpp"
#include "smtp/reply.hpp"

#include <optional>
#include <span>
#include <string>

namespace arcrelay::relay {

struct policy_verdict {
    std::optional<smtp::reply> rejection; // nullopt: the message goes on
    std::string note; // for the log: what was overridden or deferred, and why ("" if nothing)
};

// Applies `settings` to `report`. Each enabled check that failed contributes its code:
//   reject_dkim_fail   signatures present, none passes            550 5.7.20
//   reject_spf_fail    spf=fail                                   550 5.7.23
//                      spf=permerror                              550 5.7.24
//   reject_iprev_fail  iprev=fail                                 550 5.7.25
//   reject_arc_fail    arc=fail                                   550 5.7.29 (RFC 8617 10.4)
//   reject_dmarc       dmarc=fail with policy reject              550 5.7.1  (RFC 7489 7.1)
// Two or more: 550 5.7.26. A DMARC failure is not counted when the ARC chain passes and one
// of its sealers is in `trusted_sealers` (RFC 8617 7.2). When nothing failed but an enabled
// check ended in temperror: 451 4.7.24 (SPF) or 451 4.7.0 with temperror_defer, else accept.
// The first sealer of a passing ARC chain (d= of its seals) that is in `trusted`, or "":
// such a chain may override a failing DMARC policy (RFC 8617 7.2).
std::string trusted_sealer(const check_report& r, std::span<const std::string> trusted);

policy_verdict apply_policy(const check_report& report, const config::policy_settings& settings,
                            std::span<const std::string> trusted_sealers);

} // namespace arcrelay::relay
