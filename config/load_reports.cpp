// config/load_reports.cpp — the [reports] section: DMARC aggregate reports (RFC 9990).
#include "config/load_sections.hpp"

#include "config/database_uri.hpp"

#include <filesystem>

namespace arcrelay::config::detail {

namespace {

constexpr std::size_t max_report_queue = 10'000'000;
constexpr unsigned max_retention_hours = 24 * 366;

} // namespace

reports_settings read_reports(table_reader r, const server_settings& server) {
    reports_settings s;
    read_into(s.enabled, r.boolean("enabled"));
    read_into(s.database, r.string("database"));
    if (s.database.empty())
        s.database = (std::filesystem::path(server.state_dir) / "reports.sqlite").string();
    s.database_shown = s.database;
    if (is_postgresql_uri(s.database)) {
        // Checked as libpq will read it; the password never reaches a message.
        auto shown = check_postgresql_uri(s.database);
        if (shown)
            s.database_shown = *shown;
        else
            r.fail("database", "not a PostgreSQL URI libpq accepts: " + shown.error().message);
    }
    read_count(r, "queue_size", s.queue_size, 1, max_report_queue);
    read_count(r, "period_hours", s.period_hours, 1, hours_per_day);
    // RFC 9990 2.1: periods shorter than a day divide it, so every period starts on an
    // hour that a day boundary (00:00 UTC) also starts on.
    if (hours_per_day % s.period_hours != 0)
        r.fail("period_hours", "must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)");
    read_count(r, "retention_hours", s.retention_hours, 1, max_retention_hours);
    if (s.retention_hours < s.period_hours)
        r.fail("retention_hours", "must be at least period_hours");
    read_into(s.org_name, r.string("org_name"));
    if (s.org_name.empty()) s.org_name = server.hostname;
    read_into(s.email, r.string("email"));
    if (s.email.empty()) s.email = "postmaster@" + server.hostname;
    if (s.email.find('@') == std::string::npos) r.fail("email", "must be an email address");
    r.finish();
    return s;
}

} // namespace arcrelay::config::detail
