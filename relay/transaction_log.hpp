// relay/transaction_log.hpp — one structured log line per transaction (DESIGN.md Decisions:
// id, client, envelope, every verdict, the next hop's reply, milliseconds) in text
// ("key=value ...") or JSON ([log] format), and the daemon's other log lines. Lines go to
// stderr, whole lines at a time from any thread.
#pragma once

#include "config/config.hpp"
#include "relay/message_checks.hpp"
#include "smtp/reply.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::relay {

struct transaction_record {
    std::string id;
    std::string listener;
    std::string client_ip;
    std::string helo;
    std::string mail_from;
    std::vector<std::string> rcpts;
    std::size_t size = 0; // octets received
    std::optional<check_report> report;
    std::string list; // the list a post was rewritten for
    std::size_t arc_sets_added = 0;
    std::string notes;
    std::optional<smtp::reply> next_hop_reply; // mapped reply of the next hop, when forwarded
    smtp::reply final_reply;                   // what the client got
    std::uint64_t milliseconds = 0;            // end of DATA to the final reply
    std::optional<std::uint64_t> next_hop_milliseconds; // the part of it at the next hop
};

// The outcome name used in logs and metrics: "delivered", "rejected" (5xx), "deferred" (4xx).
std::string_view outcome_of(const smtp::reply& r);

std::string format_transaction(const transaction_record& r, config::log_format format);

// "level=info msg=..." or {"level":"info","msg":...}.
std::string format_event(config::log_level level, std::string_view message,
                         config::log_format format);

// Writes `line` plus a newline to stderr, whole, after an RFC 3339 time stamp of now when
// `log` wants one ([log] timestamps, relay/log_time.hpp): through the installed log_writer
// (relay/log_writer.hpp: the daemon's, so no thread that logs waits on stderr), else at once.
void write_log_line(const config::log_settings& log, const std::string& line);

} // namespace arcrelay::relay
