// relay/cli_reports.cpp — see cli_reports.hpp. Reads the SQLite store of [reports] database,
// aggregates with report/aggregate, writes with report/xml_report.
#include "relay/cli_reports.hpp"

#include "auth/dmarc/organizational_domain.hpp"
#include "auth/dmarc/record.hpp"
#include "config/load.hpp"
#include "dns/name.hpp"
#include "relay/cli_args.hpp"
#include "relay/runtime.hpp"
#include "report/aggregate.hpp"
#include "report/open_store.hpp"
#include "report/xml_report.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace arcrelay::relay {

namespace {

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr std::string_view generator = "arcrelay 0.1.0";
constexpr std::string_view usage =
    "usage: arcrelay reports status --config FILE\n"
    "       arcrelay reports show DOMAIN --config FILE\n"
    "       arcrelay reports send --config FILE (--out DIR | --dry-run) [--timestamp T]\n";

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string utc(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int fail(const std::string& message) {
    fmt::print(stderr, "arcrelay reports: {}\n", message);
    return exit_failed;
}

report::report_metadata metadata_of(const config::configuration& c) {
    return {c.reports.org_name, c.reports.email, c.server.hostname, std::string(generator)};
}

std::string reasons_of(const report::dmarc_row& row) {
    std::string out;
    for (const auto& r : row.reasons) {
        if (!out.empty()) out += "; ";
        out += std::string(to_string(r.type)) + (r.comment.empty() ? "" : " (" + r.comment + ")");
    }
    return out.empty() ? "-" : out;
}

int status(const config::configuration& c, report::row_store& store) {
    const auto rows = store.rows_between(INT64_MIN, INT64_MAX);
    if (!rows) return fail(rows.error().message);
    fmt::print("database {} (schema version {}): {} rows\n", c.reports.database_shown,
               report::schema_version_written(c.reports.database), rows->size());
    std::map<std::string, std::size_t> per_domain;
    for (const auto& r : *rows)
        ++per_domain[r.policy.domain];
    if (!rows->empty())
        fmt::print("rows from {} to {}; {} h periods\n", utc(rows->front().time),
                   utc(rows->back().time), c.reports.period_hours);
    for (const auto& [domain, n] : per_domain)
        fmt::print("  {}: {} rows\n", domain, n);
    return 0;
}

int show(const config::configuration& c, report::row_store& store, const std::string& domain) {
    const auto rows = store.rows_between(INT64_MIN, INT64_MAX);
    if (!rows) return fail(rows.error().message);
    bool any = false;
    for (const auto& r : report::aggregate(*rows, c.reports.period_hours)) {
        if (r.policy_domain != domain) continue;
        any = true;
        std::uint64_t messages = 0;
        for (const auto& rec : r.records)
            messages += rec.count;
        fmt::print("{} {} .. {}: {} messages in {} records; rua {}\n", domain, utc(r.when.begin),
                   utc(r.when.end), messages, r.records.size(),
                   r.policy.rua.empty() ? std::string("none (not reported)")
                                        : fmt::format("{}", fmt::join(r.policy.rua, ", ")));
        fmt::print("  {:<39} {:>6} {:<11} {:<5} {:<5} {:<24} {}\n", "source_ip", "count",
                   "disposition", "dkim", "spf", "header_from", "reasons");
        for (const auto& rec : r.records)
            fmt::print(
                "  {:<39} {:>6} {:<11} {:<5} {:<5} {:<24} {}\n", rec.row.source_ip, rec.count,
                to_string(rec.row.applied), rec.row.dkim_aligned ? "pass" : "fail",
                rec.row.spf_aligned ? "pass" : "fail", rec.row.header_from, reasons_of(rec.row));
    }
    if (!any) fmt::print("{}: no rows\n", domain);
    return 0;
}

// The host of a mailto: rua URI (its "!size" suffix dropped), lower-case; "" for another
// scheme (RFC 9990 supports mailto only here).
std::string mailto_host(std::string_view uri) {
    if (const auto bang = uri.rfind('!'); bang != std::string_view::npos) uri = uri.substr(0, bang);
    if (uri.size() < 7 || dns::canonical_name(uri.substr(0, 7)) != "mailto:") return {};
    const auto at = uri.rfind('@');
    return at == std::string_view::npos ? std::string() : dns::canonical_name(uri.substr(at + 1));
}

// RFC 9990 3 (Verifying External Destinations): a destination outside the policy domain's
// organizational domain receives reports only if it publishes a DMARC record at
// "<policy-domain>._report._dmarc.<destination host>". Returns "" when `uri` may receive
// reports, else why not.
std::string refusal(const std::string& uri, const std::string& policy_domain,
                    auth::dmarc::organizational_domains& org, dns::resolver& resolver) {
    const auto host = mailto_host(uri);
    if (host.empty()) return "not a mailto: URI";
    const auto own = org.find(policy_domain);
    const auto theirs = org.find(host);
    if (own && theirs && *own == *theirs) return {};
    const auto name = fmt::format("{}._report._dmarc.{}", policy_domain, host);
    const auto answer = resolver.resolve_one({name, dns::rr_type::txt});
    if (answer.result == dns::outcome::records)
        for (const auto& text : answer.records)
            if (auth::dmarc::is_dmarc_record(text)) return {};
    return answer.result == dns::outcome::temp_failure
               ? fmt::format("{} could not be checked ({}): try again later", name, answer.reason)
               : fmt::format("no DMARC record at {}: the destination did not agree (RFC 9990 3)",
                             name);
}

// Every report of a period that has ended by `now`, for a domain that asked (rua), to the
// destinations that may receive it.
int send(const config::configuration& c, report::row_store& store, const cli_args& args) {
    std::int64_t now = now_seconds();
    if (const auto t = args.get("--timestamp")) {
        try {
            now = std::stoll(*t);
        } catch (const std::exception&) {
            fmt::print(stderr, "arcrelay reports: --timestamp: not a number \"{}\"\n", *t);
            return exit_usage;
        }
    }
    const auto out = args.get("--out");
    const bool dry_run = args.has("--dry-run");
    if (!out && !dry_run) {
        fmt::print(stderr,
                   "arcrelay reports send: mailing reports is not in this version; give "
                   "--out DIR or --dry-run\n{}",
                   usage);
        return exit_usage;
    }
    if (out && !dry_run && !std::filesystem::is_directory(*out))
        return fail(fmt::format("--out {}: not a directory", *out));
    const auto rows =
        store.rows_between(INT64_MIN, report::period_of(now, c.reports.period_hours).begin);
    if (!rows) return fail(rows.error().message);
    const auto meta = metadata_of(c);
    auto rt = runtime::build(c);
    if (!rt) return fail(rt.error().message);
    const auto psl = auth::dmarc::public_suffix_list::latest();
    auth::dmarc::organizational_domains org((*rt)->resolver(), psl,
                                            c.dmarc.org_domain == config::org_domain_method::psl
                                                ? auth::dmarc::org_domain_method::public_suffix_list
                                                : auth::dmarc::org_domain_method::tree_walk);
    std::size_t written = 0;
    for (const auto& r : report::aggregate(*rows, c.reports.period_hours)) {
        const auto name = report::report_file_name(meta, r);
        std::vector<std::string> destinations;
        for (const auto& uri : r.policy.rua) {
            if (const auto why = refusal(uri, r.policy_domain, org, (*rt)->resolver());
                !why.empty())
                fmt::print("{}: not to {}: {}\n", name, uri, why);
            else
                destinations.push_back(uri);
        }
        if (destinations.empty()) {
            fmt::print("{}: {} has no rua it may be sent to: not reported (RFC 9989 4.7)\n", name,
                       r.policy_domain);
            continue;
        }
        const auto rua = fmt::format("{}", fmt::join(destinations, ", "));
        if (dry_run) {
            fmt::print("would send {} ({} records) to {}\n", name, r.records.size(), rua);
            continue;
        }
        const auto xml = report::write_report_xml(r, meta);
        if (!xml) return fail(xml.error().message);
        const auto gz = report::gzip(*xml);
        if (!gz) return fail(gz.error().message);
        const auto path = std::filesystem::path(*out) / name;
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file << *gz;
        file.close();
        if (!file) return fail(fmt::format("{}: cannot write", path.string()));
        fmt::print("wrote {} ({} records) for {}\n", path.string(), r.records.size(), rua);
        ++written;
    }
    if (!dry_run) fmt::print("{} report files in {}\n", written, *out);
    return 0;
}

} // namespace

int run_reports(int argc, char** argv) {
    const std::string verb = argc > 2 ? argv[2] : "";
    auto args = parse_cli_args(argc, argv, 3, {"--config", "--out", "--timestamp"}, {"--dry-run"});
    const std::size_t positional = verb == "show" ? 1 : 0;
    if ((verb != "status" && verb != "show" && verb != "send") || !args ||
        args->positional.size() != positional || !args->get("--config")) {
        fmt::print(stderr, "{}{}", args ? "" : "arcrelay reports: " + args.error().message + "\n",
                   usage);
        return exit_usage;
    }
    auto c = config::load_config_file(*args->get("--config"));
    if (!c) {
        fmt::print(stderr, "arcrelay reports: {}\n", c.error().message);
        return exit_usage;
    }
    auto store = report::open_row_store(c->reports.database, c->reports.database_shown);
    if (!store) return fail(store.error().message);
    if (verb == "status") return status(*c, **store);
    if (verb == "show") return show(*c, **store, args->positional.front());
    return send(*c, **store, *args);
}

} // namespace arcrelay::relay
