// auth/results/aar.hpp — the content of our ARC-Authentication-Results (RFC 8617 4.1.1):
// "i=N; authserv-id; " followed by the results of all our Authentication-Results fields.
//
// AR consolidation (ValiMail arc_test_suite README, "AR Consolidation"): every A-R field with
// our authserv-id is taken in message order, each complete result is kept in order, and the
// results go into the AAR one per line, the first on the line of the authserv-id:
//
//   i=1; lists.example.org; arc=none;\r\n\tspf=pass smtp.mfrom=jqd@d1.example;\r\n\t
//   dkim=pass (1024-bit key) header.i=@d1.example;\r\n\tdmarc=pass
//
// Each result is written as it stood in its A-R field (method_result::text: unfolded, trimmed,
// comments kept), so the AAR equals the suite's expected AAR text byte for byte when its lines
// are joined with "\r\n\t" (and is the same under relaxed header canonicalization, which the
// ARC-Seal uses). A result built in code (empty text) is written by format_method_result.
#pragma once

#include "auth/results/authentication_results.hpp"
#include "base/result.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::auth::results {

// The results of every field in `field_values` (message order) that claims `authserv_id`
// (claims_authserv_id), concatenated in order; fields of other authserv-ids are skipped.
// Errors: a claiming field that does not parse (it must be ours, inbound forgeries having been
// removed), or more than max_results results in all.
result<std::vector<method_result>> collect_results(std::span<const std::string_view> field_values,
                                                   std::string_view authserv_id);

// The AAR value laid out as above; "i=N; authserv-id; none" when `results` is empty. A result
// line longer than max_line_length is folded at its whitespace; `name_length` is the column the
// value starts at. Throws std::invalid_argument for an instance outside 1..max_arc_instance or
// an empty authserv-id (broken invariants).
std::string format_aar_value(unsigned instance, std::string_view authserv_id,
                             std::span<const method_result> results,
                             std::size_t name_length = arc_authentication_results_name_length);

} // namespace arcrelay::auth::results
