// report/row.hpp — what one DMARC evaluation against a published record contributes to an
// aggregate report (RFC 9990 3.1 and its XSD: policy_published, row, identifiers,
// auth_results). One row per evaluated message and author domain; rows are aggregated into
// records with counts when a report is built.
//
// Never a row for the virtual record (draft-akagiri-dmarc-virtual-verification-02 8) nor for
// an incoming DMARC report (no report ping-pong); see should_record in relay/.
// Plain data: no database, no clock. Names are the XSD's enumeration values.
#pragma once

#include "base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::report {

enum class policy { none, quarantine, reject };            // XSD DispositionType
enum class alignment { relaxed, strict };                  // XSD AlignmentType r / s
enum class discovery { psl, treewalk };                    // XSD DiscoveryType
enum class disposition { none, pass, quarantine, reject }; // XSD ActionDispositionType
enum class override_type {                                 // XSD PolicyOverrideType
    local_policy,
    mailing_list,
    other,
    policy_test_mode,
    trusted_forwarder,
};

// RFC 9990 3.1.1 policy_published: the record that was applied, as published.
struct published_policy {
    std::string domain; // where the record was found (the policy domain)
    policy p = policy::none;
    std::optional<policy> sp;
    std::optional<policy> np;
    alignment adkim = alignment::relaxed;
    alignment aspf = alignment::relaxed;
    discovery discovery_method = discovery::treewalk;
    bool testing = false; // t=y
    std::string fo = "0";
    std::vector<std::string> rua; // where the report goes (RFC 9989 4.7 rua)

    bool operator==(const published_policy&) const = default;
};

struct dkim_auth_result {
    std::string domain;   // d=
    std::string selector; // s=
    std::string result;   // XSD DKIMResultType (RFC 8601 2.7.1)
    bool operator==(const dkim_auth_result&) const = default;
};

struct spf_auth_result {
    std::string domain;          // MAIL FROM domain (HELO when MAIL FROM is empty)
    std::string scope = "mfrom"; // XSD SPFDomainScope
    std::string result = "none"; // XSD SPFResultType (RFC 8601 2.7.2)
    bool operator==(const spf_auth_result&) const = default;
};

struct override_reason {
    override_type type = override_type::other;
    std::string comment; // e.g. "arc=pass as[2].d=... client-ip[1]=..." (may be empty)
    bool operator==(const override_reason&) const = default;
};

struct dmarc_row {
    std::int64_t time = 0;     // UTC, seconds since the epoch: when the message was evaluated
    std::string source_ip;     // the connecting client (RFC 9990 row/source_ip)
    std::string header_from;   // RFC5322.From domain
    std::string envelope_from; // RFC5321.MailFrom domain ("" for the null sender)
    std::string envelope_to;   // the envelope recipient domain
    published_policy policy;
    bool dkim_aligned = false; // policy_evaluated/dkim: an aligned DKIM pass
    bool spf_aligned = false;  // policy_evaluated/spf: an aligned SPF pass
    std::vector<dkim_auth_result> dkim;
    spf_auth_result spf;
    disposition applied = disposition::none; // what arcrelay did with the message
    std::vector<override_reason> reasons;

    bool operator==(const dmarc_row&) const = default;
};

std::string_view to_string(policy p);
std::string_view to_string(alignment a); // "r" / "s"
std::string_view to_string(discovery d);
std::string_view to_string(disposition d);
std::string_view to_string(override_type t);

// The reverse of to_string, for what a store reads back. Error (permanent): an unknown name.
result<policy> parse_policy(std::string_view s);
result<alignment> parse_alignment(std::string_view s);
result<discovery> parse_discovery(std::string_view s);
result<disposition> parse_disposition(std::string_view s);
result<override_type> parse_override_type(std::string_view s);

// One ARC-Seal of a chain that passed, for the OpenDMARC-style reason comment.
struct arc_seal_identity {
    std::uint32_t instance = 0;
    std::string domain;   // d=
    std::string selector; // s=
};

// "arc=pass as[N].d=D as[N].s=S ... as[1].d=D as[1].s=S client-ip[1]=IP", newest instance
// first as OpenDMARC writes it; client-ip[1] is the address the first ARC hop saw (omitted
// when unknown). RFC 8617 7.2, draft-ietf-dmarc-arc-usage 3.9.
std::string format_arc_comment(std::vector<arc_seal_identity> seals,
                               std::string_view first_client_ip);

} // namespace arcrelay::report
