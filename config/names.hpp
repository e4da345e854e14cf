// config/names.hpp — the TOML spelling of every configuration enum, both ways.
//
// One table per enum (enum_names<E>::table); name_of() and parse_name() read it, so the
// loader, describe() and the error messages always agree on the names.
#pragma once

#include "config/config.hpp"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace arcrelay::config {

template <class E>
struct enum_names;

template <>
struct enum_names<stage> {
    static constexpr std::array<std::pair<stage, std::string_view>, 6> table{{
        {stage::verify, "verify"},
        {stage::record, "record"},
        {stage::policy, "policy"},
        {stage::rewrite, "rewrite"},
        {stage::seal, "seal"},
        {stage::forward, "forward"},
    }};
};
template <>
struct enum_names<next_hop_protocol> {
    static constexpr std::array<std::pair<next_hop_protocol, std::string_view>, 3> table{{
        {next_hop_protocol::lmtp, "lmtp"},
        {next_hop_protocol::smtp, "smtp"},
        {next_hop_protocol::maildir, "maildir"},
    }};
};
template <>
struct enum_names<recipient_policy> {
    static constexpr std::array<std::pair<recipient_policy, std::string_view>, 2> table{{
        {recipient_policy::lists, "lists"},
        {recipient_policy::any, "any"},
    }};
};
template <>
struct enum_names<signing_algorithm> {
    static constexpr std::array<std::pair<signing_algorithm, std::string_view>, 2> table{{
        {signing_algorithm::rsa_sha256, "rsa-sha256"},
        {signing_algorithm::ed25519_sha256, "ed25519-sha256"},
    }};
};
template <>
struct enum_names<unsealed_policy> {
    static constexpr std::array<std::pair<unsealed_policy, std::string_view>, 2> table{{
        {unsealed_policy::none, "none"},
        {unsealed_policy::new_chain, "new-chain"},
    }};
};
template <>
struct enum_names<org_domain_method> {
    static constexpr std::array<std::pair<org_domain_method, std::string_view>, 2> table{{
        {org_domain_method::psl, "psl"},
        {org_domain_method::tree_walk, "tree-walk"},
    }};
};
template <>
struct enum_names<virtual_dmarc> {
    static constexpr std::array<std::pair<virtual_dmarc, std::string_view>, 4> table{{
        {virtual_dmarc::property, "property"},
        {virtual_dmarc::pass, "pass"},
        {virtual_dmarc::bestguesspass, "bestguesspass"},
        {virtual_dmarc::off, "off"},
    }};
};
template <>
struct enum_names<log_level> {
    static constexpr std::array<std::pair<log_level, std::string_view>, 4> table{{
        {log_level::debug, "debug"},
        {log_level::info, "info"},
        {log_level::warning, "warning"},
        {log_level::error, "error"},
    }};
};
template <>
struct enum_names<log_format> {
    static constexpr std::array<std::pair<log_format, std::string_view>, 2> table{{
        {log_format::text, "text"},
        {log_format::json, "json"},
    }};
};

// The TOML name of `value`. Every enumerator has one; a value outside the enum is a
// broken invariant (std::logic_error).
template <class E>
std::string_view name_of(E value) {
    for (const auto& [e, name] : enum_names<E>::table)
        if (e == value) return name;
    throw std::logic_error("config: enumerator without a name");
}

// The enumerator spelled `name` (exact, case-sensitive), or nullopt.
template <class E>
std::optional<E> parse_name(std::string_view name) {
    for (const auto& [e, n] : enum_names<E>::table)
        if (n == name) return e;
    return std::nullopt;
}

// "a", "b" or "c": the accepted names, for error messages.
template <class E>
std::string name_choices() {
    std::string out;
    const auto& table = enum_names<E>::table;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (i > 0) out += i + 1 == table.size() ? " or " : ", ";
        out += '"';
        out += table[i].second;
        out += '"';
    }
    return out;
}

// Stage presets (config.hpp, stage_set).
inline constexpr std::string_view preset_one_pass = "one-pass";
inline constexpr std::string_view preset_split_verify = "split-verify";
inline constexpr std::string_view preset_split_seal = "split-seal";

inline std::optional<stage_set> parse_stage_preset(std::string_view name) {
    stage_set s;
    if (name == preset_one_pass) {
        for (const auto& [st, n] : enum_names<stage>::table)
            s.insert(st);
    } else if (name == preset_split_verify) {
        s.insert(stage::verify).insert(stage::record).insert(stage::policy).insert(stage::forward);
    } else if (name == preset_split_seal) {
        s.insert(stage::seal).insert(stage::forward);
    } else {
        return std::nullopt;
    }
    return s;
}

// "verify,record,forward" in pipeline order.
inline std::string format_stages(stage_set stages) {
    std::string out;
    for (const auto& [st, n] : enum_names<stage>::table) {
        if (!stages.contains(st)) continue;
        if (!out.empty()) out += ',';
        out += n;
    }
    return out;
}

} // namespace arcrelay::config
