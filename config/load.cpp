// config/load.cpp — parse_config() and load_config_file(): the root table and the small
// sections ([server], [dns], [dmarc], [policy], [log], [metrics]).
#include "config/load.hpp"

#include "base/utf8.hpp"

#include "config/load_sections.hpp"
#include "config/syntax.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace arcrelay::config {
namespace {

using detail::read_choice;
using detail::read_count;
using detail::read_into;
using detail::table_reader;

inline constexpr unsigned max_threads = 1024;
inline constexpr std::int64_t max_dns_timeout_ms = 60'000;
inline constexpr unsigned max_dns_retries = 10;
inline constexpr std::size_t max_dns_cache = 10'000'000;
inline constexpr std::size_t max_dns_queries = 10'000;

constexpr std::array<std::string_view, 12> sections{
    "server", "listener", "next_hop", "limits", "list",    "arc",
    "dns",    "dmarc",    "policy",   "log",    "metrics", "reports",
};

std::string system_hostname() {
    std::array<char, HOST_NAME_MAX + 1> buffer{};
    if (gethostname(buffer.data(), buffer.size() - 1) != 0) return {};
    return buffer.data();
}

// A missing table reads like an empty one, so defaults apply and finish() passes.
const detail::toml_value& empty_table() {
    static const detail::toml_value empty(detail::toml_value::table_type{});
    return empty;
}

table_reader section(table_reader& root, std::string_view name, const std::string& file) {
    if (auto t = root.table(name)) return *t;
    return table_reader(empty_table(), std::string(name), file);
}

server_settings read_server(table_reader r) {
    server_settings s;
    const auto hostname = r.string("hostname");
    s.hostname = ascii_lower(hostname ? *hostname : system_hostname());
    if (!is_domain_name(s.hostname, false))
        r.fail("hostname",
               fmt::format("\"{}\" is not a host name{}", s.hostname,
                           hostname ? "" : " (from gethostname(); set server.hostname)"));
    s.authserv_id = s.hostname;
    if (const auto id = r.string("authserv_id")) {
        if (!is_token(*id)) r.fail("authserv_id", "must be an authserv-id (RFC 8601 2.5)");
        s.authserv_id = *id;
    }
    read_count(r, "threads", s.threads, 0, max_threads);
    read_count(r, "io_threads", s.io_threads, 0, max_threads);
    if (const auto dir = r.string("state_dir")) {
        if (dir->empty()) r.fail("state_dir", "must be a directory");
        s.state_dir = *dir;
    }
    r.finish();
    return s;
}

dns_settings read_dns(table_reader r) {
    dns_settings d;
    if (const auto servers = r.strings("servers")) {
        for (std::size_t i = 0; i < servers->size(); ++i) {
            const auto server = parse_dns_server((*servers)[i]);
            if (!server) r.fail_at("servers", i, "must be IP, IP:PORT or [IPv6]:PORT");
            d.servers.push_back(*server);
        }
    }
    if (const auto ms = r.integer("timeout_ms", 1, max_dns_timeout_ms))
        d.timeout = milliseconds(*ms);
    read_count(r, "retries", d.retries, 0, max_dns_retries);
    read_count(r, "cache_size", d.cache_size, 0, max_dns_cache);
    if (const auto zone = r.string("zone_file")) {
        if (zone->empty()) r.fail("zone_file", "must be a file path (leave it out for DNS)");
        d.zone_file = *zone;
    }
    read_count(r, "max_queries_per_message", d.max_queries_per_message, 1, max_dns_queries);
    r.finish();
    return d;
}

dmarc_settings read_dmarc(table_reader r) {
    dmarc_settings d;
    read_into(d.org_domain, read_choice<org_domain_method>(r, "org_domain"));
    read_into(d.virtual_policy, read_choice<virtual_dmarc>(r, "virtual"));
    r.finish();
    return d;
}

policy_settings read_policy(table_reader r) {
    policy_settings p;
    read_into(p.reject_dmarc, r.boolean("reject_dmarc"));
    read_into(p.reject_spf_fail, r.boolean("reject_spf_fail"));
    read_into(p.reject_dkim_fail, r.boolean("reject_dkim_fail"));
    read_into(p.reject_iprev_fail, r.boolean("reject_iprev_fail"));
    read_into(p.reject_arc_fail, r.boolean("reject_arc_fail"));
    read_into(p.temperror_defer, r.boolean("temperror_defer"));
    r.finish();
    return p;
}

log_settings read_log(table_reader r) {
    log_settings l;
    read_into(l.level, read_choice<log_level>(r, "level"));
    read_into(l.format, read_choice<log_format>(r, "format"));
    l.timestamps = r.boolean("timestamps");
    r.finish();
    return l;
}

metrics_settings read_metrics(table_reader r) {
    metrics_settings m;
    m.address = detail::read_ip_address(r, "address", m.address);
    detail::read_port(r, "port", m.port);
    r.finish();
    return m;
}

const detail::toml_value* member(const detail::toml_value* table, const std::string& key) {
    if (table == nullptr || !table->is_table()) return nullptr;
    const auto& t = table->as_table();
    const auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
}

// configuration::file_key_lines: where each key naming a file is (read_root validated the
// types already).
void record_file_lines(const detail::toml_value& document, configuration& c) {
    const auto note = [&c](std::string key, const detail::toml_value* v) {
        if (v != nullptr) c.file_key_lines[std::move(key)] = v->location().line();
    };
    const auto each = [](const detail::toml_value* array, const auto& f) {
        if (array == nullptr || !array->is_array()) return;
        for (std::size_t i = 0; i < array->as_array().size(); ++i)
            f(i, array->as_array()[i]);
    };
    const auto* arc = member(&document, "arc");
    each(member(arc, "key"), [&](std::size_t i, const auto& key) {
        note(fmt::format("arc.key[{}].private_key", i), member(&key, "private_key"));
    });
    each(member(arc, "handover_secrets"), [&](std::size_t i, const auto& file) {
        note(fmt::format("arc.handover_secrets[{}]", i), &file);
    });
    each(member(&document, "listener"), [&](std::size_t i, const auto& l) {
        for (const char* key : {"tls_certificate", "tls_private_key"})
            note(fmt::format("listener[{}].{}", i, key), member(&l, key));
    });
    note("dns.zone_file", member(member(&document, "dns"), "zone_file"));
}

configuration read_root(const detail::toml_value& document, const std::string& file) {
    table_reader root(document, "", file);
    for (const auto name : sections)
        root.find(name);
    root.finish(); // a misspelt section is reported before anything it would have set

    configuration c;
    c.source = file;
    c.server = read_server(section(root, "server", file));
    c.limits = detail::read_limits(section(root, "limits", file), c.limits);
    c.next_hop = detail::read_next_hop(section(root, "next_hop", file), c.next_hop);
    c.arc = detail::read_arc(section(root, "arc", file));
    c.lists = detail::read_lists(root.tables("list"), c.arc);
    c.listeners = detail::read_listeners(root.tables("listener"), c);
    c.dns = read_dns(section(root, "dns", file));
    c.dmarc = read_dmarc(section(root, "dmarc", file));
    c.policy = read_policy(section(root, "policy", file));
    c.log = read_log(section(root, "log", file));
    if (auto t = root.table("metrics")) c.metrics = read_metrics(*t);
    c.reports = detail::read_reports(section(root, "reports", file), c.server, c.arc);
    record_file_lines(document, c);
    return c;
}

// toml11's what() is "[error] toml::func: message" plus a source excerpt; keep the message.
std::string syntax_message(const std::string& what) {
    std::string first = what.substr(0, what.find('\n'));
    for (const std::string_view prefix : {"[error] ", "toml::"}) {
        if (first.starts_with(prefix)) first.erase(0, prefix.size());
    }
    if (const auto colon = first.find(": "); colon != std::string::npos && first.find(' ') > colon)
        first.erase(0, colon + 2); // the parser function's name
    return first;
}

// toml11 parses arrays and inline tables recursively: refuse deep nesting before it
// does, or a hostile file overflows the stack. Returns the line of the first excess.
constexpr std::size_t max_nesting = 64;

std::optional<std::size_t> excessive_nesting(std::string_view text) {
    std::size_t depth = 0, line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (c == '#') { // comment to the end of the line
            while (i + 1 < text.size() && text[i + 1] != '\n')
                ++i;
        } else if (c == '"' || c == '\'') { // basic/literal strings, single or triple quoted
            const bool triple = text.substr(i, 3) == std::string(3, c);
            const std::string close = triple ? std::string(3, c) : std::string(1, c);
            std::size_t j = i + close.size();
            while (j < text.size() && text.substr(j, close.size()) != close) {
                if (c == '"' && text[j] == '\\')
                    ++j; // escaped character
                else if (text[j] == '\n')
                    ++line;
                ++j;
            }
            i = j + close.size() - 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_nesting) return line;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

} // namespace

result<configuration> parse_config(std::string_view toml_text, std::string_view file_name) {
    const std::string file(file_name);
    // TOML 1.0: a document is UTF-8. toml11 3.7 reads past its buffer on some malformed
    // sequences (found by fuzz_config, docs/ROBUSTNESS.md F4): refuse them before it sees them.
    if (auto at = first_invalid_utf8(toml_text)) {
        const auto line =
            static_cast<std::size_t>(std::count(toml_text.begin(), toml_text.begin() + *at, '\n')) +
            1;
        return permanent_error(fmt::format("{}:{}: encoding: not valid UTF-8 (byte {} of the file)",
                                           file, line, *at + 1),
                               line);
    }
    if (auto line = excessive_nesting(toml_text))
        return permanent_error(fmt::format("{}:{}: nesting: arrays or inline tables nested "
                                           "deeper than {}",
                                           file, *line, max_nesting),
                               *line);
    try {
        std::istringstream in{std::string(toml_text)};
        const auto document = toml::parse<toml::discard_comments, std::map, std::vector>(in, file);
        return read_root(document, file);
    } catch (const detail::load_failure& e) {
        return permanent_error(e.what(), e.line);
    } catch (const toml::syntax_error& e) {
        const std::size_t line = e.location().line();
        return permanent_error(
            fmt::format("{}:{}: syntax error: {}", file, line, syntax_message(e.what())), line);
    }
}

result<configuration> load_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return permanent_error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return permanent_error(fmt::format("{}: read error", path));
    return parse_config(text.str(), path);
}

} // namespace arcrelay::config
