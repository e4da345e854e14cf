// config/load_values.cpp — shared value readers and the [limits] / [next_hop] tables
// (also used for the per-listener overrides).
#include "config/load_sections.hpp"
#include "config/syntax.hpp"

namespace arcrelay::config::detail {
namespace {

inline constexpr std::int64_t max_timeout_s = 3600;
inline constexpr std::int64_t max_time_budget_ms = 3'600'000;
inline constexpr std::int64_t min_time_budget_ms = 100;
inline constexpr std::size_t max_octets = std::size_t{1} << 40;
inline constexpr std::size_t max_count = 1'000'000;
inline constexpr std::size_t max_pool_size = 1000;
inline constexpr std::size_t max_arc_instances = 50; // RFC 8617 4.2.1: i= is 1..50

} // namespace

void read_count(table_reader& r, std::string_view key, std::size_t& out, std::size_t min,
                std::size_t max) {
    if (const auto n =
            r.integer(key, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max)))
        out = static_cast<std::size_t>(*n);
}

void read_count(table_reader& r, std::string_view key, unsigned& out, unsigned min, unsigned max) {
    if (const auto n = r.integer(key, min, max)) out = static_cast<unsigned>(*n);
}

void read_seconds(table_reader& r, std::string_view key, seconds& out) {
    if (const auto n = r.integer(key, 1, max_timeout_s)) out = seconds(*n);
}

void read_port(table_reader& r, std::string_view key, std::uint16_t& out) {
    if (const auto n = r.integer(key, 1, 65535)) out = static_cast<std::uint16_t>(*n);
}

ip_address read_ip_address(table_reader& r, std::string_view key, ip_address fallback) {
    const auto text = r.string(key);
    if (!text) return fallback;
    const auto address = parse_ip_address(*text);
    if (!address) r.fail(key, fmt::format("\"{}\" is not an IPv4 or IPv6 address", *text));
    return *address;
}

limit_settings read_limits(table_reader r, limit_settings l) {
    read_count(r, "max_message_size", l.max_message_size, 1, max_octets);
    read_count(r, "max_recipients", l.max_recipients, 1, max_count);
    read_count(r, "max_header_fields", l.max_header_fields, 1, max_count);
    read_count(r, "max_header_bytes", l.max_header_bytes, 1, max_octets);
    read_count(r, "max_arc_sets", l.max_arc_sets, 1, max_arc_instances);
    read_count(r, "max_dkim_signatures", l.max_dkim_signatures, 1, max_count);
    read_count(r, "connections_total", l.connections_total, 1, max_count);
    read_count(r, "connections_per_ip", l.connections_per_ip, 1, max_count);
    if (const auto ms = r.integer("message_time_budget_ms", min_time_budget_ms, max_time_budget_ms))
        l.message_time_budget = milliseconds(*ms);
    read_seconds(r, "command_timeout_s", l.command_timeout);
    read_seconds(r, "data_block_timeout_s", l.data_block_timeout);
    r.finish();
    return l;
}

next_hop_settings read_next_hop(table_reader r, next_hop_settings hop) {
    if (const auto uri = r.string("uri")) {
        if (const auto parsed = parse_next_hop_uri(*uri, hop); !parsed)
            r.fail("uri", parsed.error().message);
        hop.uri = *uri;
    }
    read_into(hop.starttls, r.boolean("starttls"));
    read_count(r, "pool_size", hop.pool_size, 0, max_pool_size);
    read_seconds(r, "connect_timeout_s", hop.connect_timeout);
    read_seconds(r, "greeting_timeout_s", hop.greeting_timeout);
    read_seconds(r, "mail_timeout_s", hop.mail_timeout);
    read_seconds(r, "rcpt_timeout_s", hop.rcpt_timeout);
    read_seconds(r, "data_init_timeout_s", hop.data_init_timeout);
    read_seconds(r, "data_block_timeout_s", hop.data_block_timeout);
    read_seconds(r, "data_term_timeout_s", hop.data_term_timeout);
    if (hop.starttls && hop.protocol == next_hop_protocol::maildir)
        r.fail("starttls", "a maildir next hop has no STARTTLS");
    r.finish();
    return hop;
}

} // namespace arcrelay::config::detail
