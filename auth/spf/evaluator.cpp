// auth/spf/evaluator.cpp — check_host() (RFC 7208 4.4-4.7, 5, 6) with the limits of 4.6.4.
#include "auth/spf/evaluator.hpp"

#include "auth/spf/domain_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>

namespace arcrelay::auth::spf::detail {
namespace {

using dns::outcome;
using dns::rr_type;

host_result stop_with(result r, std::string reason) {
    host_result out;
    out.result = r;
    out.reason = std::move(reason);
    return out;
}

bool is_void(outcome o) {
    return o == outcome::nxdomain || o == outcome::nodata;
}

// RFC 7208 4.6.2: the result a matching directive gives.
result qualifier_result(qualifier q) {
    switch (q) {
    case qualifier::pass:
        return result::pass;
    case qualifier::fail:
        return result::fail;
    case qualifier::softfail:
        return result::softfail;
    case qualifier::neutral:
        return result::neutral;
    }
    return result::neutral;
}

// The PTR owner name of an address (RFC 1035 3.5, RFC 3596 2.5): the labels of %{i} reversed.
std::string reverse_name(const ip_address& ip) {
    const std::string dotted = dotted_ip(ip);
    std::string out;
    std::size_t end = dotted.size();
    while (true) {
        const auto dot = dotted.rfind('.', end - 1);
        const auto start = dot == std::string::npos ? 0 : dot + 1;
        out += dotted.substr(start, end - start);
        out += '.';
        if (dot == std::string::npos) break;
        end = dot;
    }
    return out + (ip.v6 ? "ip6.arpa" : "in-addr.arpa");
}

std::string dns_failure(const dns::answer& a, std::string_view what) {
    return fmt::format("DNS {} for {}{}{}",
                       a.result == outcome::malformed ? "malformed answer" : "error", what,
                       a.reason.empty() ? "" : ": ", a.reason);
}

} // namespace

evaluator::evaluator(dns::resolver& resolver, const ip_address& ip, std::string sender,
                     std::string local_part, std::string sender_domain, const request& req)
    : resolver_(resolver), ip_(ip), sender_(std::move(sender)), local_part_(std::move(local_part)),
      sender_domain_(std::move(sender_domain)), request_(req) {}

std::vector<dns::answer> evaluator::resolve(const std::vector<dns::question>& questions) {
    auto answers = resolver_.resolve(questions);
    // The interface promises one answer per question; a short list must not be read past.
    answers.resize(questions.size(), dns::answer{outcome::temp_failure, {}, "no answer"});
    return answers;
}

macro_values evaluator::values(const std::string& domain) {
    macro_values v;
    v.sender = sender_;
    v.local_part = local_part_;
    v.sender_domain = sender_domain_;
    v.domain = domain;
    v.ip = ip_;
    v.helo = request_.helo;
    v.receiver = request_.receiver;
    v.timestamp = request_.timestamp;
    v.validated_domain = [this, domain] { return validated_domain(domain); };
    return v;
}

std::optional<std::string> evaluator::target_name(const std::optional<macro_string>& spec,
                                                  const std::string& domain) {
    if (!spec) return domain;
    auto expanded = expand_macro_string(*spec, values(domain));
    used_local_part_ = used_local_part_ || expanded.used_local_part;
    return query_name(expanded.text);
}

std::optional<host_result> evaluator::count_dns_term(const std::string& term) {
    // RFC 7208 4.6.4: at most 10 terms causing DNS queries per check, counted as evaluated.
    if (++dns_terms_ > max_dns_terms)
        return stop_with(result::permerror,
                         fmt::format("'{}' exceeds the limit of {} DNS-querying terms (RFC 7208 "
                                     "4.6.4)",
                                     term, max_dns_terms));
    return std::nullopt;
}

std::optional<host_result> evaluator::count_void_lookup(const std::string& name) {
    // RFC 7208 4.6.4: at most 2 lookups answered NXDOMAIN or NODATA.
    if (++void_lookups_ > max_void_lookups)
        return stop_with(result::permerror,
                         fmt::format("void lookup of {} exceeds the limit of {} (RFC 7208 4.6.4)",
                                     name, max_void_lookups));
    return std::nullopt;
}

bool evaluator::address_matches(const std::vector<std::string>& records, int prefix) const {
    return std::any_of(records.begin(), records.end(), [&](const std::string& text) {
        const auto address = parse_ip_address(text);
        return address && in_network(ip_, *address, prefix);
    });
}

host_result evaluator::check_host(const std::string& domain) {
    // RFC 7208 4.4: the TXT records of <domain>.
    const auto txt = resolver_.resolve_one({domain, rr_type::txt});
    if (txt.result == outcome::temp_failure || txt.result == outcome::malformed)
        return stop_with(result::temperror, dns_failure(txt, "TXT " + domain));
    if (is_void(txt.result))
        return stop_with(result::none, fmt::format("no SPF record: {} has no TXT record", domain));
    // RFC 7208 4.5: exactly one record starting "v=spf1".
    const auto selected = select_record(txt.records);
    if (!selected)
        return stop_with(result::permerror,
                         fmt::format("{} at {} (RFC 7208 4.5)", selected.error().message, domain));
    if (!*selected) return stop_with(result::none, fmt::format("no SPF record at {}", domain));
    const auto parsed = parse_record(**selected);
    if (!parsed)
        return stop_with(result::permerror, fmt::format("invalid SPF record at {}: {}", domain,
                                                        parsed.error().message));
    const record& rec = *parsed;

    for (const auto& m : rec.mechanisms) {
        auto outcome = evaluate(m, domain);
        if (outcome.stop) return std::move(*outcome.stop);
        if (!outcome.matched) continue;
        auto matched =
            stop_with(qualifier_result(m.qualifier),
                      fmt::format("'{}' matched in the SPF record of {}", m.text, domain));
        if (matched.result == result::fail && rec.explanation) {
            matched.explanation = rec.explanation;
            matched.explanation_domain = domain;
        }
        return matched;
    }

    if (rec.redirect) {
        // RFC 7208 6.1: the result of the target's record replaces this one (its exp= too).
        if (auto limit = count_dns_term("redirect=")) return std::move(*limit);
        const auto target = target_name(rec.redirect, domain);
        if (!target)
            return stop_with(result::permerror,
                             fmt::format("redirect= of {} names no valid domain", domain));
        auto redirected = check_host(*target);
        if (redirected.result == result::none)
            return stop_with(result::permerror,
                             fmt::format("redirect={}: {}", *target, redirected.reason));
        return redirected;
    }
    // RFC 7208 4.7: no match and no redirect.
    return stop_with(result::neutral,
                     fmt::format("no mechanism matched in the SPF record of {}", domain));
}

evaluator::term_outcome evaluator::evaluate(const mechanism& m, const std::string& domain) {
    switch (m.kind) {
    case mechanism_kind::all:
        return {true, std::nullopt};
    case mechanism_kind::ip4:
    case mechanism_kind::ip6:
        return {in_network(ip_, m.network), std::nullopt};
    case mechanism_kind::ptr:
        return match_ptr(m, domain);
    case mechanism_kind::include:
    case mechanism_kind::a:
    case mechanism_kind::mx:
    case mechanism_kind::exists:
        break;
    }
    if (auto limit = count_dns_term(m.text)) return {false, std::move(limit)};
    // RFC 7208 4.8: a target name no DNS query can be made for is treated as non-existent.
    const auto target = target_name(m.domain_spec, domain);
    if (!target) {
        if (m.kind == mechanism_kind::include)
            return {false, stop_with(result::permerror,
                                     fmt::format("'{}' names no valid domain", m.text))};
        return {false, count_void_lookup(m.text)};
    }
    switch (m.kind) {
    case mechanism_kind::include:
        return match_include(m, *target);
    case mechanism_kind::a:
        return match_addresses(m, *target);
    case mechanism_kind::mx:
        return match_mx(m, *target);
    default: // exists
        return match_exists(m, *target);
    }
}

evaluator::term_outcome evaluator::match_include(const mechanism& m, const std::string& target) {
    // RFC 7208 5.2: only pass matches; none and permerror are permerror, temperror stays.
    auto inner = check_host(target);
    switch (inner.result) {
    case result::pass:
        return {true, std::nullopt};
    case result::fail:
    case result::softfail:
    case result::neutral:
        return {false, std::nullopt};
    case result::temperror:
        return {false, stop_with(result::temperror, fmt::format("{}: {}", m.text, inner.reason))};
    case result::none:
    case result::permerror:
        break;
    }
    return {false, stop_with(result::permerror, fmt::format("{}: {}", m.text, inner.reason))};
}

evaluator::term_outcome evaluator::match_addresses(const mechanism& m, const std::string& target) {
    // RFC 7208 5.3: A records for an IPv4 client, AAAA for IPv6, compared with the CIDR length.
    const auto answer = resolver_.resolve_one({target, ip_.v6 ? rr_type::aaaa : rr_type::a});
    if (is_void(answer.result)) return {false, count_void_lookup(target)};
    if (answer.result != outcome::records)
        return {false, stop_with(result::temperror, dns_failure(answer, target))};
    return {address_matches(answer.records, ip_.v6 ? m.cidr6 : m.cidr4), std::nullopt};
}

evaluator::term_outcome evaluator::match_mx(const mechanism& m, const std::string& target) {
    // RFC 7208 5.4: the addresses of every MX host; never the target itself.
    const auto mx = resolver_.resolve_one({target, rr_type::mx});
    if (is_void(mx.result)) return {false, count_void_lookup(target)};
    if (mx.result != outcome::records)
        return {false, stop_with(result::temperror, dns_failure(mx, "MX " + target))};
    // RFC 7208 4.6.4: more than 10 MX names is a permerror.
    if (mx.records.size() > max_mx_names)
        return {false, stop_with(result::permerror,
                                 fmt::format("{} has {} MX records, more than {} (RFC 7208 4.6.4)",
                                             target, mx.records.size(), max_mx_names))};
    std::vector<dns::question> questions;
    for (const auto& exchange : mx.records) {
        // A null MX (RFC 7505) names no host.
        if (auto name = query_name(exchange))
            questions.push_back({*name, ip_.v6 ? rr_type::aaaa : rr_type::a});
    }
    const auto answers = resolve(questions);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (is_void(answers[i].result)) continue;
        if (answers[i].result != outcome::records)
            return {false,
                    stop_with(result::temperror, dns_failure(answers[i], questions[i].name))};
        if (address_matches(answers[i].records, ip_.v6 ? m.cidr6 : m.cidr4))
            return {true, std::nullopt};
    }
    return {false, std::nullopt};
}

evaluator::term_outcome evaluator::match_exists(const mechanism&, const std::string& target) {
    // RFC 7208 5.7: an A query whatever the client's address family; any record matches.
    const auto answer = resolver_.resolve_one({target, rr_type::a});
    if (is_void(answer.result)) return {false, count_void_lookup(target)};
    if (answer.result != outcome::records)
        return {false, stop_with(result::temperror, dns_failure(answer, target))};
    return {true, std::nullopt};
}

evaluator::term_outcome evaluator::match_ptr(const mechanism& m, const std::string& domain) {
    if (auto limit = count_dns_term(m.text)) return {false, std::move(limit)};
    const auto target = target_name(m.domain_spec, domain);
    const auto& names = validated_names();
    if (names.void_lookup)
        if (auto limit = count_void_lookup(reverse_name(ip_))) return {false, std::move(limit)};
    if (!target) return {false, std::nullopt};
    // RFC 7208 5.5: a validated name equal to the target or below it.
    const bool matched =
        std::any_of(names.validated.begin(), names.validated.end(),
                    [&](const auto& name) { return is_same_or_subdomain(name, *target); });
    return {matched, std::nullopt};
}

const evaluator::ptr_names& evaluator::validated_names() {
    if (ptr_names_) return *ptr_names_;
    ptr_names_.emplace(ptr_names{});
    // RFC 7208 5.5: a DNS error on the PTR query just gives no names; errors on the address
    // queries skip that name. Only the first 10 names are checked (RFC 7208 4.6.4).
    const auto ptr = resolver_.resolve_one({reverse_name(ip_), rr_type::ptr});
    ptr_names_->void_lookup = is_void(ptr.result);
    if (ptr.result != outcome::records) return *ptr_names_;
    std::vector<dns::question> questions;
    std::vector<std::string> names;
    const auto first = std::min(ptr.records.size(), max_ptr_names);
    for (const auto& name : std::span(ptr.records).first(first)) {
        auto query = query_name(name);
        if (!query) continue;
        names.push_back(name);
        questions.push_back({*query, ip_.v6 ? rr_type::aaaa : rr_type::a});
    }
    const auto answers = resolve(questions);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (answers[i].result == outcome::records &&
            address_matches(answers[i].records, address_bits(ip_)))
            ptr_names_->validated.push_back(names[i]);
    }
    return *ptr_names_;
}

std::string evaluator::validated_domain(const std::string& domain) {
    // RFC 7208 7.3 %{p}: <domain> itself if validated, else a subdomain of it, else any.
    const auto& validated = validated_names().validated;
    if (validated.empty()) return "unknown";
    for (const auto& name : validated)
        if (is_same_or_subdomain(name, domain) && is_same_or_subdomain(domain, name)) return name;
    for (const auto& name : validated)
        if (is_same_or_subdomain(name, domain)) return name;
    return validated.front();
}

std::string evaluator::explain(const host_result& fail) {
    if (!fail.explanation) return {};
    // RFC 7208 6.2: any problem means "as if no exp= was given"; no limits are charged.
    const auto name =
        query_name(expand_macro_string(*fail.explanation, values(fail.explanation_domain)).text);
    if (!name) return {};
    const auto txt = resolver_.resolve_one({*name, rr_type::txt});
    if (txt.result != outcome::records || txt.records.size() != 1) return {};
    const auto text = parse_macro_string(txt.records.front(), macro_context::explanation);
    if (!text) return {};
    auto explanation = expand_macro_string(*text, values(fail.explanation_domain)).text;
    // It ends up in an SMTP reply: a macro value outside printable US-ASCII (a UTF-8
    // local-part, say) makes it unusable (RFC 7208 6.2, 7.1).
    const bool printable = std::all_of(explanation.begin(), explanation.end(),
                                       [](char c) { return c >= 0x20 && c <= 0x7e; });
    return printable ? explanation : std::string();
}

} // namespace arcrelay::auth::spf::detail
