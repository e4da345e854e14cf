// relay/log_time.hpp — the time stamp in front of each log line ([log] timestamps): RFC 3339
// (section 5.6) UTC with milliseconds, on by default unless stderr is the systemd journal
// (which stamps every line itself). Pure: the clock value, the environment and stderr's
// identity are arguments; transaction_log.cpp reads them.
#pragma once

#include "config/config.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::relay {

// "2026-12-02T15:17:06.123Z" (RFC 3339 5.6 date-time, time-offset "Z", time-secfrac of 3
// digits, truncated). Times before 1970 or after 9999 are not produced by the daemon's clock.
std::string format_log_time(std::chrono::system_clock::time_point t);

// True when `journal_stream` (the JOURNAL_STREAM variable systemd sets, "DEVICE:INODE" of the
// journal stream; null when unset) names the file stderr is (stderr_device, stderr_inode):
// a child that inherited the variable but writes elsewhere is not under journald
// (systemd.exec(5) "JOURNAL_STREAM").
bool stderr_is_journal(const char* journal_stream, std::uint64_t stderr_device,
                       std::uint64_t stderr_inode);

// [log] timestamps: the setting when given, else on unless stderr is the journal.
bool log_timestamps(std::optional<bool> setting, bool under_journald);

// `line` with the time as its first field: `ts=TIME ...` (text) or `{"ts":"TIME",...}` (JSON,
// `line` being one JSON object).
std::string stamp_log_line(std::string_view line, std::string_view time, config::log_format format);

} // namespace arcrelay::relay
