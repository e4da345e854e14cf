// report/aggregate.hpp — report periods and the aggregation of rows into records with counts
// (RFC 9990 2.1, 3.1.1: one report per policy domain and period; a record per distinct
// source IP, identifiers, results, disposition and reasons, with the number of messages).
//
// Pure: rows and times in, records out; no clock, no store.
#pragma once

#include "report/row.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace arcrelay::report {

inline constexpr std::int64_t seconds_per_hour = 3600;

struct period {
    std::int64_t begin = 0; // UTC seconds, inclusive
    std::int64_t end = 0;   // exclusive
    bool operator==(const period&) const = default;
};

// The period of `period_hours` (a divisor of 24) that contains `time`: periods start at
// 00:00 UTC and every period_hours after it (RFC 9990 2.1). Times before the epoch belong to
// the period that contains them too (floor, not truncation).
period period_of(std::int64_t time, unsigned period_hours);

// One aggregate record: a row with its time cleared, and how many messages it stands for.
struct aggregate_record {
    dmarc_row row; // time = 0
    std::uint64_t count = 0;
};

// The report of one policy domain for one period: its published policy (the one the latest
// row saw) and its records, in the order their first row arrived.
struct domain_report {
    std::string policy_domain;
    period when;
    published_policy policy;
    std::vector<aggregate_record> records;
    unsigned part = 0; // 0: the whole report; n >= 1: part n of a split (report/split.hpp)
};

// Groups rows by (policy domain, period) and, inside, into records of identical rows. Rows
// whose published policy differs in the same period are separate records of one report
// (the report's policy_published is the latest); reports come sorted by domain, then period.
std::vector<domain_report> aggregate(const std::vector<dmarc_row>& rows, unsigned period_hours);

} // namespace arcrelay::report
