// auth/results/aar.cpp — AR consolidation into the ARC-Authentication-Results value
// (RFC 8617 4.1.1; arc_test_suite README "AR Consolidation").
#include "auth/results/aar.hpp"

#include "auth/results/fold.hpp"
#include "auth/results/removal.hpp"
#include "auth/results/write.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

namespace arcrelay::auth::results {

namespace {

// Each result after the first starts a line with one tab.
constexpr std::string_view line_start = "\r\n\t";
constexpr std::size_t continuation_column = 1;

} // namespace

result<std::vector<method_result>> collect_results(std::span<const std::string_view> field_values,
                                                   std::string_view authserv_id) {
    std::vector<method_result> out;
    for (std::size_t i = 0; i < field_values.size(); ++i) {
        if (!claims_authserv_id(field_values[i], authserv_id)) continue;
        auto ar = parse_authentication_results(field_values[i]);
        if (!ar)
            return permanent_error(fmt::format("field {} of ours: {}", i + 1, ar.error().message));
        if (out.size() + ar->results.size() > max_results)
            return permanent_error("AAR: more than max_results results");
        for (method_result& r : ar->results)
            out.push_back(std::move(r));
    }
    return out;
}

std::string format_aar_value(unsigned instance, std::string_view authserv_id,
                             std::span<const method_result> results, std::size_t name_length) {
    if (instance < 1 || instance > max_arc_instance)
        throw std::invalid_argument(fmt::format("AAR: instance {} outside 1..50", instance));
    std::string out;
    std::size_t column = detail::append_folded(
        out, fmt::format("i={}; {};", instance, detail::format_authserv_id(authserv_id)),
        name_length);
    if (results.empty()) {
        detail::append_folded(out, " none", column);
        return out;
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        const method_result& r = results[i];
        std::string piece = r.text.empty() ? format_method_result(r) : r.text;
        if (i + 1 < results.size()) piece += ';';
        if (i == 0) {
            column = detail::append_folded(out, " " + piece, column);
        } else {
            out.append(line_start);
            column = detail::append_folded(out, piece, continuation_column);
        }
    }
    return out;
}

} // namespace arcrelay::auth::results
