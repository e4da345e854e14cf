// config/database_uri.cpp — PQconninfoParse on the [reports] database URI (see the header).
#include "config/database_uri.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <memory>

namespace arcrelay::config {

namespace {

struct options_free {
    void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using options = std::unique_ptr<PQconninfoOption, options_free>;

// libpq's error text, or the options.
result<options> parse(const std::string& uri) {
    char* message = nullptr;
    options parsed(PQconninfoParse(uri.c_str(), &message));
    if (parsed) return parsed;
    std::string text = message ? message : "out of memory";
    PQfreemem(message);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return permanent_error(text);
}

// Every comma-separated port (libpq's multi-host form) is a number in 1-65535.
bool ports_ok(std::string_view ports) {
    while (!ports.empty()) {
        const auto comma = ports.find(',');
        const auto one = ports.substr(0, comma);
        unsigned v = 0;
        const auto [end, ec] = std::from_chars(one.data(), one.data() + one.size(), v);
        if (one.empty() || ec != std::errc() || end != one.data() + one.size() || v == 0 ||
            v > 65535)
            return false;
        if (comma == std::string_view::npos) break;
        ports.remove_prefix(comma + 1);
    }
    return true;
}

} // namespace

bool is_postgresql_uri(std::string_view database) {
    return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

std::string mask_password(std::string_view uri) {
    std::string out(uri);
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto start = scheme + 3;
        const auto authority_end = out.find_first_of("/?", start);
        const auto at =
            out.rfind('@', authority_end == std::string::npos ? out.size() - 1 : authority_end);
        if (at != std::string::npos && at >= start) {
            const auto colon = out.find(':', start);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
        const bool parameter = p > 0 && (out[p - 1] == '?' || out[p - 1] == '&');
        if (!parameter) continue;
        const auto value = p + 9;
        const auto end = out.find('&', value);
        out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
    return out;
}

result<std::string> check_postgresql_uri(const std::string& uri) {
    auto parsed = parse(uri);
    if (!parsed) {
        // libpq quotes the offending part, which may be the password: report the error of
        // the masked URI, or say only that the password is malformed.
        auto masked = parse(mask_password(uri));
        return permanent_error(masked ? std::string("the password is malformed (not shown)")
                                      : masked.error().message);
    }
    std::string user, host, port, dbname;
    for (const auto* o = parsed->get(); o->keyword; ++o) {
        if (!o->val) continue;
        const std::string_view key = o->keyword;
        if (key == "user") user = o->val;
        if (key == "host") host = o->val;
        if (key == "port") port = o->val;
        if (key == "dbname") dbname = o->val;
    }
    if (!port.empty() && !ports_ok(port))
        return permanent_error(fmt::format("port \"{}\" is not in 1-65535", port));
    return fmt::format("postgresql://{}{}{}{}/{}", user, user.empty() ? "" : "@", host,
                       port.empty() ? "" : ":" + port, dbname);
}

} // namespace arcrelay::config
