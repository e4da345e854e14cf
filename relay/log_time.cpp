// relay/log_time.cpp — see log_time.hpp.
#include "relay/log_time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace arcrelay::relay {

std::string format_log_time(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(t);
    const auto day = floor<days>(ms);
    const year_month_day date{day};
    const hh_mm_ss time{ms - day};
    // RFC 3339 5.6: full-date "T" partial-time "Z"
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count(),
                       time.subseconds().count());
}

bool stderr_is_journal(const char* journal_stream, std::uint64_t stderr_device,
                       std::uint64_t stderr_inode) {
    if (journal_stream == nullptr) return false;
    const std::string_view s(journal_stream);
    const auto colon = s.find(':');
    if (colon == std::string_view::npos) return false;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    const auto parse = [](std::string_view part, std::uint64_t& out) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc{} && end == part.data() + part.size() && !part.empty();
    };
    return parse(s.substr(0, colon), device) && parse(s.substr(colon + 1), inode) &&
           device == stderr_device && inode == stderr_inode;
}

bool log_timestamps(std::optional<bool> setting, bool under_journald) {
    return setting.value_or(!under_journald);
}

std::string stamp_log_line(std::string_view line, std::string_view time,
                           config::log_format format) {
    if (format == config::log_format::json && line.starts_with('{')) {
        const bool empty = line.substr(1).starts_with('}');
        return fmt::format("{{\"ts\":\"{}\"{}{}", time, empty ? "" : ",", line.substr(1));
    }
    return fmt::format("ts={} {}", time, line);
}

} // namespace arcrelay::relay
