// auth/spf/check.cpp — the MAIL FROM and HELO identities (RFC 7208 2.3, 2.4, 4.3) around
// check_host().
#include "auth/spf/check.hpp"

#include "auth/spf/domain_name.hpp"
#include "auth/spf/evaluator.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::spf {
namespace {

constexpr std::string_view default_local_part = "postmaster"; // RFC 7208 2.3, 2.4, 4.3

std::optional<std::string> identity_query_name(const std::string& domain) {
    return valid_identity_domain(domain) ? query_name(domain) : std::nullopt;
}

// RFC 7208 2.4: the null reverse-path is checked as postmaster@<HELO name>.
std::string mail_from_domain(const request& req) {
    if (req.mail_from.empty()) return req.helo;
    const auto at = req.mail_from.rfind('@');
    return at == std::string::npos ? req.mail_from : req.mail_from.substr(at + 1);
}

verdict check_identity(dns::resolver& resolver, const request& req, identity id,
                       std::string local_part, const std::string& domain) {
    verdict v;
    v.identity = id;
    v.domain = domain;
    if (local_part.empty()) local_part = default_local_part;
    v.sender = local_part + "@" + domain;
    // RFC 7208 4.3: a malformed or single-label domain gives "none" without any lookup.
    const auto name = identity_query_name(domain);
    if (!name) {
        v.result = result::none;
        v.reason = fmt::format("'{}' is not a valid domain name (RFC 7208 4.3)", domain);
        return v;
    }
    v.domain = *name; // without a trailing dot
    v.sender = local_part + "@" + *name;
    detail::evaluator evaluator(resolver, unmap_ipv4(req.client_ip), v.sender, local_part, *name,
                                req);
    auto outcome = evaluator.check_host(*name);
    v.result = outcome.result;
    v.reason = std::move(outcome.reason);
    v.used_local_part = evaluator.used_local_part();
    if (v.result == result::fail) v.explanation = evaluator.explain(outcome);
    return v;
}

} // namespace

verdict check_mail_from(dns::resolver& resolver, const request& req) {
    const auto at = req.mail_from.rfind('@');
    std::string local_part = at == std::string::npos ? std::string() : req.mail_from.substr(0, at);
    return check_identity(resolver, req, identity::mailfrom, std::move(local_part),
                          mail_from_domain(req));
}

verdict check_helo(dns::resolver& resolver, const request& req) {
    return check_identity(resolver, req, identity::helo, {}, req.helo);
}

std::vector<dns::question> record_questions(const request& req, bool with_helo) {
    std::vector<dns::question> out;
    if (auto name = identity_query_name(mail_from_domain(req)))
        out.push_back({std::move(*name), dns::rr_type::txt});
    if (with_helo)
        if (auto name = identity_query_name(req.helo))
            out.push_back({std::move(*name), dns::rr_type::txt});
    return out;
}

} // namespace arcrelay::auth::spf
