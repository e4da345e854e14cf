// relay/report_rows.hpp — DMARC aggregate report rows (report/row.hpp, RFC 9990) from the
// verify stage's findings, completed once the client has its final reply.
//
// A row is started for each DMARC evaluation against a published record that ended pass or
// fail — never for the virtual record (draft-akagiri-dmarc-virtual-verification-02 8), no
// record, or an error verdict — and never for an incoming aggregate report (RFC 9990 5.1
// Subject "Report Domain: ..."), so two report senders never feed each other. The row is
// finished with the disposition arcrelay applied (reject for a 5xx, none for a delivered
// message; a 4xx makes no row, the client retries) and the RFC 9990 reasons:
//   local_policy      a trusted sealer's passing ARC chain overrode the failing DMARC policy
//                     (RFC 8617 7.2), comment "arc=pass as[N].d=... as[N].s=... client-ip[1]="
//   mailing_list      a failing message under quarantine/reject was delivered to the list
//   policy_test_mode  the record says t=y and DMARC failed (RFC 9989 4.7 t)
#pragma once

#include "auth/dkim/verify.hpp"
#include "auth/dmarc/evaluate.hpp"
#include "auth/spf/verdict.hpp"
#include "mail/message.hpp"
#include "report/row.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace arcrelay::relay {

struct check_report;

// A started row and what finishing it needs.
struct report_row_draft {
    report::dmarc_row row;
    bool dmarc_failed = false;
    bool policy_enforcing = false; // the policy that applied (after t=y) was not none
};

// RFC 9990 5.1: the Subject of an aggregate report mail starts "Report Domain:".
bool is_dmarc_report(const mail::message& m);

struct row_context {
    std::string client_ip;
    std::string mail_from; // reverse-path ("" for the null sender)
    std::string recipient; // the first envelope recipient
    const std::vector<auth::dkim::verification>* dkim = nullptr;
    const auth::spf::verdict* spf = nullptr; // the MAIL FROM identity
    std::uint64_t now = 0;
};

// The draft for one evaluation, or nullopt when it is not reported (see above).
std::optional<report_row_draft> start_row(const auth::dmarc::dmarc_result& r,
                                          const row_context& ctx);

// The finished rows of a message whose client got `reply_code`; empty for a 4xx.
std::vector<report::dmarc_row> finish_rows(const check_report& r, int reply_code,
                                           std::span<const std::string> trusted_sealers);

} // namespace arcrelay::relay
