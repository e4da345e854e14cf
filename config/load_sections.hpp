// config/load_sections.hpp — the loader's per-section readers (internal to config/).
//
// Each reads one TOML table into its settings, validating as it goes, and throws
// detail::load_failure (file, line, key) on the first problem.
#pragma once

#include "config/config.hpp"
#include "config/names.hpp"
#include "config/toml_reader.hpp"

#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <vector>

namespace arcrelay::config::detail {

// An enum spelled as in names.hpp.
template <class E>
std::optional<E> read_choice(table_reader& r, std::string_view key) {
    const auto s = r.string(key);
    if (!s) return std::nullopt;
    const auto e = parse_name<E>(*s);
    if (!e) r.fail(key, fmt::format("must be {}", name_choices<E>()));
    return e;
}

// Sets `out` from `key` when present.
template <class T>
void read_into(T& out, const std::optional<T>& value) {
    if (value) out = *value;
}
void read_count(table_reader& r, std::string_view key, std::size_t& out, std::size_t min,
                std::size_t max);
void read_count(table_reader& r, std::string_view key, unsigned& out, unsigned min, unsigned max);
void read_seconds(table_reader& r, std::string_view key, seconds& out);
void read_port(table_reader& r, std::string_view key, std::uint16_t& out);
ip_address read_ip_address(table_reader& r, std::string_view key, ip_address fallback);

limit_settings read_limits(table_reader r, limit_settings base);
next_hop_settings read_next_hop(table_reader r, next_hop_settings base);
arc_settings read_arc(table_reader r);
std::vector<mailing_list> read_lists(std::vector<table_reader> tables, const arc_settings& arc);
// True when `key` may sign for `domain`: d= is the domain or a parent of it (DMARC relaxed
// alignment; [[list]] dkim_sign and [reports] dkim_sign).
bool key_covers(const signing_key& key, std::string_view domain);
// [reports]: defaults under the server's state_dir and hostname; dkim_sign needs an
// [[arc.key]] of `arc` for the reporting address's domain.
reports_settings read_reports(table_reader r, const server_settings& server,
                              const arc_settings& arc);
// Needs the finished limits, next_hop, arc and lists of `config`.
std::vector<listener> read_listeners(std::vector<table_reader> tables, const configuration& config);

} // namespace arcrelay::config::detail
