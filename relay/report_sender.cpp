// relay/report_sender.cpp — see report_sender.hpp.
#include "relay/report_sender.hpp"

#include "auth/dmarc/record.hpp"
#include "dns/name.hpp"
#include "mail/message.hpp"
#include "relay/cli_usage.hpp"
#include "relay/list_signing.hpp"
#include "relay/next_hop.hpp"
#include "relay/report_mail.hpp"
#include "report/retry.hpp"
#include "report/split.hpp"
#include "smtp/client.hpp"
#include "smtp/tls.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

namespace arcrelay::relay {

namespace {

namespace asio = boost::asio;

constexpr std::int64_t lease_ttl = 600; // seconds; renewed before every mail

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view domain_of(std::string_view address) {
    return address.substr(address.rfind('@') + 1);
}

// RFC 9990 3 (Verifying External Destinations): a destination outside the policy domain's
// organizational domain receives reports only if it publishes a DMARC record at
// "<policy-domain>._report._dmarc.<destination host>". "" when it may; else why not.
// `temporary` is set when DNS could not tell.
std::string consent_refusal(const report::rua_uri& rua, const std::string& policy_domain,
                            auth::dmarc::organizational_domains& org, dns::resolver& resolver,
                            bool& temporary) {
    const auto own = org.find(policy_domain);
    const auto theirs = org.find(rua.host);
    if (own && theirs && *own == *theirs) return {};
    const auto name = fmt::format("{}._report._dmarc.{}", policy_domain, rua.host);
    const auto answer = resolver.resolve_one({name, dns::rr_type::txt});
    if (answer.result == dns::outcome::records)
        for (const auto& text : answer.records)
            if (auth::dmarc::is_dmarc_record(text)) return {};
    temporary = answer.result == dns::outcome::temp_failure;
    return temporary
               ? fmt::format("{} could not be checked ({}): try again later", name, answer.reason)
               : fmt::format("no DMARC record at {}: the destination did not agree "
                             "(RFC 9990 3)",
                             name);
}

// Composes and (with dkim_sign) signs the mail of `part` to `to`.
result<std::string> signed_mail(const runtime& rt, const report::domain_report& part,
                                const report::report_metadata& meta, std::string_view to,
                                unsigned parts, std::int64_t now) {
    auto xml = report::write_report_xml(part, meta);
    if (!xml) return xml.error();
    auto gz = report::gzip(*xml);
    if (!gz) return gz.error();
    auto text =
        compose_report_mail({&part, &meta, to, *gz, static_cast<std::uint64_t>(now), parts});
    if (!rt.config.reports.dkim_sign) return text;
    auto m = mail::parse_owned_message(std::move(text));
    if (!m) return m.error();
    auto signed_count =
        sign_for_domain(*m, domain_of(meta.email), rt.keys, static_cast<std::uint64_t>(now));
    if (!signed_count) return signed_count.error();
    if (*signed_count == 0)
        return permanent_error(fmt::format("no [[arc.key]] covers {}: cannot DKIM-sign the report",
                                           domain_of(meta.email)));
    return m->serialise();
}

// One SMTP transaction on a private io_context (this thread blocks; no pooled connection
// outlives it). A connection failure comes back as smtp/client's 451 4.4.x reply.
smtp::reply deliver(const runtime& rt, std::string_view from, std::string_view to,
                    std::string message) {
    auto cfg = make_client_config(rt.config.reports.next_hop, rt.config.server.hostname);
    cfg.tls = smtp::make_client_tls_context(false); // RFC 9990 5.2: STARTTLS when offered
    cfg.require_tls = false;
    cfg.max_idle = 0;
    smtp::smtp_client client(cfg);
    smtp::transaction t;
    t.env.mail_from = std::string(from);
    t.env.rcpts = {std::string(to)};
    t.message = std::move(message);
    asio::io_context io;
    smtp::delivery_result out;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { out = co_await client.deliver(t); }, asio::detached);
    io.run();
    if (!out.recipients.empty() && !out.recipients.front().positive())
        return out.recipients.front();
    return out.overall;
}

std::string reply_text(const smtp::reply& r) {
    std::string text = fmt::format("{}.{}.{}", r.status.klass, r.status.subject, r.status.detail);
    for (const auto& l : r.lines)
        text += " " + l;
    return text;
}

} // namespace

report::report_metadata report_metadata_of(const config::configuration& c) {
    return {c.reports.org_name, c.reports.email, c.server.hostname,
            fmt::format("arcrelay {}", arcrelay_version())};
}

bool suppressed(const std::vector<std::string>& suppress, std::string_view address) {
    const auto a = lower(address);
    const auto d = lower(domain_of(address));
    return std::any_of(suppress.begin(), suppress.end(),
                       [&](const std::string& s) { return s == a || s == d; });
}

result<std::vector<planned_report>> plan_reports(const runtime& rt, report::row_store& store,
                                                 std::int64_t now) {
    const auto& c = rt.config;
    const auto rows = store.rows_between(std::numeric_limits<std::int64_t>::min(),
                                         report::period_of(now, c.reports.period_hours).begin);
    if (!rows) return rows.error();
    const auto psl = auth::dmarc::public_suffix_list::latest();
    auth::dmarc::organizational_domains org(rt.resolver(), psl,
                                            c.dmarc.org_domain == config::org_domain_method::psl
                                                ? auth::dmarc::org_domain_method::public_suffix_list
                                                : auth::dmarc::org_domain_method::tree_walk);
    std::vector<planned_report> out;
    for (auto& r : report::aggregate(*rows, c.reports.period_hours)) {
        planned_report p;
        for (const auto& uri : r.policy.rua) {
            auto rua = report::parse_rua(uri);
            if (!rua) {
                p.refusals.push_back(fmt::format("not to {}: {}", uri, rua.error().message));
                continue;
            }
            if (suppressed(c.reports.suppress, rua->address)) {
                p.refusals.push_back(
                    fmt::format("not to {}: suppressed ([reports] suppress)", rua->uri));
                continue;
            }
            bool temporary = false;
            if (const auto why =
                    consent_refusal(*rua, r.policy_domain, org, rt.resolver(), temporary);
                !why.empty()) {
                p.refusals.push_back(fmt::format("not to {}: {}", uri, why));
                p.try_later = p.try_later || temporary;
                continue;
            }
            p.destinations.push_back(std::move(*rua));
        }
        p.report = std::move(r);
        out.push_back(std::move(p));
    }
    return out;
}

result<report_send_counts> send_reports(const runtime& rt, report::row_store& store,
                                        std::int64_t now, const std::string& owner,
                                        const report_log& log, report_send_metrics* metrics) {
    report_send_counts counts;
    const auto& rs = rt.config.reports;
    auto lease = store.acquire_send_lease(owner, now, lease_ttl);
    if (!lease) return lease.error();
    if (!*lease) {
        counts.lease_held_elsewhere = true;
        log(config::log_level::info, "reports: another instance holds the sending lease; not "
                                     "sending");
        return counts;
    }
    auto plan = plan_reports(rt, store, now);
    if (!plan) return plan.error();
    const auto meta = report_metadata_of(rt.config);
    // Date and DKIM t= are the real time even when `now` is given (CLI --timestamp): a
    // verifier refuses a signature from the future.
    const auto mail_time = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    const report::retry_policy retry{rs.retry_first.count(), rs.retry_max.count(), rs.max_attempts};
    for (const auto& p : *plan) {
        const auto& r = p.report;
        const auto name = report::report_file_name(meta, r);
        for (const auto& why : p.refusals)
            log(config::log_level::info, fmt::format("reports: {}: {}", name, why));
        if (p.try_later) continue; // a destination's consent is unknown: rows kept
        if (p.destinations.empty()) {
            auto gone = store.delete_rows(r.policy_domain, r.when.begin, r.when.end);
            if (!gone) return gone.error();
            log(config::log_level::info,
                fmt::format("reports: {}: no rua it may be sent to; {} rows deleted unreported",
                            name, *gone));
            continue;
        }
        // RFC 7489 6.4 "!size": every destination gets the same parts, cut to the smallest.
        std::uint64_t limit = rs.max_report_bytes;
        std::string longest;
        for (const auto& d : p.destinations) {
            if (d.max_bytes) limit = std::min(limit, *d.max_bytes);
            if (d.address.size() > longest.size()) longest = d.address;
        }
        constexpr unsigned parts_guess = 9999; // "part N of M" measured long, never short
        const auto measure = [&](const report::domain_report& part) -> result<std::uint64_t> {
            auto mail = signed_mail(rt, part, meta, longest, parts_guess, mail_time);
            if (!mail) return mail.error();
            return mail->size();
        };
        auto split = report::split_to_fit(r, limit, measure);
        if (!split) return split.error();
        for (const auto& rec : split->refused)
            log(config::log_level::warning,
                fmt::format("reports: {}: a record (source {}, {} messages) is left out: its "
                            "mail alone exceeds the size limit of {} octets",
                            name, rec.row.source_ip, rec.count, limit));
        const auto parts = static_cast<unsigned>(split->parts.size());
        bool all_final = true;
        for (const auto& part : split->parts) {
            const auto id = report::report_id(meta, part);
            const auto part_name = report::report_file_name(meta, part);
            auto known = store.deliveries_of(id);
            if (!known) return known.error();
            for (const auto& dest : p.destinations) {
                report::delivery d;
                d.report_id = id;
                d.destination = dest.uri;
                for (const auto& k : *known)
                    if (k.destination == dest.uri) d = k;
                if (!report::due(d, now)) {
                    all_final = all_final && d.state != report::delivery_state::deferred &&
                                d.state != report::delivery_state::pending;
                    continue;
                }
                auto renewed = store.acquire_send_lease(owner, now, lease_ttl);
                if (!renewed) return renewed.error();
                if (!*renewed) {
                    counts.lease_held_elsewhere = true;
                    return counts;
                }
                auto mail = signed_mail(rt, part, meta, dest.address, parts, mail_time);
                int code = 0;
                std::string text;
                if (!mail) {
                    code = 554; // cannot be built: permanent, never retried
                    text = mail.error().message;
                } else {
                    const auto reply = deliver(rt, rs.email, dest.address, std::move(*mail));
                    code = reply.code;
                    text = reply_text(reply);
                }
                d = report::after_attempt(d, code, text, now, retry);
                if (auto saved = store.save_delivery(d); !saved) return saved.error();
                switch (d.state) {
                case report::delivery_state::sent:
                    ++counts.sent;
                    if (metrics) ++metrics->sent;
                    log(config::log_level::info,
                        fmt::format("reports: sent {} ({} records) to {}: {} {}", part_name,
                                    part.records.size(), dest.uri, code, text));
                    break;
                case report::delivery_state::deferred:
                    ++counts.deferred;
                    if (metrics) ++metrics->deferred;
                    all_final = false;
                    log(config::log_level::warning,
                        fmt::format("reports: deferred {} to {} (attempt {}, next at {}): {}",
                                    part_name, dest.uri, d.attempts, d.next_attempt, d.last_error));
                    break;
                default:
                    ++counts.failed;
                    if (metrics) ++metrics->failed;
                    log(config::log_level::warning,
                        fmt::format("reports: failed {} to {} (attempt {}, not retried): {}",
                                    part_name, dest.uri, d.attempts, d.last_error));
                    break;
                }
            }
        }
        if (all_final) {
            auto gone = store.delete_rows(r.policy_domain, r.when.begin, r.when.end);
            if (!gone) return gone.error();
            log(config::log_level::info,
                fmt::format("reports: {}: every delivery sent or failed; {} rows deleted", name,
                            *gone));
        }
    }
    const auto keep = static_cast<std::int64_t>(rs.retention_hours) * 3600;
    if (auto old = store.delete_deliveries_before(now - keep); !old) return old.error();
    if (auto released = store.release_send_lease(owner); !released) return released.error();
    return counts;
}

} // namespace arcrelay::relay
