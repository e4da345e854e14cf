// relay/cli_reports.cpp — see cli_reports.hpp. Reads the SQLite store of [reports] database,
// aggregates with report/aggregate, writes with report/xml_report.
#include "relay/cli_reports.hpp"

#include "config/load.hpp"
#include "relay/cli_args.hpp"
#include "relay/cli_usage.hpp"
#include "relay/report_sender.hpp"
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

#include <unistd.h>

namespace arcrelay::relay {

namespace {

// The exit statuses of cli_usage.cpp's table.
constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_some_deferred = 3;
constexpr int exit_some_failed = 4;
constexpr int exit_busy = 5;

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

std::string owner_name(const config::configuration& c) {
    return fmt::format("{}:{}", c.server.hostname, ::getpid());
}

// Mails every due report (report_sender); one line per outcome on standard output.
int mail_reports(const config::configuration& c, report::row_store& store, std::int64_t now) {
    auto rt = runtime::build(c);
    if (!rt) return fail(rt.error().message);
    const auto counts = send_reports(
        **rt, store, now, owner_name(c),
        [](config::log_level, const std::string& line) { fmt::print("{}\n", line); }, nullptr);
    if (!counts) return fail(counts.error().message);
    if (counts->lease_held_elsewhere) return exit_busy;
    fmt::print("{} sent, {} deferred, {} failed\n", counts->sent, counts->deferred, counts->failed);
    if (counts->failed > 0) return exit_some_failed;
    if (counts->deferred > 0) return exit_some_deferred;
    return 0;
}

// Every report of a period that has ended by `now`, for a domain that asked (rua), to the
// destinations that may receive it: mailed, written into --out, or listed (--dry-run).
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
    if (!out && !dry_run) return mail_reports(c, store, now);
    if (out && !dry_run && !std::filesystem::is_directory(*out))
        return fail(fmt::format("--out {}: not a directory", *out));
    auto rt = runtime::build(c);
    if (!rt) return fail(rt.error().message);
    const auto plan = plan_reports(**rt, store, now);
    if (!plan) return fail(plan.error().message);
    const auto meta = report_metadata_of(c);
    std::size_t written = 0;
    for (const auto& p : *plan) {
        const auto& r = p.report;
        const auto name = report::report_file_name(meta, r);
        for (const auto& why : p.refusals)
            fmt::print("{}: {}\n", name, why);
        if (p.destinations.empty()) {
            fmt::print("{}: {} has no rua it may be sent to: not reported (RFC 9989 4.7)\n", name,
                       r.policy_domain);
            continue;
        }
        std::vector<std::string> uris;
        for (const auto& d : p.destinations)
            uris.push_back(d.uri);
        const auto rua = fmt::format("{}", fmt::join(uris, ", "));
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
        args->positional.size() != positional || !args->get("--config"))
        return usage_error("reports", args ? "give status, show DOMAIN or send, and --config FILE"
                                           : args.error().message);
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
