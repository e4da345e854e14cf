// report/split.cpp — see split.hpp.
#include "report/split.hpp"

namespace arcrelay::report {

namespace {

domain_report slice(const domain_report& r, std::size_t first, std::size_t count, unsigned part) {
    domain_report out;
    out.policy_domain = r.policy_domain;
    out.when = r.when;
    out.policy = r.policy;
    out.part = part;
    out.records.assign(r.records.begin() + static_cast<std::ptrdiff_t>(first),
                       r.records.begin() + static_cast<std::ptrdiff_t>(first + count));
    return out;
}

} // namespace

result<split_report_result> split_to_fit(const domain_report& r, std::uint64_t limit,
                                         const mail_measure& measure) {
    split_report_result out;
    auto whole = measure(r);
    if (!whole) return whole.error();
    if (*whole <= limit) {
        out.parts.push_back(r);
        out.parts.back().part = 0;
        return out;
    }
    std::size_t first = 0;
    unsigned part = 1;
    while (first < r.records.size()) {
        // Largest count in [1, remaining] whose mail fits: sizes grow with the count.
        const auto fits = [&](std::size_t count) -> result<bool> {
            auto size = measure(slice(r, first, count, part));
            if (!size) return size.error();
            return *size <= limit;
        };
        auto one = fits(1);
        if (!one) return one.error();
        if (!*one) {
            out.refused.push_back(r.records[first]);
            ++first;
            continue;
        }
        std::size_t good = 1, bad = r.records.size() - first + 1; // fits(good), !fits(bad)
        while (bad - good > 1) {
            const std::size_t mid = good + (bad - good) / 2;
            auto ok = fits(mid);
            if (!ok) return ok.error();
            (*ok ? good : bad) = mid;
        }
        out.parts.push_back(slice(r, first, good, part++));
        first += good;
    }
    return out;
}

} // namespace arcrelay::report
