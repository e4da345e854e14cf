// report/row.cpp — names of the RFC 9990 XSD enumerations (and of the store's delivery
// states) and the ARC reason comment.
#include "report/row.hpp"
#include "report/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace arcrelay::report {

namespace {

template <class E, std::size_t N>
using name_table = std::array<std::pair<E, std::string_view>, N>;

constexpr name_table<policy, 3> policy_names{
    {{policy::none, "none"}, {policy::quarantine, "quarantine"}, {policy::reject, "reject"}}};
constexpr name_table<alignment, 2> alignment_names{
    {{alignment::relaxed, "r"}, {alignment::strict, "s"}}};
constexpr name_table<discovery, 2> discovery_names{
    {{discovery::psl, "psl"}, {discovery::treewalk, "treewalk"}}};
constexpr name_table<disposition, 4> disposition_names{{{disposition::none, "none"},
                                                        {disposition::pass, "pass"},
                                                        {disposition::quarantine, "quarantine"},
                                                        {disposition::reject, "reject"}}};
constexpr name_table<override_type, 5> override_names{
    {{override_type::local_policy, "local_policy"},
     {override_type::mailing_list, "mailing_list"},
     {override_type::other, "other"},
     {override_type::policy_test_mode, "policy_test_mode"},
     {override_type::trusted_forwarder, "trusted_forwarder"}}};
constexpr name_table<delivery_state, 4> delivery_names{{{delivery_state::pending, "pending"},
                                                        {delivery_state::sent, "sent"},
                                                        {delivery_state::deferred, "deferred"},
                                                        {delivery_state::failed, "failed"}}};

template <class E, std::size_t N>
std::string_view name_of(const name_table<E, N>& table, E value) {
    for (const auto& [e, name] : table)
        if (e == value) return name;
    return table.front().second;
}

template <class E, std::size_t N>
result<E> value_of(const name_table<E, N>& table, std::string_view name, std::string_view what) {
    for (const auto& [e, n] : table)
        if (n == name) return e;
    return permanent_error(fmt::format("unknown {} \"{}\"", what, name));
}

} // namespace

std::string_view to_string(policy p) {
    return name_of(policy_names, p);
}
std::string_view to_string(alignment a) {
    return name_of(alignment_names, a);
}
std::string_view to_string(discovery d) {
    return name_of(discovery_names, d);
}
std::string_view to_string(disposition d) {
    return name_of(disposition_names, d);
}
std::string_view to_string(override_type t) {
    return name_of(override_names, t);
}

std::string_view to_string(delivery_state s) {
    return name_of(delivery_names, s);
}

result<policy> parse_policy(std::string_view s) {
    return value_of(policy_names, s, "policy");
}
result<alignment> parse_alignment(std::string_view s) {
    return value_of(alignment_names, s, "alignment mode");
}
result<discovery> parse_discovery(std::string_view s) {
    return value_of(discovery_names, s, "discovery method");
}
result<disposition> parse_disposition(std::string_view s) {
    return value_of(disposition_names, s, "disposition");
}
result<override_type> parse_override_type(std::string_view s) {
    return value_of(override_names, s, "override reason");
}

result<delivery_state> parse_delivery_state(std::string_view s) {
    return value_of(delivery_names, s, "delivery state");
}

std::string format_arc_comment(std::vector<arc_seal_identity> seals,
                               std::string_view first_client_ip) {
    std::sort(seals.begin(), seals.end(),
              [](const auto& a, const auto& b) { return a.instance > b.instance; });
    std::string out = "arc=pass";
    for (const auto& s : seals)
        out += fmt::format(" as[{0}].d={1} as[{0}].s={2}", s.instance, s.domain, s.selector);
    if (!first_client_ip.empty()) out += fmt::format(" client-ip[1]={}", first_client_ip);
    return out;
}

} // namespace arcrelay::report
