// relay/trace.cpp — see trace.hpp.
#include "relay/trace.hpp"

#include <fmt/format.h>

#include <array>
#include <ctime>

namespace arcrelay::relay {
namespace {

// RFC 5321 4.4 Protocol / RFC 3848 2 and RFC 6531 3.7.3 "with" values.
std::string_view protocol_of(const smtp::envelope& env) {
    if (env.smtputf8) return env.tls ? "UTF8SMTPS" : "UTF8SMTP";
    if (!env.esmtp) return "SMTP";
    return env.tls ? "ESMTPS" : "ESMTP";
}

// HELO arguments are client-controlled: keep them to printable ASCII without parentheses
// so they cannot open a comment or fold the field.
std::string sanitise(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u > 32 && u < 127 && c != '(' && c != ')' && c != ';') ? c : '_';
    }
    return out.empty() ? "unknown" : out;
}

} // namespace

std::string format_rfc5322_date(std::uint64_t epoch_seconds) {
    static constexpr std::array<std::string_view, 7> days{"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> months{
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days.at(tm.tm_wday), tm.tm_mday,
                       months.at(tm.tm_mon), tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

mail::header_field received_field(const smtp::envelope& env, std::string_view hostname,
                                  std::string_view id, std::uint64_t now) {
    const auto client = env.client_ip.find(':') != std::string::npos
                            ? "IPv6:" + env.client_ip // RFC 5321 4.1.3
                            : env.client_ip;
    const auto for_clause =
        env.rcpts.size() == 1 ? fmt::format("\r\n\tfor <{}>", sanitise(env.rcpts.front())) : "";
    return mail::header_field::make(
        "Received",
        fmt::format("from {} ([{}])\r\n\tby {} with {} id {}{};\r\n\t{}", sanitise(env.helo),
                    client, hostname, protocol_of(env), id, for_clause, format_rfc5322_date(now)));
}

} // namespace arcrelay::relay
