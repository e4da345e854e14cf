// relay/message_checks.cpp — the verify, record and seal stages (DESIGN.md Pipeline 2, 3, 6).
#include "relay/message_checks.hpp"

#include "arc/chain.hpp"
#include "arc/seal.hpp"
#include "arc/validate.hpp"
#include "auth/dkim/verify.hpp"
#include "auth/dmarc/evaluate.hpp"
#include "auth/dmarc/policy_discovery.hpp"
#include "auth/iprev/iprev.hpp"
#include "auth/results/aar.hpp"
#include "auth/results/removal.hpp"
#include "auth/spf/check.hpp"
#include "base/ip_address.hpp"
#include "config/load.hpp"
#include "dns/memo.hpp"
#include "mail/address.hpp"
#include "relay/key_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace arcrelay::relay {

namespace {

using auth::results::method_result;
using auth::results::property;

const auth::dmarc::public_suffix_list& public_suffixes() {
    // Loaded once from Debian's publicsuffix package; immutable afterwards.
    static const auto psl = auth::dmarc::public_suffix_list::latest();
    return psl;
}

method_result make_result(std::string method, std::string result) {
    method_result r;
    r.method = std::move(method);
    r.result = std::move(result);
    return r;
}

void add_property(method_result& r, std::string ptype, std::string name, std::string value) {
    if (!value.empty())
        r.properties.push_back({std::move(ptype), std::move(name), std::move(value)});
}

void set_reason(method_result& r, const std::string& reason) {
    if (!reason.empty() && r.result != "pass") r.reason = reason;
}

bool is_temperror(std::string_view r) {
    return r == "temperror";
}

method_result iprev_result(dns::resolver& resolver, const envelope& env, check_report& report) {
    auto v = auth::iprev::check_iprev(resolver, env.client_ip);
    auto r = make_result("iprev", std::string(auth::iprev::to_string(v.result)));
    r.comment = v.comment;
    set_reason(r, v.reason);
    for (auto& [name, value] : v.properties) {
        auto dot = name.find('.');
        add_property(r, name.substr(0, dot), name.substr(dot + 1), value);
    }
    report.iprev = r.result;
    return r;
}

method_result spf_result(const auth::spf::verdict& v) {
    auto r = make_result("spf", std::string(auth::spf::to_string(v.result)));
    set_reason(r, v.reason);
    auto name = std::string(auth::spf::property_name(v.identity)); // "mailfrom" / "helo"
    add_property(r, "smtp", name, auth::spf::property_value(v));
    return r;
}

method_result dkim_result(const auth::dkim::verification& v) {
    auto r = make_result("dkim", std::string(auth::dkim::result_name(v.result)));
    if (v.key_bits)
        r.comment = fmt::format("{}-bit key{}", v.key_bits, v.testing ? "; test mode" : "");
    set_reason(r, v.reason);
    add_property(r, "header", "d", v.domain);
    add_property(r, "header", "i", v.identity);
    add_property(r, "header", "s", v.selector);
    add_property(r, "header", "a", v.algorithm);
    add_property(r, "header", "b", v.b_prefix); // RFC 6008: enough to tell signatures apart
    return r;
}

int dmarc_severity(auth::dmarc::verdict v) {
    using auth::dmarc::verdict;
    switch (v) {
    case verdict::fail:
        return 5;
    case verdict::temperror:
        return 4;
    case verdict::permerror:
        return 3;
    case verdict::none:
        return 2;
    case verdict::bestguesspass:
        return 1;
    case verdict::pass:
        return 0;
    }
    return 0;
}

// RFC 7208 §2.3: HELO is checked as well when MAIL FROM is not empty.
bool helo_checked(const envelope& env) {
    return !env.mail_from.empty() && !env.helo.empty();
}

auth::dmarc::org_domain_method org_method(const config::dmarc_settings& dmarc) {
    return dmarc.org_domain == config::org_domain_method::tree_walk
               ? auth::dmarc::org_domain_method::tree_walk
               : auth::dmarc::org_domain_method::public_suffix_list;
}

method_result dmarc_result(const mail::message& m, const auth::spf::verdict& spf,
                           const std::vector<auth::dkim::verification>& dkim,
                           dns::resolver& resolver, const check_settings& settings,
                           const row_context& rows, check_report& report) {
    auto domains = mail::author_domains(m);
    if (!domains) { // RFC 7489 §6.6.1: no usable From, no DMARC evaluation
        auto r = make_result("dmarc", "permerror");
        r.reason = domains.error().message;
        report.dmarc = r.result;
        return r;
    }
    auth::dmarc::evaluation_options options;
    options.method = org_method(settings.dmarc);
    switch (settings.dmarc.virtual_policy) {
    case config::virtual_dmarc::property:
        options.virtual_mode = auth::dmarc::virtual_dmarc_mode::property;
        break;
    case config::virtual_dmarc::pass:
        options.virtual_mode = auth::dmarc::virtual_dmarc_mode::pass;
        break;
    case config::virtual_dmarc::bestguesspass:
        options.virtual_mode = auth::dmarc::virtual_dmarc_mode::bestguesspass;
        break;
    case config::virtual_dmarc::off:
        options.virtual_mode = auth::dmarc::virtual_dmarc_mode::off;
        break;
    }
    auth::dmarc::evaluation_input input;
    input.spf.result = std::string(auth::spf::to_string(spf.result));
    input.spf.domain = spf.domain;
    for (const auto& d : dkim)
        input.dkim.push_back({d.domain, std::string(auth::dkim::result_name(d.result))});
    // With several author domains every one is evaluated; the worst verdict is reported.
    // Each evaluation against a published record is a report row (RFC 9990), unless the
    // message is itself a DMARC report.
    std::optional<auth::dmarc::dmarc_result> worst;
    const bool reportable = !is_dmarc_report(m);
    for (const auto& domain : *domains) {
        input.from_domain = domain;
        auto res = auth::dmarc::evaluate(input, options, resolver, public_suffixes());
        if (reportable)
            if (auto row = start_row(res, rows)) report.report_rows.push_back(std::move(*row));
        if (!worst || dmarc_severity(res.result) > dmarc_severity(worst->result)) worst = res;
    }
    auto r = make_result("dmarc", std::string(auth::dmarc::to_string(worst->result)));
    r.comment = worst->comment;
    set_reason(r, worst->reason);
    add_property(r, "header", "from", worst->header_from);
    for (auto& [name, value] : worst->properties) {
        auto dot = name.find('.');
        if (dot == std::string::npos) continue;
        if (name == "header.from") continue;
        add_property(r, name.substr(0, dot), name.substr(dot + 1), value);
    }
    report.dmarc = r.result;
    report.dmarc_domain = worst->header_from;
    if (worst->published)
        report.dmarc_policy = std::string(auth::dmarc::to_string(worst->disposition));
    for (const auto& d : dkim)
        if (d.result == auth::dkim::result_code::pass &&
            public_suffixes().organizational_domain(d.domain) ==
                public_suffixes().organizational_domain(worst->header_from))
            report.dkim_author_aligned_pass = true;
    return r;
}

// smtp.remote-ip (or the older smtp.client-ip, read as it) of an AAR, or "".
std::string remote_ip_of(const mail::header_field& aar) {
    const auto parsed = auth::results::parse_arc_authentication_results(aar.value());
    if (!parsed) return {};
    for (const auto& r : parsed->payload.results)
        for (const auto& p : r.properties)
            if (p.ptype == "smtp" && p.name == "remote-ip") return p.value;
    return {};
}

method_result arc_result(const arc::validation_result& v, const result<arc::arc_chain>& chain,
                         const envelope& env, check_report& report) {
    auto r = make_result("arc", std::string(arc::arc_result_name(v.result)));
    set_reason(r, v.reason);
    add_property(r, "smtp", "remote-ip", env.client_ip);
    if (v.result == arc::arc_result::pass) {
        add_property(r, "header", "oldest-pass", std::to_string(v.oldest_pass));
        if (chain)
            for (const auto& set : chain->sets) {
                report.arc_sealers.push_back(set.seal.domain);
                report.arc_seals.push_back({set.instance, set.seal.domain, set.seal.selector});
                if (set.instance == 1 && set.results_field && report.arc_first_client_ip.empty())
                    report.arc_first_client_ip = remote_ip_of(*set.results_field);
            }
    }
    report.arc = r.result;
    report.arc_reason = v.reason;
    return r;
}

// The first question of every check, sent in one round (DESIGN.md: all DNS lookups of a
// message start concurrently); the checks then run one after another over the memo and only
// their follow-up questions (SPF includes, PTR targets, ...) cost another round.
std::vector<dns::question> first_round(const mail::message& m, const envelope& env,
                                       const auth::spf::request* spf,
                                       const std::vector<std::string>& key_names,
                                       const check_settings& settings) {
    std::vector<dns::question> out;
    if (spf) {
        if (auto ptr = auth::iprev::ptr_question(env.client_ip)) out.push_back(std::move(*ptr));
        for (auto& q : auth::spf::record_questions(*spf, helo_checked(env)))
            out.push_back(std::move(q));
    }
    if (auto domains = mail::author_domains(m))
        for (const auto& d : *domains)
            for (auto& q :
                 auth::dmarc::policy_questions(d, org_method(settings.dmarc), public_suffixes()))
                out.push_back(std::move(q));
    for (const auto& name : key_names)
        out.push_back({name, dns::rr_type::txt});
    return out;
}

} // namespace

check_report check_message(const mail::message& m, const envelope& env, dns::resolver& upstream,
                           const check_settings& settings) {
    check_report report;
    report.results.authserv_id = settings.authserv_id;
    auto& results = report.results.results;
    dns::memo_resolver resolver(upstream); // one DNS snapshot for the whole message

    // iprev (RFC 8601 §3) and SPF (RFC 7208) need the client address.
    std::optional<auth::spf::request> spf_request;
    if (auto ip = parse_ip_address(env.client_ip)) {
        auth::spf::request req;
        req.client_ip = *ip;
        req.helo = env.helo;
        req.mail_from = env.mail_from;
        req.receiver = settings.authserv_id;
        req.timestamp = static_cast<std::int64_t>(settings.now);
        spf_request = std::move(req);
    }
    // DKIM and ARC: the keys either needs.
    auto chain = arc::collect_chain(m);
    auto names = auth::dkim::dkim_key_names(m, settings.limits.max_dkim_signatures);
    if (chain)
        for (auto& n : arc::key_names(*chain))
            names.push_back(std::move(n));
    const auto first = first_round(m, env, spf_request ? &*spf_request : nullptr, names, settings);
    resolver.resolve(first);

    auth::spf::verdict spf;
    if (spf_request) {
        results.push_back(iprev_result(resolver, env, report));
        spf = auth::spf::check_mail_from(resolver, *spf_request);
        results.push_back(spf_result(spf));
        if (helo_checked(env))
            results.push_back(spf_result(auth::spf::check_helo(resolver, *spf_request)));
    } else {
        spf.result = auth::spf::result::none;
        spf.reason = "no client address";
    }
    report.spf = std::string(auth::spf::to_string(spf.result));

    auto keys = auth::dkim::fetch_keys(resolver, names, settings.key_cache);
    auto body_hashes = std::make_shared<auth::dkim::body_hash_cache>(m.body());
    auto& bodies = *body_hashes;
    report.bodies = body_hashes;
    auth::dkim::verify_options dkim_options;
    dkim_options.now = settings.now;
    dkim_options.max_signatures = settings.limits.max_dkim_signatures;
    auto dkim = auth::dkim::verify_dkim(m, keys, bodies, dkim_options);
    if (dkim.empty()) {
        auto none = make_result("dkim", "none");
        results.push_back(none);
    }
    for (const auto& d : dkim) {
        results.push_back(dkim_result(d));
        report.dkim.emplace_back(auth::dkim::result_name(d.result));
    }

    const row_context rows{env.client_ip,
                           env.mail_from,
                           env.recipients.empty() ? std::string() : env.recipients.front(),
                           &dkim,
                           &spf,
                           settings.now};
    results.push_back(dmarc_result(m, spf, dkim, resolver, settings, rows, report));

    auto validation = std::make_shared<arc::validation_result>(
        arc::validate_chain(m, chain, keys, bodies, settings.now));
    results.push_back(arc_result(*validation, chain, env, report));
    if (validation->temporary) report.temperror = true;
    report.arc_validation = std::move(validation);

    for (const auto& r : results)
        if (is_temperror(r.result)) report.temperror = true;
    return report;
}

std::size_t record_results(mail::message& m, const check_report& report,
                           std::string_view authserv_id, std::span<const std::string> trusted_ids) {
    // RFC 8601 §5: fields claiming our authserv-id are forgeries (or stale); drop them.
    auto removed = m.remove_if([&](const mail::header_field& f) {
        if (!f.is("Authentication-Results")) return false;
        if (auth::results::claims_authserv_id(f.value(), authserv_id)) return true;
        return !trusted_ids.empty() && !auth::results::is_trusted(f.value(), trusted_ids);
    });
    m.prepend(mail::header_field::make(
        "Authentication-Results", auth::results::format_authentication_results(report.results)));
    return removed;
}

check_report report_from_our_results(const mail::message& m, std::string_view authserv_id) {
    check_report report;
    report.results.authserv_id = std::string(authserv_id);
    std::vector<std::string_view> values;
    for (const auto* f : m.fields("Authentication-Results"))
        values.push_back(f->value());
    auto collected = auth::results::collect_results(values, authserv_id);
    auto state = std::make_shared<arc::validation_result>();
    state->result = arc::arc_result::none;
    if (collected) {
        report.results.results = std::move(*collected);
        for (const auto& r : report.results.results) {
            if (r.method != "arc") continue;
            report.arc = r.result;
            // cv comes from our own earlier arc= verdict (DESIGN.md, split layout).
            if (r.result == "pass")
                state->result = arc::arc_result::pass;
            else if (r.result == "fail")
                state->result = arc::arc_result::fail;
        }
    }
    auto top = arc::find_chain_top(m);
    state->highest_instance = top.instance;
    if (report.arc.empty() && top.instance > 0) {
        // A chain we never recorded a verdict for cannot be vouched for.
        state->result = arc::arc_result::fail;
        state->reason = "no arc= result of ours for the existing chain";
    }
    report.arc_validation = std::move(state);
    return report;
}

result<sealing_key> load_sealing_key(const config::signing_key& k) {
    auto key = read_key_file(k.private_key);
    if (!key) return key.error();
    auto wanted = k.algorithm == config::signing_algorithm::rsa_sha256
                      ? auth::dkim::key_type::rsa
                      : auth::dkim::key_type::ed25519;
    if (key->type() != wanted)
        return permanent_error(fmt::format("{}: a {} key cannot seal {}", k.private_key,
                                           auth::dkim::key_type_name(key->type()),
                                           auth::dkim::key_type_name(wanted)));
    return sealing_key{k, std::move(*key)};
}

result<std::vector<sealing_key>> load_sealing_keys(const config::arc_settings& arc_cfg) {
    std::vector<sealing_key> out;
    for (const auto& k : arc_cfg.keys) {
        auto key = load_sealing_key(k);
        if (!key) return key.error();
        out.push_back(std::move(key).value());
    }
    return out;
}

result<std::vector<sealing_key>> load_sealing_keys(const config::configuration& c) {
    std::vector<sealing_key> out;
    for (std::size_t i = 0; i < c.arc.keys.size(); ++i) {
        auto key = load_sealing_key(c.arc.keys[i]);
        if (!key)
            return permanent_error(config::located_error(
                c, fmt::format("arc.key[{}].private_key", i), key.error().message));
        out.push_back(std::move(key).value());
    }
    return out;
}

result<seal_outcome> seal_message(mail::message& m, const check_report& report,
                                  const std::vector<sealing_key>& keys,
                                  const config::arc_settings& arc_cfg, std::string_view authserv_id,
                                  std::uint64_t now) {
    if (!report.arc_validation) return permanent_error("seal without a verification report");
    // RFC 8617 §5.2.1 makes a DNS failure during validation a fail; sealing that as cv=fail
    // would end the chain for good over a passing problem. Refuse, so the sender retries.
    if (report.arc_validation->temporary)
        return temporary_error("ARC validation failed temporarily (DNS): " +
                               report.arc_validation->reason);
    std::vector<arc::sealing_key> arc_keys;
    for (const auto& k : keys)
        arc_keys.push_back({k.settings.algorithm == config::signing_algorithm::rsa_sha256
                                ? auth::dkim::algorithm::rsa_sha256
                                : auth::dkim::algorithm::ed25519_sha256,
                            k.settings.domain, k.settings.selector, k.key});
    if (arc_keys.empty()) return seal_outcome{0, "no sealing keys configured"};
    // RFC 8617 §4.1.1: the AAR carries our results; its i= is the new instance.
    auto instance = static_cast<unsigned>(arc::find_chain_top(m).instance + 1);
    std::string payload;
    if (instance <= auth::results::max_arc_instance) {
        auto aar = auth::results::format_aar_value(instance, authserv_id, report.results.results);
        payload = aar.substr(aar.find(';') + 1);
        payload.erase(0, payload.find_first_not_of(" \t"));
    }
    arc::seal_options options;
    if (!arc_cfg.sign_headers.empty()) options.signed_headers = arc_cfg.sign_headers;
    options.bodies = report.bodies.get();
    auto sealed = arc::seal_message(m, *report.arc_validation, payload, arc_keys, now, options);
    if (!sealed) return sealed.error();
    arc::add_sealed_fields(m, *sealed);
    return seal_outcome{sealed->fields.empty() ? 0 : sealed->algorithms.size(), sealed->reason};
}

} // namespace arcrelay::relay
