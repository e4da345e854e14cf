// tests/unit/auth_dmarc/test_support.hpp — shared fixture: the test Public Suffix List, a
// static zone, and an evaluate() call.
#pragma once

#include "auth/dmarc/evaluate.hpp"
#include "auth/dmarc/public_suffix_list.hpp"
#include "dns/static_zone.hpp"

#include <string>

namespace dmarc_test {

using namespace arcrelay::auth::dmarc;
using arcrelay::dns::rr_type;
using arcrelay::dns::static_zone;

inline const public_suffix_list& test_psl() {
    static const auto psl = public_suffix_list::load(std::string(ARCRELAY_TEST_DATA) +
                                                     "/auth_dmarc/public_suffix_list.dat");
    return psl;
}

struct fixture {
    static_zone zone;
    evaluation_options options;

    void txt(const std::string& name, const std::string& text) {
        zone.add(name, rr_type::txt, text);
    }

    dmarc_result run(const evaluation_input& input) {
        return evaluate(input, options, zone, test_psl());
    }
};

inline evaluation_input dkim_only(std::string from, std::string d, std::string result = "pass") {
    return {std::move(from), {}, {{std::move(d), std::move(result)}}};
}

inline evaluation_input spf_only(std::string from, std::string domain,
                                 std::string result = "pass") {
    return {std::move(from), {std::move(result), std::move(domain)}, {}};
}

inline std::string property(const dmarc_result& r, std::string_view name) {
    for (const auto& [key, value] : r.properties)
        if (key == name) return value;
    return {};
}

} // namespace dmarc_test
