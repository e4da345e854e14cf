// config/load_listeners.cpp — [[listener]]: address, stages, client restrictions, TLS and
// the per-listener [listener.limits] / [listener.next_hop] overrides.
//
// DESIGN.md Pipeline and Mailman integration: a listener that seals without verifying
// trusts the Authentication-Results it receives (split layout), and one that accepts any
// recipient is a relay: both must be restricted to allowed_clients.
#include "config/load_sections.hpp"

#include <algorithm>
#include <cctype>

namespace arcrelay::config::detail {
namespace {

bool is_listener_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
    });
}

stage_set read_stages(table_reader& r) {
    const auto* v = r.find("stages");
    if (!v)
        r.fail("stages",
               fmt::format("required (\"{}\", \"{}\", \"{}\" or a list of {})", preset_one_pass,
                           preset_split_verify, preset_split_seal, name_choices<stage>()));
    if (v->is_string()) {
        const auto preset = parse_stage_preset(v->as_string().str);
        if (!preset)
            r.fail("stages", fmt::format("unknown preset \"{}\" (\"{}\", \"{}\" or \"{}\")",
                                         v->as_string().str, preset_one_pass, preset_split_verify,
                                         preset_split_seal));
        return *preset;
    }
    const auto names = r.strings("stages");
    if (names->empty()) r.fail("stages", "must name at least one stage");
    stage_set stages;
    for (std::size_t i = 0; i < names->size(); ++i) {
        const auto s = parse_name<stage>((*names)[i]);
        if (!s)
            r.fail_at("stages", i,
                      fmt::format("unknown stage \"{}\" (stages are {})", (*names)[i],
                                  name_choices<stage>()));
        if (stages.contains(*s)) r.fail_at("stages", i, "stage named twice");
        stages.insert(*s);
    }
    return stages;
}

void check_stages(table_reader& r, stage_set stages, const configuration& config) {
    if (!stages.contains(stage::forward)) r.fail("stages", "must include forward");
    for (const stage s : {stage::record, stage::policy})
        if (stages.contains(s) && !stages.contains(stage::verify))
            r.fail("stages", fmt::format("{} needs verify", name_of(s)));
    if (stages.contains(stage::seal) && config.arc.keys.empty())
        r.fail("stages", "seal needs at least one [[arc.key]]");
}

std::vector<ip_network> read_clients(table_reader& r) {
    std::vector<ip_network> nets;
    const auto texts = r.strings("allowed_clients");
    if (!texts) return nets;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const auto net = parse_network((*texts)[i]);
        if (!net)
            r.fail_at("allowed_clients", i,
                      fmt::format("\"{}\" is not a CIDR network", (*texts)[i]));
        nets.push_back(*net);
    }
    return nets;
}

// Two binds clash on one port when the addresses are equal or one is the same family's
// wildcard (0.0.0.0 or ::).
bool binds_clash(const ip_address& a, const ip_address& b) {
    const ip_address any_a{.v6 = a.v6, .bytes = {}};
    return a == b || (a.v6 == b.v6 && (a == any_a || b == any_a));
}

bool restricted(const std::vector<ip_network>& nets) {
    return !nets.empty() &&
           std::none_of(nets.begin(), nets.end(), [](const auto& n) { return n.prefix == 0; });
}

std::optional<tls_files> read_tls(table_reader& r) {
    const auto cert = r.string("tls_certificate");
    const auto key = r.string("tls_private_key");
    if (!cert && !key) return std::nullopt;
    if (!cert || cert->empty()) r.fail("tls_certificate", "needed with tls_private_key");
    if (!key || key->empty()) r.fail("tls_private_key", "needed with tls_certificate");
    return tls_files{*cert, *key};
}

listener read_listener(table_reader r, const configuration& config) {
    listener l;
    l.name = r.required_string("name");
    if (!is_listener_name(l.name)) r.fail("name", "only letters, digits, '-', '_' and '.'");
    l.address = read_ip_address(r, "address", l.address);
    read_port(r, "port", l.port);
    l.stages = read_stages(r);
    check_stages(r, l.stages, config);
    l.allowed_clients = read_clients(r);

    const bool trusts_input = l.stages.contains(stage::seal) && !l.stages.contains(stage::verify);
    if (trusts_input && !restricted(l.allowed_clients))
        r.fail("allowed_clients", "a seal listener without verify trusts the "
                                  "Authentication-Results it receives: list its clients "
                                  "(e.g. [\"127.0.0.1/32\"]), no /0");
    l.recipients = trusts_input ? recipient_policy::any : recipient_policy::lists;
    read_into(l.recipients, read_choice<recipient_policy>(r, "recipients"));
    if (l.recipients == recipient_policy::any && !restricted(l.allowed_clients))
        r.fail("recipients", "\"any\" makes an open relay unless allowed_clients restricts "
                             "the clients (no /0)");
    if (l.recipients == recipient_policy::lists && config.lists.empty())
        r.fail("recipients", "\"lists\" but no [[list]] is configured");

    l.tls = read_tls(r);
    l.limits = config.limits;
    if (auto t = r.table("limits")) l.limits = read_limits(*t, config.limits);
    l.next_hop = config.next_hop;
    if (auto t = r.table("next_hop")) l.next_hop = read_next_hop(*t, config.next_hop);
    r.finish();
    return l;
}

} // namespace

std::vector<listener> read_listeners(std::vector<table_reader> tables,
                                     const configuration& config) {
    if (tables.empty()) fail(config.source, 0, "listener", "at least one [[listener]] is required");
    std::vector<listener> listeners;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        listener l = read_listener(tables[i], config);
        for (std::size_t j = 0; j < listeners.size(); ++j) {
            if (listeners[j].name == l.name)
                tables[i].fail("name", fmt::format("duplicate listener name (listener[{}])", j));
            if (listeners[j].port == l.port && binds_clash(listeners[j].address, l.address))
                tables[i].fail("port", fmt::format("address and port clash with listener[{}]", j));
        }
        listeners.push_back(std::move(l));
    }
    return listeners;
}

} // namespace arcrelay::config::detail
