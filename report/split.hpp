// report/split.hpp — a report whose mail would exceed a size limit becomes several reports,
// split by record count (each a complete RFC 9990 report with its own Report-ID), never a
// truncated one. Pure: the caller measures (composes and signs) a candidate mail.
#pragma once

#include "base/result.hpp"
#include "report/aggregate.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace arcrelay::report {

struct split_report_result {
    // One report (part 0) when it fits whole, else parts 1..n of consecutive records.
    std::vector<domain_report> parts;
    // Records whose one-record mail alone exceeds the limit: in no part (the caller logs
    // them). Their messages are not reported to this destination set.
    std::vector<aggregate_record> refused;
};

// The size in octets of the mail that would carry `r`. Errors stop the split.
using mail_measure = std::function<result<std::uint64_t>(const domain_report& r)>;

// Splits `r` so that every part's mail is at most `limit` octets: the whole report when it
// fits, else greedily the longest run of records that fits (deterministic, so a retry
// builds the same parts and ids). Parts are numbered from 1 in `part`.
result<split_report_result> split_to_fit(const domain_report& r, std::uint64_t limit,
                                         const mail_measure& measure);

} // namespace arcrelay::report
