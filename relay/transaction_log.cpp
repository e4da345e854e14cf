// relay/transaction_log.cpp — see transaction_log.hpp. JSON through nlohmann-json (its
// escaping), text as logfmt-style key=value pairs with quoted values where needed.
#include "relay/transaction_log.hpp"

#include "config/names.hpp"
#include "relay/log_time.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace arcrelay::relay {
namespace {

std::string reply_text(const smtp::reply& r) {
    return fmt::format("{}", r);
}

nlohmann::json to_json(const transaction_record& r) {
    nlohmann::json j{
        {"id", r.id},
        {"listener", r.listener},
        {"client", r.client_ip},
        {"helo", r.helo},
        {"from", r.mail_from},
        {"to", r.rcpts},
        {"size", r.size},
        {"reply", reply_text(r.final_reply)},
        {"outcome", outcome_of(r.final_reply)},
        {"ms", r.milliseconds},
    };
    if (r.report) {
        j["iprev"] = r.report->iprev;
        j["spf"] = r.report->spf;
        j["dkim"] = r.report->dkim;
        j["dmarc"] = r.report->dmarc;
        j["arc"] = r.report->arc;
        if (!r.report->arc_reason.empty()) j["arc_reason"] = r.report->arc_reason;
    }
    if (!r.list.empty()) j["list"] = r.list;
    j["arc_sets_added"] = r.arc_sets_added;
    if (!r.notes.empty()) j["notes"] = r.notes;
    if (r.next_hop_reply) j["next_hop"] = reply_text(*r.next_hop_reply);
    return j;
}

// logfmt value: bare when it has no space, quote or '=', else a JSON string.
std::string text_value(const nlohmann::json& v) {
    if (!v.is_string()) {
        if (v.is_array()) {
            std::string joined;
            for (const auto& e : v)
                joined +=
                    (joined.empty() ? "" : ",") + (e.is_string() ? e.get<std::string>() : e.dump());
            return text_value(joined);
        }
        return v.dump();
    }
    const auto s = v.get<std::string>();
    if (!s.empty() && s.find_first_of(" \"=\t\r\n\\") == std::string::npos) return s;
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string_view outcome_of(const smtp::reply& r) {
    if (r.positive()) return "delivered";
    return r.transient() ? "deferred" : "rejected";
}

std::string format_transaction(const transaction_record& r, config::log_format format) {
    const auto j = to_json(r);
    if (format == config::log_format::json) return dump(j);
    // Text: the same keys in a fixed, readable order.
    std::string out = "transaction";
    for (const char* key :
         {"id",    "listener", "client", "helo", "from",       "to",   "size",           "iprev",
          "spf",   "dkim",     "dmarc",  "arc",  "arc_reason", "list", "arc_sets_added", "next_hop",
          "reply", "outcome",  "ms",     "notes"}) {
        if (!j.contains(key)) continue;
        out += fmt::format(" {}={}", key, text_value(j.at(key)));
    }
    return out;
}

std::string format_event(config::log_level level, std::string_view message,
                         config::log_format format) {
    const auto name = config::name_of(level);
    if (format == config::log_format::json)
        return dump(nlohmann::json{{"level", name}, {"msg", message}});
    return fmt::format("level={} msg={}", name, text_value(std::string(message)));
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
    const std::string stamped =
        log_timestamps(log.timestamps, under_journald)
            ? stamp_log_line(line, format_log_time(std::chrono::system_clock::now()), log.format)
            : line;
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    std::fwrite(stamped.data(), 1, stamped.size(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

} // namespace arcrelay::relay
