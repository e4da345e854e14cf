// report/aggregate.cpp — UTC-aligned periods and records with counts.
#include "report/aggregate.hpp"

#include <tuple>

namespace arcrelay::report {

period period_of(std::int64_t time, unsigned period_hours) {
    const std::int64_t length = static_cast<std::int64_t>(period_hours) * seconds_per_hour;
    std::int64_t begin = time / length * length;
    if (begin > time) begin -= length; // negative times: round down
    return {begin, begin + length};
}

std::vector<domain_report> aggregate(const std::vector<dmarc_row>& rows, unsigned period_hours) {
    std::map<std::tuple<std::string, std::int64_t>, domain_report> reports;
    for (const auto& row : rows) {
        const period p = period_of(row.time, period_hours);
        auto& report = reports[{row.policy.domain, p.begin}];
        if (report.records.empty()) {
            report.policy_domain = row.policy.domain;
            report.when = p;
        }
        report.policy = row.policy;
        dmarc_row key = row;
        key.time = 0;
        bool counted = false;
        for (auto& record : report.records)
            if (record.row == key) {
                ++record.count;
                counted = true;
                break;
            }
        if (!counted) report.records.push_back({std::move(key), 1});
    }
    std::vector<domain_report> out;
    out.reserve(reports.size());
    for (auto& [key, report] : reports)
        out.push_back(std::move(report));
    return out;
}

} // namespace arcrelay::report
