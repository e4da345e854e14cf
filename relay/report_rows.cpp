// relay/report_rows.cpp — see report_rows.hpp.
#include "relay/report_rows.hpp"

#include "dns/name.hpp"
#include "relay/message_checks.hpp"
#include "relay/policy.hpp"

#include <algorithm>

namespace arcrelay::relay {

namespace {

report::policy policy_of(auth::dmarc::policy p) {
    switch (p) {
    case auth::dmarc::policy::none:
        return report::policy::none;
    case auth::dmarc::policy::quarantine:
        return report::policy::quarantine;
    case auth::dmarc::policy::reject:
        return report::policy::reject;
    }
    return report::policy::none;
}

std::optional<report::policy> policy_of(const std::optional<auth::dmarc::policy>& p) {
    if (!p) return std::nullopt;
    return policy_of(*p);
}

report::alignment alignment_of(auth::dmarc::alignment_mode m) {
    return m == auth::dmarc::alignment_mode::strict ? report::alignment::strict
                                                    : report::alignment::relaxed;
}

std::string domain_of(std::string_view mailbox) {
    const auto at = mailbox.rfind('@');
    return at == std::string_view::npos ? std::string()
                                        : dns::canonical_name(mailbox.substr(at + 1));
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && mail::iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

} // namespace

bool is_dmarc_report(const mail::message& m) {
    for (const auto* subject : m.fields("Subject"))
        if (starts_with_ci(trim_left(subject->value()), "Report Domain:")) return true;
    return false;
}

std::optional<report_row_draft> start_row(const auth::dmarc::dmarc_result& r,
                                          const row_context& ctx) {
    using auth::dmarc::verdict;
    if (!r.reports_allowed || r.virtual_record || !r.applied_record) return std::nullopt;
    if (r.result != verdict::pass && r.result != verdict::fail) return std::nullopt;
    const auto& rec = *r.applied_record;
    report_row_draft d;
    auto& row = d.row;
    row.time = static_cast<std::int64_t>(ctx.now);
    row.source_ip = ctx.client_ip;
    row.header_from = r.header_from;
    row.envelope_from = domain_of(ctx.mail_from);
    row.envelope_to = domain_of(ctx.recipient);
    auto& pp = row.policy;
    pp.domain = r.policy_domain;
    pp.p = policy_of(rec.p);
    pp.sp = policy_of(rec.sp);
    pp.np = policy_of(rec.np);
    pp.adkim = alignment_of(rec.adkim);
    pp.aspf = alignment_of(rec.aspf);
    pp.discovery_method = r.method == auth::dmarc::org_domain_method::tree_walk
                              ? report::discovery::treewalk
                              : report::discovery::psl;
    pp.testing = rec.testing;
    pp.fo = rec.fo;
    pp.rua = rec.rua;
    row.dkim_aligned = r.dkim_aligned;
    row.spf_aligned = r.spf_aligned;
    if (ctx.dkim)
        for (const auto& v : *ctx.dkim)
            row.dkim.push_back({dns::canonical_name(v.domain), v.selector,
                                std::string(auth::dkim::result_name(v.result))});
    if (ctx.spf)
        row.spf = {dns::canonical_name(ctx.spf->domain), "mfrom",
                   std::string(auth::spf::to_string(ctx.spf->result))};
    d.dmarc_failed = r.result == verdict::fail;
    d.policy_enforcing = r.disposition != auth::dmarc::policy::none;
    if (d.dmarc_failed && rec.testing)
        row.reasons.push_back({report::override_type::policy_test_mode, {}});
    return d;
}

std::vector<report::dmarc_row> finish_rows(const check_report& r, int reply_code,
                                           std::span<const std::string> trusted_sealers) {
    std::vector<report::dmarc_row> rows;
    if (reply_code >= 400 && reply_code < 500) return rows; // retried: counted when it lands
    const bool rejected = reply_code >= 500;
    const bool rescued_by_arc = !trusted_sealer(r, trusted_sealers).empty();
    for (const auto& d : r.report_rows) {
        auto row = d.row;
        row.applied = rejected ? report::disposition::reject : report::disposition::none;
        if (!rejected && d.dmarc_failed && d.policy_enforcing) {
            if (rescued_by_arc)
                row.reasons.push_back(
                    {report::override_type::local_policy,
                     report::format_arc_comment(r.arc_seals, r.arc_first_client_ip)});
            else
                row.reasons.push_back({report::override_type::mailing_list, {}});
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace arcrelay::relay
