// tests/unit/bad_input/verdicts.cpp — the runners of each kind (verdicts.hpp).
#include "tests/unit/bad_input/verdicts.hpp"

#include "arc/validate.hpp"
#include "auth/dkim/key_record.hpp"
#include "auth/dkim/signature.hpp"
#include "auth/dkim/verify.hpp"
#include "auth/results/authentication_results.hpp"
#include "auth/spf/check.hpp"
#include "auth/spf/record.hpp"
#include "config/load.hpp"
#include "dns/message.hpp"
#include "dns/static_zone.hpp"
#include "mail/address.hpp"
#include "mail/message.hpp"
#include "mail/tag_list.hpp"
#include "smtp/server_protocol.hpp"

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace arcrelay::bad_input {

namespace {

constexpr std::uint64_t fixed_now = 1767225600; // 2026-01-01T00:00:00Z, as the corpus

template <class T>
std::set<std::string> ok_or_error(const result<T>& r) {
    return {r.ok() ? "ok" : "error"};
}

const dns::static_zone& corpus_zone() {
    static const dns::static_zone zone = [] {
        auto z = dns::static_zone::load(ARCRELAY_TEST_DATA "/dns/bench-corpus-zone.txt");
        if (!z) throw std::runtime_error("bench zone: " + z.error().message);
        return std::move(z).value();
    }();
    return zone;
}

std::set<std::string> run_message(std::string_view input) {
    auto m = mail::parse_message(input);
    if (!m) return {"parse-error"};
    dns::static_zone zone = corpus_zone();
    const auto arc = arc::validate_message(*m, zone, fixed_now);
    auth::dkim::verify_options options;
    options.now = fixed_now;
    const auto dkim = auth::dkim::verify_dkim(*m, zone, options);
    for (const auto* f : m->fields("Authentication-Results"))
        (void)auth::results::parse_authentication_results(f->value());
    (void)mail::author_domains(*m);
    return {
        "parsed", fmt::format("arc={}", arc::arc_result_name(arc.result)),
        fmt::format("dkim={}", dkim.empty() ? "none" : auth::dkim::result_name(dkim[0].result))};
}

std::string_view outcome_name(dns::outcome o) {
    switch (o) {
    case dns::outcome::records:
        return "records";
    case dns::outcome::nxdomain:
        return "nxdomain";
    case dns::outcome::nodata:
        return "nodata";
    case dns::outcome::temp_failure:
        return "temp_failure";
    case dns::outcome::malformed:
        return "malformed";
    }
    return "unknown";
}

std::set<std::string> run_spf_check(std::string_view input) {
    auto zone = dns::static_zone::parse_master_file(input);
    if (!zone) return {"zone-error"};
    auth::spf::request req;
    req.client_ip = *parse_ip_address("192.0.2.1");
    req.helo = "c.test";
    req.mail_from = "user@spf.bad.test";
    req.timestamp = static_cast<std::int64_t>(fixed_now);
    const auto v = auth::spf::check_mail_from(*zone, req);
    return {std::string(auth::spf::to_string(v.result))};
}

std::set<std::string> run_dns_zone(std::string_view input) {
    auto zone = dns::static_zone::parse_master_file(input);
    if (!zone) return {"error"};
    return {std::string(outcome_name(zone->resolve_one({"q.bad.test", dns::rr_type::txt}).result))};
}

std::set<std::string> run_dns_wire(std::string_view input) {
    auto q = dns::detail::build_query("q.bad.test", dns::rr_type::txt, 0x5a17, 1232);
    if (!q) throw std::logic_error("cannot build the query");
    const std::span wire(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    auto checked = dns::detail::check_response(wire, *q);
    if (checked.result == dns::detail::verdict::not_ours) return {"not_ours"};
    if (checked.result == dns::detail::verdict::garbled) return {"garbled"};
    const auto r = dns::detail::read_response(checked.packet.get(), *q, dns::max_cname_chain);
    std::set<std::string> tokens{std::string(outcome_name(r.result.result))};
    if (r.next_name) tokens.insert("next-name");
    return tokens;
}

smtp::reply list_recipients(const smtp::envelope&, std::string_view rcpt) {
    if (rcpt.ends_with("@lists.example")) return smtp::make_reply(250, {2, 1, 5}, "OK");
    if (rcpt.ends_with("@other.example")) return smtp::make_reply(452, {4, 5, 3}, "One list");
    return smtp::make_reply(550, {5, 1, 1}, "No such list");
}

std::set<std::string> run_smtp(std::string_view input) {
    smtp::server_config config;
    config.hostname = "mx.bad.test";
    config.starttls_available = true;
    smtp::server_protocol p(config, "192.0.2.1", list_recipients);
    std::set<std::string> tokens;
    std::size_t replies = 0, delivered = 0;
    auto actions = p.feed(input);
    while (!actions.empty()) {
        std::vector<smtp::action> next;
        for (const auto& a : actions) {
            if (const auto* s = std::get_if<smtp::send_reply>(&a)) {
                ++replies;
                tokens.insert(fmt::format("has={}", s->r.code));
                tokens.insert(fmt::format("has={}/{}", s->r.code, s->r.status));
            } else if (std::holds_alternative<smtp::start_tls>(a)) {
                p.tls_started();
            } else if (std::holds_alternative<smtp::deliver>(a)) {
                ++delivered;
                next = p.complete_transaction(smtp::make_reply(250, {2, 0, 0}, "Queued"));
            }
        }
        actions = std::move(next);
    }
    tokens.insert(fmt::format("replies={}", replies));
    tokens.insert(fmt::format("delivered={}", delivered));
    tokens.insert(p.closed() ? "closed" : "open");
    return tokens;
}

using runner = std::function<std::set<std::string>(std::string_view)>;

const std::vector<std::pair<std::string_view, runner>>& runners() {
    static const std::vector<std::pair<std::string_view, runner>> table = {
        {"message", run_message},
        {"authres",
         [](auto in) { return ok_or_error(auth::results::parse_authentication_results(in)); }},
        {"aar",
         [](auto in) { return ok_or_error(auth::results::parse_arc_authentication_results(in)); }},
        {"dkim-signature",
         [](auto in) { return ok_or_error(auth::dkim::parse_dkim_signature(in)); }},
        {"key-record", [](auto in) { return ok_or_error(auth::dkim::parse_key_record(in)); }},
        {"tag-list", [](auto in) { return ok_or_error(mail::parse_tag_list(in)); }},
        {"address-list", [](auto in) { return ok_or_error(mail::parse_address_list(in)); }},
        {"spf-record", [](auto in) { return ok_or_error(auth::spf::parse_record(in)); }},
        {"config", [](auto in) { return ok_or_error(config::parse_config(in, "bad.toml")); }},
        {"spf-check", run_spf_check},
        {"dns-zone", run_dns_zone},
        {"dns-wire", run_dns_wire},
        {"smtp", run_smtp},
    };
    return table;
}

} // namespace

std::set<std::string> run_case(std::string_view kind, std::string_view input) {
    for (const auto& [k, run] : runners())
        if (k == kind) return run(input);
    throw std::invalid_argument("unknown kind " + std::string(kind));
}

} // namespace arcrelay::bad_input
