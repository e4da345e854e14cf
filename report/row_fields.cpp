// report/row_fields.cpp — dmarc_row <-> column text (see row_fields.hpp).
#include "report/row_fields.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace arcrelay::report {

namespace {

enum column : std::size_t {
    c_time,
    c_source_ip,
    c_header_from,
    c_envelope_from,
    c_envelope_to,
    c_policy_domain,
    c_p,
    c_sp,
    c_np,
    c_adkim,
    c_aspf,
    c_discovery,
    c_testing,
    c_fo,
    c_rua,
    c_dkim_aligned,
    c_spf_aligned,
    c_dkim,
    c_spf_domain,
    c_spf_scope,
    c_spf_result,
    c_disposition,
    c_reasons,
};
static_assert(c_reasons + 1 == row_field_count);

template <class E>
std::optional<std::string> optional_name(const std::optional<E>& value) {
    if (!value) return std::nullopt;
    return std::string(to_string(*value));
}

std::string flag(bool b) {
    return b ? "1" : "0";
}

std::string dkim_json(const std::vector<dkim_auth_result>& dkim) {
    auto array = nlohmann::json::array();
    for (const auto& d : dkim)
        array.push_back({d.domain, d.selector, d.result});
    return array.dump();
}

std::string reasons_json(const std::vector<override_reason>& reasons) {
    auto array = nlohmann::json::array();
    for (const auto& r : reasons)
        array.push_back({to_string(r.type), r.comment});
    return array.dump();
}

// Reads the fields of one row; the first problem is kept in problem_.
class field_reader {
public:
    explicit field_reader(const row_fields& f) : f_(f) {}

    std::string text(column c) const { return f_[c].value_or(std::string()); }

    template <class E>
    void name(column c, result<E> (*parse)(std::string_view), E& out) {
        auto v = parse(text(c));
        if (v)
            out = *v;
        else
            note(v.error().message);
    }

    template <class E>
    void optional(column c, result<E> (*parse)(std::string_view), std::optional<E>& out) {
        if (!f_[c]) return;
        E value{};
        name(c, parse, value);
        out = value;
    }

    bool boolean(column c) {
        const auto t = text(c);
        if (t == "1" || t == "t" || t == "true") return true;
        if (t != "0" && t != "f" && t != "false") note(fmt::format("bad flag \"{}\"", t));
        return false;
    }

    std::int64_t number(column c) {
        const auto t = text(c);
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size() || t.empty())
            note(fmt::format("bad time \"{}\"", t));
        return v;
    }

    void note(std::string problem) {
        if (problem_.empty()) problem_ = std::move(problem);
    }
    const std::string& problem() const { return problem_; }

private:
    const row_fields& f_;
    std::string problem_;
};

} // namespace

row_fields fields_of(const dmarc_row& r) {
    const auto& pp = r.policy;
    row_fields f;
    f[c_time] = std::to_string(r.time);
    f[c_source_ip] = r.source_ip;
    f[c_header_from] = r.header_from;
    f[c_envelope_from] = r.envelope_from;
    f[c_envelope_to] = r.envelope_to;
    f[c_policy_domain] = pp.domain;
    f[c_p] = std::string(to_string(pp.p));
    f[c_sp] = optional_name(pp.sp);
    f[c_np] = optional_name(pp.np);
    f[c_adkim] = std::string(to_string(pp.adkim));
    f[c_aspf] = std::string(to_string(pp.aspf));
    f[c_discovery] = std::string(to_string(pp.discovery_method));
    f[c_testing] = flag(pp.testing);
    f[c_fo] = pp.fo;
    f[c_rua] = nlohmann::json(pp.rua).dump();
    f[c_dkim_aligned] = flag(r.dkim_aligned);
    f[c_spf_aligned] = flag(r.spf_aligned);
    f[c_dkim] = dkim_json(r.dkim);
    f[c_spf_domain] = r.spf.domain;
    f[c_spf_scope] = r.spf.scope;
    f[c_spf_result] = r.spf.result;
    f[c_disposition] = std::string(to_string(r.applied));
    f[c_reasons] = reasons_json(r.reasons);
    return f;
}

result<dmarc_row> row_of(const row_fields& f) {
    field_reader in(f);
    dmarc_row r;
    auto& pp = r.policy;
    r.time = in.number(c_time);
    r.source_ip = in.text(c_source_ip);
    r.header_from = in.text(c_header_from);
    r.envelope_from = in.text(c_envelope_from);
    r.envelope_to = in.text(c_envelope_to);
    pp.domain = in.text(c_policy_domain);
    in.name(c_p, parse_policy, pp.p);
    in.optional(c_sp, parse_policy, pp.sp);
    in.optional(c_np, parse_policy, pp.np);
    in.name(c_adkim, parse_alignment, pp.adkim);
    in.name(c_aspf, parse_alignment, pp.aspf);
    in.name(c_discovery, parse_discovery, pp.discovery_method);
    pp.testing = in.boolean(c_testing);
    pp.fo = in.text(c_fo);
    r.dkim_aligned = in.boolean(c_dkim_aligned);
    r.spf_aligned = in.boolean(c_spf_aligned);
    r.spf = {in.text(c_spf_domain), in.text(c_spf_scope), in.text(c_spf_result)};
    in.name(c_disposition, parse_disposition, r.applied);
    try {
        pp.rua = nlohmann::json::parse(in.text(c_rua)).get<std::vector<std::string>>();
        for (const auto& d : nlohmann::json::parse(in.text(c_dkim)))
            r.dkim.push_back({d.at(0).get<std::string>(), d.at(1).get<std::string>(),
                              d.at(2).get<std::string>()});
        for (const auto& reason : nlohmann::json::parse(in.text(c_reasons))) {
            auto type = parse_override_type(reason.at(0).get<std::string>());
            if (!type) {
                in.note(type.error().message);
                break;
            }
            r.reasons.push_back({*type, reason.at(1).get<std::string>()});
        }
    } catch (const nlohmann::json::exception& e) {
        in.note(fmt::format("bad list column: {}", e.what()));
    }
    if (!in.problem().empty()) return permanent_error("stored row: " + in.problem());
    return r;
}

} // namespace arcrelay::report
