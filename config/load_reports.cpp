// config/load_reports.cpp — the [reports] section: DMARC aggregate reports (RFC 9990).
#include "config/load_sections.hpp"
#include "config/syntax.hpp"

#include "config/database_uri.hpp"

#include <algorithm>
#include <filesystem>

namespace arcrelay::config::detail {

namespace {

constexpr std::size_t max_report_queue = 10'000'000;
constexpr unsigned max_retention_hours = 24 * 366;
constexpr std::int64_t min_report_bytes = 4096; // one record's mail with a signature fits
constexpr std::int64_t max_report_bytes = std::int64_t{1} << 30;
constexpr unsigned max_send_attempts = 100;
constexpr std::int64_t max_retry_seconds = 7 * 86'400;

// A suppress entry: a domain ("example.com": every address at it) or an address.
bool is_suppress_entry(std::string_view s) {
    return !s.empty() && s.front() != '@' && s.back() != '@' &&
           std::count(s.begin(), s.end(), '@') <= 1 &&
           std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= 32 || c == 127; });
}

void read_sending(table_reader& r, reports_settings& s, const arc_settings& arc) {
    read_into(s.send, r.boolean("send"));
    if (const auto v = r.integer("send_interval_s", 10, 86'400)) s.send_interval = seconds(*v);
    if (const auto uri = r.string("next_hop")) {
        if (const auto parsed = parse_next_hop_uri(*uri, s.next_hop); !parsed)
            r.fail("next_hop", parsed.error().message);
        if (s.next_hop.protocol != next_hop_protocol::smtp)
            r.fail("next_hop", "must be smtp:HOST:PORT (report mail goes to an SMTP relay)");
        s.next_hop.uri = *uri;
    }
    if (const auto v = r.integer("max_report_bytes", min_report_bytes, max_report_bytes))
        s.max_report_bytes = static_cast<std::uint64_t>(*v);
    read_into(s.dkim_sign, r.boolean("dkim_sign"));
    read_into(s.suppress, r.strings("suppress"));
    for (auto& entry : s.suppress) {
        if (!is_suppress_entry(entry))
            r.fail("suppress", fmt::format("\"{}\" is neither a domain nor an address", entry));
        std::transform(entry.begin(), entry.end(), entry.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    if (const auto v = r.integer("retry_first_s", 1, max_retry_seconds))
        s.retry_first = seconds(*v);
    if (const auto v = r.integer("retry_max_s", 1, max_retry_seconds)) s.retry_max = seconds(*v);
    if (s.retry_max < s.retry_first) r.fail("retry_max_s", "must be at least retry_first_s");
    read_count(r, "max_attempts", s.max_attempts, 1, max_send_attempts);
    // RFC 9990 5.2: report mail must pass DMARC itself; an unsigned report from a domain
    // whose record asks for DKIM would be rejected by the very receivers it is for.
    const auto domain = s.email.substr(s.email.rfind('@') + 1);
    if (s.send && s.dkim_sign && std::none_of(arc.keys.begin(), arc.keys.end(), [&](const auto& k) {
            return key_covers(k, domain);
        }))
        r.fail("dkim_sign", fmt::format("no [[arc.key]] has domain {} or a parent of it; add one "
                                        "or set dkim_sign = false",
                                        domain));
}

} // namespace

reports_settings read_reports(table_reader r, const server_settings& server,
                              const arc_settings& arc) {
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
    read_sending(r, s, arc);
    r.finish();
    return s;
}

} // namespace arcrelay::config::detail
