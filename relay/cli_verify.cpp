// relay/cli_verify.cpp — see cli_verify.hpp. Exit status: 0 checked; 1 checked, but a DNS
// temporary failure affected a verdict; 2 usage error, unreadable or malformed input.
#include "relay/cli_verify.hpp"

#include "auth/dkim/signature.hpp"
#include "config/load.hpp"
#include "relay/cli_args.hpp"
#include "relay/cli_resolver.hpp"
#include "relay/message_checks.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

namespace arcrelay::relay {

namespace {

const std::set<std::string> envelope_options{
    "--zone", "--client-ip", "--helo", "--mail-from", "--authserv-id", "--timestamp", "--config"};

struct prepared {
    std::unique_ptr<dns::resolver> resolver;
    mail::message message;
    envelope env;
    std::uint64_t now = 0;
};

int fail(std::string_view command, const std::string& message) {
    fmt::print(stderr, "arcrelay {}: {}\n", command, message);
    return 2;
}

// Shared by verify and seal: resolver, message, envelope, clock.
result<prepared> prepare(const cli_args& args, const config::dns_settings& dns_cfg) {
    prepared p;
    if (args.positional.size() != 1) return permanent_error("expected one message FILE or -");
    auto resolver = make_cli_resolver(args.get("--zone"), dns_cfg);
    if (!resolver) return resolver.error();
    p.resolver = std::move(*resolver);
    auto text = read_message_input(args.positional.front());
    if (!text) return text.error();
    auto m = mail::parse_message(*text);
    if (!m)
        return permanent_error(
            fmt::format("malformed message, line {}: {}", m.error().line, m.error().message));
    p.message = std::move(*m);
    p.env.client_ip = args.get("--client-ip").value_or("");
    p.env.helo = args.get("--helo").value_or("");
    p.env.mail_from = args.get("--mail-from").value_or("");
    p.now = static_cast<std::uint64_t>(std::time(nullptr));
    if (auto t = args.get("--timestamp")) {
        auto seconds = auth::dkim::parse_number(*t);
        if (!seconds) return permanent_error("--timestamp needs seconds since the epoch");
        p.now = *seconds;
    }
    return p;
}

nlohmann::json method_json(const auth::results::method_result& r) {
    nlohmann::json j{{"result", r.result}};
    if (r.reason) j["reason"] = *r.reason;
    if (!r.comment.empty()) j["comment"] = r.comment;
    for (const auto& p : r.properties)
        j[p.ptype + "." + p.name] = p.value;
    return j;
}

nlohmann::json report_json(const check_report& report) {
    nlohmann::json out;
    out["authentication_results"] = auth::results::format_authentication_results(report.results);
    out["dkim"] = nlohmann::json::array();
    for (const auto& r : report.results.results) {
        auto j = method_json(r);
        if (r.method == "dkim") {
            if (r.result == "none") continue;
            nlohmann::json d{{"result", r.result}, {"reason", r.reason.value_or("")}};
            for (const auto& p : r.properties) {
                if (p.name == "d") d["domain"] = p.value;
                if (p.name == "s") d["selector"] = p.value;
                if (p.name == "a") d["algorithm"] = p.value;
                if (p.name == "i") d["identity"] = p.value;
            }
            out["dkim"].push_back(d);
        } else if (r.method == "spf") {
            out[r.properties.empty() || r.properties[0].name == "mailfrom" ? "spf" : "spf_helo"] =
                j;
        } else if (r.method != "arc") {
            out[r.method] = j;
        }
    }
    const auto& v = *report.arc_validation;
    nlohmann::json arc{{"result", arc::arc_result_name(v.result)},
                       {"oldest_pass", v.oldest_pass},
                       {"reason", v.reason},
                       {"temporary", v.temporary},
                       {"chains", nlohmann::json::array()}};
    for (const auto& c : v.chains)
        arc["chains"].push_back({{"algorithm", c.algorithm},
                                 {"length", c.length},
                                 {"result", arc::arc_result_name(c.result)},
                                 {"oldest_pass", c.oldest_pass},
                                 {"reason", c.reason}});
    out["arc"] = arc;
    return out;
}

} // namespace

int run_verify(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2, envelope_options, {"--json"});
    if (!args) return fail("verify", args.error().message);
    if (args->get("--config")) return fail("verify", "--config is an option of seal");
    auto p = prepare(*args, {});
    if (!p) return fail("verify", p.error().message);
    check_settings settings;
    settings.authserv_id = args->get("--authserv-id").value_or("localhost");
    settings.now = p->now;
    auto report = check_message(p->message, p->env, *p->resolver, settings);
    if (args->has("--json"))
        fmt::print("{}\n", report_json(report).dump(2));
    else
        fmt::print("{}\n", auth::results::format_authentication_results(report.results));
    return report.temperror ? 1 : 0;
}

int run_seal(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2, envelope_options, {});
    if (!args) return fail("seal", args.error().message);
    auto config_path = args->get("--config");
    if (!config_path) return fail("seal", "--config FILE is required (it names the sealing keys)");
    auto cfg = config::load_config_file(*config_path);
    if (!cfg) return fail("seal", cfg.error().message);
    auto keys = load_sealing_keys(*cfg);
    if (!keys) return fail("seal", keys.error().message);
    auto p = prepare(*args, cfg->dns);
    if (!p) return fail("seal", p.error().message);
    check_settings settings;
    settings.authserv_id = args->get("--authserv-id").value_or(cfg->server.authserv_id);
    settings.dmarc = cfg->dmarc;
    settings.limits = cfg->limits;
    settings.now = p->now;
    auto report = check_message(p->message, p->env, *p->resolver, settings);
    record_results(p->message, report, settings.authserv_id, cfg->arc.trusted_authserv_ids);
    auto sealed = seal_message(p->message, report, *keys, cfg->arc, settings.authserv_id, p->now);
    if (!sealed) return fail("seal", sealed.error().message);
    if (sealed->sets_added == 0)
        fmt::print(stderr, "arcrelay seal: not sealed: {}\n", sealed->note);
    else if (!sealed->note.empty())
        fmt::print(stderr, "arcrelay seal: {}\n", sealed->note);
    std::cout << p->message.serialise() << std::flush;
    return report.temperror ? 1 : 0;
}

} // namespace arcrelay::relay
