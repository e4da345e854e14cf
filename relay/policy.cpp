// relay/policy.cpp — see policy.hpp. RFC 7372 3.1-3.3 (codes), RFC 7489 7.1 and 6.6.2 (DMARC
// reject), RFC 8617 7.2 (local policy may override DMARC for a trusted ARC sealer) and
// 10.4 (5.7.29).
#include "relay/policy.hpp"

#include "mail/header_field.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace arcrelay::relay {
namespace {

struct failure {
    int detail; // X.7.<detail>
    std::string what;
};

struct findings {
    std::vector<failure> failed;
    std::vector<std::string> temporary; // checks that ended in temperror
};

bool is_temperror(std::string_view keyword) {
    return keyword == "temperror";
}

void check_dkim(const check_report& r, findings& f) {
    if (r.dkim.empty()) return; // dkim=none is not a failure
    if (std::find(r.dkim.begin(), r.dkim.end(), "pass") != r.dkim.end()) return;
    if (std::any_of(r.dkim.begin(), r.dkim.end(), is_temperror)) {
        f.temporary.push_back("dkim=temperror");
        return;
    }
    f.failed.push_back({20, "no passing DKIM signature"}); // RFC 7372 3.1
}

void check_spf(const check_report& r, findings& f) {
    if (r.spf == "fail") f.failed.push_back({23, "SPF validation failed (spf=fail)"});
    if (r.spf == "permerror") f.failed.push_back({24, "SPF validation error (spf=permerror)"});
    if (is_temperror(r.spf)) f.temporary.push_back("spf=temperror");
}

void check_iprev(const check_report& r, findings& f) {
    if (r.iprev == "fail") f.failed.push_back({25, "reverse DNS validation failed (iprev=fail)"});
    if (is_temperror(r.iprev)) f.temporary.push_back("iprev=temperror");
}

void check_arc(const check_report& r, findings& f) {
    if (r.arc != "fail") return;
    f.failed.push_back(
        {29, r.arc_reason.empty()
                 ? std::string("ARC validation failure (arc=fail)")
                 : fmt::format("ARC validation failure (arc=fail: {})", r.arc_reason)});
}

void check_dmarc(const check_report& r, std::span<const std::string> trusted, findings& f,
                 std::string& note) {
    if (is_temperror(r.dmarc)) {
        f.temporary.push_back("dmarc=temperror");
        return;
    }
    if (r.dmarc != "fail" || r.dmarc_policy != "reject") return;
    if (const auto sealer = trusted_sealer(r, trusted); !sealer.empty()) {
        note = fmt::format("dmarc=fail (p=reject) for {} accepted: ARC chain passes, sealed by "
                           "trusted {} (RFC 8617 7.2)",
                           r.dmarc_domain, sealer);
        return;
    }
    // RFC 7489 7.1: 550 5.7.1 for a rejected message.
    f.failed.push_back(
        {1, fmt::format("DMARC policy of {} is reject (dmarc=fail)", r.dmarc_domain)});
}

} // namespace

std::string trusted_sealer(const check_report& r, std::span<const std::string> trusted) {
    if (r.arc != "pass") return {};
    for (const auto& sealer : r.arc_sealers)
        for (const auto& t : trusted)
            if (mail::iequals(sealer, t)) return sealer;
    return {};
}

policy_verdict apply_policy(const check_report& report, const config::policy_settings& settings,
                            std::span<const std::string> trusted_sealers) {
    findings f;
    policy_verdict v;
    if (settings.reject_dkim_fail) check_dkim(report, f);
    if (settings.reject_spf_fail) check_spf(report, f);
    if (settings.reject_iprev_fail) check_iprev(report, f);
    if (settings.reject_arc_fail) check_arc(report, f);
    if (settings.reject_dmarc) check_dmarc(report, trusted_sealers, f, v.note);

    if (f.failed.size() == 1) {
        v.rejection = smtp::make_reply(550, {5, 7, f.failed.front().detail},
                                       "Message rejected: " + f.failed.front().what);
    } else if (f.failed.size() > 1) { // RFC 7372 3.3
        std::vector<std::string> what;
        for (const auto& x : f.failed)
            what.push_back(x.what);
        v.rejection = smtp::make_reply(
            550, {5, 7, 26},
            fmt::format("Multiple authentication checks failed: {}", fmt::join(what, "; ")));
    } else if (!f.temporary.empty()) {
        const auto list = fmt::format("{}", fmt::join(f.temporary, ", "));
        if (settings.temperror_defer) {
            // RFC 7372 3.2: 4.7.24 for a temporary SPF error; 4.7.0 for the others.
            const bool spf_only = f.temporary.size() == 1 && f.temporary.front() == "spf=temperror";
            v.rejection =
                smtp::make_reply(451, {4, 7, spf_only ? 24 : 0},
                                 "Temporary authentication failure, try again later: " + list);
        } else {
            v.note = "accepted despite " + list + " (temperror_defer off)";
        }
    }
    return v;
}

} // namespace arcrelay::relay
