// config/describe.cpp — see describe.hpp.
#include "config/describe.hpp"

#include "config/database_uri.hpp"

#include "config/names.hpp"

#include <fmt/format.h>

#include <iterator>

namespace arcrelay::config {
namespace {

std::string endpoint(const ip_address& address, std::uint16_t port) {
    const std::string text = format_ip_address(address);
    return address.v6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

std::string describe_next_hop(const next_hop_settings& hop) {
    if (hop.protocol == next_hop_protocol::maildir) return fmt::format("maildir {}", hop.path);
    const bool v6 = hop.host.find(':') != std::string::npos;
    return fmt::format("{} {}{}{}:{}{}, pool {}", name_of(hop.protocol), v6 ? "[" : "", hop.host,
                       v6 ? "]" : "", hop.port, hop.starttls ? " (STARTTLS required)" : "",
                       hop.pool_size);
}

std::string describe_clients(const std::vector<ip_network>& nets) {
    if (nets.empty()) return "any";
    std::string out;
    for (const auto& n : nets) {
        if (!out.empty()) out += ", ";
        out += fmt::format("{}/{}", format_ip_address(n.address), n.prefix);
    }
    return out;
}

// "size 10485760, recipients 100, ..." for the fields where `l` differs from `base`;
// empty when none do.
std::string limit_differences(const limit_settings& l, const limit_settings& base) {
    std::string out;
    auto add = [&](std::string_view name, auto value, auto base_value) {
        if (value == base_value) return;
        if (!out.empty()) out += ", ";
        fmt::format_to(std::back_inserter(out), "{} {}", name, value);
    };
    add("max_message_size", l.max_message_size, base.max_message_size);
    add("max_recipients", l.max_recipients, base.max_recipients);
    add("max_header_fields", l.max_header_fields, base.max_header_fields);
    add("max_header_bytes", l.max_header_bytes, base.max_header_bytes);
    add("max_arc_sets", l.max_arc_sets, base.max_arc_sets);
    add("max_dkim_signatures", l.max_dkim_signatures, base.max_dkim_signatures);
    add("connections_total", l.connections_total, base.connections_total);
    add("connections_per_ip", l.connections_per_ip, base.connections_per_ip);
    add("message_time_budget_ms", l.message_time_budget.count(), base.message_time_budget.count());
    add("command_timeout_s", l.command_timeout.count(), base.command_timeout.count());
    add("data_block_timeout_s", l.data_block_timeout.count(), base.data_block_timeout.count());
    return out;
}

void describe_listener(std::string& out, const listener& l, const configuration& c) {
    fmt::format_to(std::back_inserter(out),
                   "listener {} on {}: stages {}; clients {}; recipients {}; STARTTLS {}\n", l.name,
                   endpoint(l.address, l.port), format_stages(l.stages),
                   describe_clients(l.allowed_clients), name_of(l.recipients),
                   l.tls ? fmt::format("on ({})", l.tls->certificate) : "off");
    fmt::format_to(std::back_inserter(out), "  next hop {}\n", describe_next_hop(l.next_hop));
    if (const auto limits = limit_differences(l.limits, c.limits); !limits.empty())
        fmt::format_to(std::back_inserter(out), "  limits {}\n", limits);
}

void describe_list(std::string& out, const mailing_list& l) {
    fmt::format_to(std::back_inserter(out),
                   "list {}: bounces to {}{}; subject prefix {}; List-Id <{}>; list headers {}; "
                   "DKIM signing {}\n",
                   l.address, l.bounce_address, l.verp ? " (VERP)" : "",
                   l.subject_prefix.empty() ? "none" : fmt::format("\"{}\"", l.subject_prefix),
                   l.list_id, l.list_headers ? "on" : "off", l.dkim_sign ? "on" : "off");
}

std::string join(const std::vector<std::string>& items, std::string_view none) {
    if (items.empty()) return std::string(none);
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}

void describe_arc(std::string& out, const arc_settings& a) {
    for (const auto& k : a.keys)
        fmt::format_to(std::back_inserter(out), "arc key {}: d={} s={} from {}\n",
                       name_of(k.algorithm), k.domain, k.selector, k.private_key);
    fmt::format_to(std::back_inserter(out),
                   "arc: AMS signs {}; unsealed mail on seal-only listeners: {}; trusted sealers "
                   "{}; trusted authserv-ids {}\n",
                   join(a.sign_headers, "the default header list"), name_of(a.seal_unsealed),
                   join(a.trusted_sealers, "none"), join(a.trusted_authserv_ids, "none"));
    fmt::format_to(
        std::back_inserter(out), "arc: verify -> seal hand-over secrets {}, accepted for {} s\n",
        join(a.handover_secrets, "STATE_DIR/handover.secret"), a.handover_max_age.count());
}

void describe_dns(std::string& out, const dns_settings& d) {
    std::string servers;
    for (const auto& s : d.servers) {
        if (!servers.empty()) servers += ", ";
        servers += endpoint(s.address, s.port);
    }
    const std::string source = !d.zone_file.empty() ? fmt::format("zone file {}", d.zone_file)
                               : servers.empty()    ? std::string("servers of /etc/resolv.conf")
                                                    : servers;
    fmt::format_to(std::back_inserter(out),
                   "dns: {}; timeout {} ms, {} retries, cache {}, at most {} queries per "
                   "message\n",
                   source, d.timeout.count(), d.retries, d.cache_size, d.max_queries_per_message);
}

void describe_policy(std::string& out, const policy_settings& p) {
    std::vector<std::string> rejects;
    if (p.reject_dmarc) rejects.emplace_back("DMARC p=reject (5.7.1)");
    if (p.reject_spf_fail) rejects.emplace_back("SPF fail (5.7.23)");
    if (p.reject_dkim_fail) rejects.emplace_back("DKIM fail (5.7.20)");
    if (p.reject_iprev_fail) rejects.emplace_back("iprev fail (5.7.25)");
    if (p.reject_arc_fail) rejects.emplace_back("ARC fail (5.7.29)");
    fmt::format_to(std::back_inserter(out), "policy: reject {}; DNS temperror: {}\n",
                   join(rejects, "nothing"), p.temperror_defer ? "defer (451)" : "accept");
}

// [reports]: where rows go, the period and what a report says about its sender.
void describe_reports(std::string& out, const reports_settings& r) {
    if (!r.enabled) {
        fmt::format_to(std::back_inserter(out), "reports: off (no DMARC rows recorded)\n");
        return;
    }
    // The password of a PostgreSQL URI is never shown (database_shown).
    const std::string store =
        is_postgresql_uri(r.database)
            ? "PostgreSQL " + r.database_shown + " (shared: every instance naming it writes there)"
            : "SQLite " + r.database_shown;
    fmt::format_to(std::back_inserter(out),
                   "reports: DMARC aggregate rows (RFC 9990) to {} (queue {} rows, then "
                   "dropped and counted); {} h periods from 00:00 UTC; rows kept {} h; reports "
                   "from \"{}\" <{}>\n",
                   store, r.queue_size, r.period_hours, r.retention_hours, r.org_name, r.email);
    fmt::format_to(std::back_inserter(out),
                   "reports mailing: {} through {} (STARTTLS when offered); at most {} octets a "
                   "mail (and each rua !size), larger reports split by record count; {}; "
                   "retries after a 4xx from {} s doubling to {} s, {} attempts, none after a "
                   "5xx; {}\n",
                   r.send ? fmt::format("serve sends every {} s", r.send_interval.count())
                          : std::string("by `arcrelay reports send` only (send = false)"),
                   r.next_hop.uri, r.max_report_bytes,
                   r.dkim_sign ? fmt::format("DKIM-signed with the [[arc.key]] keys of {}",
                                             r.email.substr(r.email.rfind('@') + 1))
                               : std::string("not DKIM-signed (dkim_sign = false)"),
                   r.retry_first.count(), r.retry_max.count(), r.max_attempts,
                   r.suppress.empty() ? std::string("no suppressed destinations")
                                      : fmt::format("never to {}", fmt::join(r.suppress, ", ")));
}

} // namespace

std::string describe(const configuration& c) {
    std::string out;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "configuration {}\n", c.source);
    fmt::format_to(
        o, "server {} (authserv-id {}); worker threads {}; I/O threads {}; state in {}\n",
        c.server.hostname, c.server.authserv_id,
        c.server.threads == 0 ? std::string("one per core") : std::to_string(c.server.threads),
        c.server.io_threads == 0 ? std::string("one per 4 workers")
                                 : std::to_string(c.server.io_threads),
        c.server.state_dir);
    for (const auto& l : c.listeners)
        describe_listener(out, l, c);
    const std::string changed = limit_differences(c.limits, limit_settings{});
    fmt::format_to(o, "limits: {}\n", changed.empty() ? "defaults" : changed);
    for (const auto& l : c.lists)
        describe_list(out, l);
    describe_arc(out, c.arc);
    describe_dns(out, c.dns);
    fmt::format_to(o, "dmarc: organizational domain by {}; virtual DMARC {}\n",
                   name_of(c.dmarc.org_domain), name_of(c.dmarc.virtual_policy));
    describe_policy(out, c.policy);
    fmt::format_to(o, "log: {} as {}, timestamps {}\n", name_of(c.log.level), name_of(c.log.format),
                   !c.log.timestamps   ? "on unless under journald"
                   : *c.log.timestamps ? "on"
                                       : "off");
    if (c.metrics)
        fmt::format_to(o, "metrics: http://{}/metrics\n",
                       endpoint(c.metrics->address, c.metrics->port));
    else
        fmt::format_to(o, "metrics: off\n");
    describe_reports(out, c.reports);
    return out;
}

} // namespace arcrelay::config
