// auth/dmarc/evaluate.hpp — DMARC evaluation of one message (RFC 9989 5.3, 4.10; RFC 7489
// with the Public Suffix List when so configured) with virtual DMARC
// (draft-akagiri-dmarc-virtual-verification-02).
//
// The policy of a failing message is applied as published, relaxed one level by t=y
// (RFC 9989 4.7 t); pct no longer samples (RFC 9989 A.6), in either org_domain method.
// Result names are RFC 9989 9.2's: pass, fail, none, temperror, permerror, plus Office 365's
// bestguesspass for virtual DMARC when so configured. A DNS temporary failure gives
// temperror, never a permanent verdict; so does an SPF or DKIM temperror for an aligned
// domain when nothing else aligns. np is only consulted when it differs from sp: the author
// domain then counts as non-existent when A, AAAA and MX are all NXDOMAIN/NODATA (RFC 9989
// 3.2.13, 4.10.1); if that cannot be told, a failing message is temperror and a passing one reports
// sp.
//
// Virtual DMARC (draft 3.2, 4): when neither the author domain nor its organizational domain
// publishes a DMARC record and SPF or DKIM passed, the message is evaluated against
// virtual_record_text (p=none, strict alignment). The draft's 3.2 describes a local
// evaluation, not a policy any domain owner published, so by default (mode property) a
// strictly aligned pass stays `dmarc=none` with the comment "virtual DMARC: pass" and the
// properties policy.dmarc-source=virtual, policy.dmarc-virtual=pass. Only the explicitly
// chosen mode pass reports `dmarc=pass` (marked the same way), and mode bestguesspass
// `dmarc=bestguesspass`; anything not aligned stays `none`. Reports are never sent for a
// virtual record (draft 8).
#pragma once

#include "auth/dmarc/evaluation_input.hpp"
#include "auth/dmarc/organizational_domain.hpp"
#include "auth/dmarc/public_suffix_list.hpp"
#include "auth/dmarc/record.hpp"
#include "dns/resolver.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arcrelay::auth::dmarc {

enum class virtual_dmarc_mode { off, property, pass, bestguesspass };

// draft-akagiri-dmarc-virtual-verification-02 4, Table 1.
inline constexpr std::string_view virtual_record_text = "v=DMARC1; p=none; adkim=s; aspf=s";
inline constexpr std::string_view virtual_source_property = "policy.dmarc-source";
inline constexpr std::string_view virtual_verdict_property = "policy.dmarc-virtual";
inline constexpr std::string_view virtual_comment = "virtual DMARC";

struct evaluation_options {
    org_domain_method method = org_domain_method::tree_walk; // RFC 9989 4.10
    virtual_dmarc_mode virtual_mode = virtual_dmarc_mode::property;
};

enum class verdict { pass, fail, none, temperror, permerror, bestguesspass };
enum class policy_tag { p, sp, np };

struct dmarc_result {
    verdict result = verdict::none;
    std::string header_from;                // the RFC5322.From domain, canonical form
    std::optional<policy> published;        // the policy that applied (policy.dmarc)
    std::optional<policy_tag> published_by; // p, sp (subdomain) or np (non-existent subdomain)
    policy disposition = policy::none;      // what to do after t=y (RFC 9989 4.7 t)
    std::string policy_domain;              // where the record was found; empty without one
    bool virtual_record = false;            // evaluated against virtual_record_text
    bool reports_allowed = false;           // a published record applied (never for virtual)
    std::optional<record> applied_record;   // that record, for RFC 9990 policy_published
    org_domain_method method = org_domain_method::tree_walk; // how it was discovered
    bool dkim_aligned = false;                               // RFC 9990 policy_evaluated/dkim
    bool spf_aligned = false;                                // RFC 9990 policy_evaluated/spf
    std::string reason;                                      // for humans and A-R reason=
    std::string comment; // A-R comment text without parentheses, or empty
    std::vector<std::pair<std::string, std::string>> properties; // ptype.property, value
};

// Evaluates one message. Never throws for bad input: a malformed From domain is permerror.
dmarc_result evaluate(const evaluation_input& input, const evaluation_options& options,
                      dns::resolver& resolver, const public_suffix_list& psl);

std::string_view to_string(verdict v);
std::string_view to_string(policy_tag t);

} // namespace arcrelay::auth::dmarc
