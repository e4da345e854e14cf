// relay/report_sender.hpp — plans and mails the DMARC aggregate reports of finished periods
// (RFC 9990 5.2): rua destinations checked (external ones need their _report._dmarc
// consent record, RFC 9990 3) and the suppression list applied, reports split to fit the
// smallest size limit, each mail DKIM-signed with the [[arc.key]] keys of the reporting
// address's domain and sent through [reports] next_hop (smtp/client: STARTTLS when
// offered). One delivery row per (report part, destination) in the store: 2xx sent, 4xx or no
// connection deferred with backoff (report/retry), 5xx failed; a report whose deliveries are
// all sent or failed has its rows deleted. Only the holder of the store's sending lease
// sends. Blocking: run it from the CLI or the daemon's report thread, never a mail path.
#pragma once

#include "auth/dmarc/organizational_domain.hpp"
#include "base/result.hpp"
#include "config/config.hpp"
#include "relay/runtime.hpp"
#include "report/aggregate.hpp"
#include "report/rua.hpp"
#include "report/store.hpp"
#include "report/xml_report.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace arcrelay::relay {

// The report metadata of `c` (org_name, email, hostname, generator "arcrelay VERSION").
report::report_metadata report_metadata_of(const config::configuration& c);

// True when `address` (local@domain) is on the suppression list: the address itself or its
// domain, case-insensitively.
bool suppressed(const std::vector<std::string>& suppress, std::string_view address);

// One finished report and where it may go.
struct planned_report {
    report::domain_report report;
    std::vector<report::rua_uri> destinations; // consenting, not suppressed
    std::vector<std::string> refusals;         // "not to URI: why", one per refused rua
    bool try_later = false; // a consent record could not be checked (DNS): keep the rows
};

// Every report of a period ended before `now`'s period, with its destinations.
result<std::vector<planned_report>> plan_reports(const runtime& rt, report::row_store& store,
                                                 std::int64_t now);

struct report_send_counts {
    std::size_t sent = 0, deferred = 0, failed = 0;
    bool lease_held_elsewhere = false;
};

// Counters for the metrics (arcrelay_reports_sent_total, ..._failed_total, _deferred_total).
struct report_send_metrics {
    std::atomic<std::uint64_t> sent{0}, failed{0}, deferred{0};
};

using report_log = std::function<void(config::log_level, const std::string&)>;

// Mails every due delivery of the planned reports at `now` as lease owner `owner`. Errors:
// the store failed (what was sent before stays recorded).
result<report_send_counts> send_reports(const runtime& rt, report::row_store& store,
                                        std::int64_t now, const std::string& owner,
                                        const report_log& log, report_send_metrics* metrics);

} // namespace arcrelay::relay
