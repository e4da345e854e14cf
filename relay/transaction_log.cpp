// relay/transaction_log.cpp — see transaction_log.hpp. JSON through nlohmann-json (its
// escaping), text as logfmt-style key=value pairs with values quoted as JSON strings where
// needed.
#include "relay/transaction_log.hpp"

#include "config/names.hpp"
#include "relay/log_time.hpp"
#include "relay/log_writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <type_traits>

namespace arcrelay::relay {
namespace {

std::string reply_text(const smtp::reply& r) {
    return fmt::format("{}", r);
}

// Every field of a transaction line, in the text line's order: put(key, value) with a
// std::string_view, a list of strings or a std::uint64_t. Both formats are written from it.
template <typename Put>
void visit_fields(const transaction_record& r, Put&& put) {
    put("id", std::string_view(r.id));
    put("listener", std::string_view(r.listener));
    put("client", std::string_view(r.client_ip));
    put("helo", std::string_view(r.helo));
    put("from", std::string_view(r.mail_from));
    put("to", r.rcpts);
    put("size", std::uint64_t{r.size});
    if (r.report) {
        put("iprev", std::string_view(r.report->iprev));
        put("spf", std::string_view(r.report->spf));
        put("dkim", r.report->dkim);
        put("dmarc", std::string_view(r.report->dmarc));
        put("arc", std::string_view(r.report->arc));
        if (!r.report->arc_reason.empty())
            put("arc_reason", std::string_view(r.report->arc_reason));
    }
    if (!r.list.empty()) put("list", std::string_view(r.list));
    put("arc_sets_added", std::uint64_t{r.arc_sets_added});
    if (r.next_hop_reply) put("next_hop", std::string_view(reply_text(*r.next_hop_reply)));
    put("reply", std::string_view(reply_text(r.final_reply)));
    put("outcome", outcome_of(r.final_reply));
    put("ms", r.milliseconds);
    if (r.next_hop_milliseconds) put("next_hop_ms", *r.next_hop_milliseconds);
    if (!r.notes.empty()) put("notes", std::string_view(r.notes));
}

nlohmann::json to_json(const transaction_record& r) {
    nlohmann::json j = nlohmann::json::object();
    visit_fields(r, [&j](std::string_view key, const auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string_view>)
            j[std::string(key)] = std::string(value);
        else
            j[std::string(key)] = value;
    });
    return j;
}

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// logfmt value: bare when it has no space, quote or '=', else a JSON string.
void append_text_value(std::string& out, std::string_view s) {
    if (!s.empty() && s.find_first_of(" \"=\t\r\n\\") == std::string_view::npos)
        out += s;
    else
        out += dump(nlohmann::json(s));
}

// A list is one logfmt value: its items joined by ','.
void append_text_value(std::string& out, const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& e : items)
        (joined += joined.empty() ? "" : ",") += e;
    append_text_value(out, joined);
}

void append_text_value(std::string& out, std::uint64_t n) {
    fmt::format_to(std::back_inserter(out), "{}", n);
}

// The text line: the fields in a fixed, readable order, written straight from the record
// (it is formatted for every transaction, on the I/O thread).
std::string text_line(const transaction_record& r) {
    std::string out = "transaction";
    out.reserve(512);
    visit_fields(r, [&out](std::string_view key, const auto& value) {
        ((out += ' ') += key) += '=';
        append_text_value(out, value);
    });
    return out;
}

} // namespace

std::string_view outcome_of(const smtp::reply& r) {
    if (r.positive()) return "delivered";
    return r.transient() ? "deferred" : "rejected";
}

std::string format_transaction(const transaction_record& r, config::log_format format) {
    return format == config::log_format::json ? dump(to_json(r)) : text_line(r);
}

std::string format_event(config::log_level level, std::string_view message,
                         config::log_format format) {
    const auto name = config::name_of(level);
    if (format == config::log_format::json)
        return dump(nlohmann::json{{"level", name}, {"msg", message}});
    std::string out = fmt::format("level={} msg=", name);
    append_text_value(out, message);
    return out;
}

namespace {

bool stderr_under_journald() {
    struct stat st {};
    if (::fstat(STDERR_FILENO, &st) != 0) return false;
    return stderr_is_journal(std::getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino);
}

} // namespace

void write_log_line(const config::log_settings& log, const std::string& line) {
    static const bool under_journald = stderr_under_journald(); // stderr stays where it is
    // Stamped now, when it happened, however long the line then waits to be written.
    const std::string stamped =
        log_timestamps(log.timestamps, under_journald)
            ? stamp_log_line(line, format_log_time(std::chrono::system_clock::now()), log.format)
            : line;
    if (auto* writer = installed_log_writer()) {
        writer->submit(stamped);
        return;
    }
    static std::mutex mutex; // whole lines from any thread, each in one write(2)
    const std::lock_guard lock(mutex);
    write_all(STDERR_FILENO, stamped + '\n');
}

} // namespace arcrelay::relay
