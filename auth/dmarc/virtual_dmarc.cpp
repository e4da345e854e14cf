// auth/dmarc/virtual_dmarc.cpp — draft-akagiri-dmarc-virtual-verification-02 3.2 and 4.
#include "auth/dmarc/virtual_dmarc.hpp"

#include "auth/dmarc/alignment.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace arcrelay::auth::dmarc {

const record& virtual_record() {
    static const record parsed = [] {
        auto r = parse_record(virtual_record_text);
        if (!r) throw std::logic_error("virtual DMARC record: " + r.error().message);
        return std::move(r).value();
    }();
    return parsed;
}

void evaluate_virtual(dmarc_result& out, const evaluation_input& input, virtual_dmarc_mode mode,
                      organizational_domains& org, std::string_view no_record) {
    out.result = verdict::none;
    if (mode == virtual_dmarc_mode::off) {
        out.reason = std::string(no_record);
        return;
    }
    // Figure 1 None(2): a pass aligned under the virtual record's strict modes (draft 4:
    // relaxed would let a hosting provider's other customers pass for each other).
    const auto aligned = align_identifiers(input, virtual_record(), org);
    if (!aligned.aligned) {
        out.reason = fmt::format("{}; virtual DMARC: {}", no_record, aligned.detail);
        return;
    }
    out.virtual_record = true;
    out.reason = fmt::format("{}; virtual DMARC: {}", no_record, aligned.detail);
    if (mode == virtual_dmarc_mode::bestguesspass) {
        out.comment = std::string(virtual_comment);
        out.result = verdict::bestguesspass;
        return;
    }
    // Mode property (the default): the local evaluation is a property of dmarc=none, never a
    // pass no domain owner asked for; mode pass (explicit) reports it as dmarc=pass.
    out.result = mode == virtual_dmarc_mode::pass ? verdict::pass : verdict::none;
    out.comment = mode == virtual_dmarc_mode::pass ? std::string(virtual_comment)
                                                   : fmt::format("{}: pass", virtual_comment);
    out.published = virtual_record().p;
    out.published_by = policy_tag::p;
    out.properties.emplace_back("policy.dmarc", to_string(virtual_record().p));
    out.properties.emplace_back(virtual_source_property, "virtual");
    out.properties.emplace_back(virtual_verdict_property, "pass");
}

} // namespace arcrelay::auth::dmarc
