// auth/results/removal.hpp — which Authentication-Results fields to remove or trust
// (RFC 8601 5: delete fields that claim our authserv-id before adding ours; keep those of
// configured trusted upstream authserv-ids). Both work on field values.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace arcrelay::auth::results {

// True when the field's authserv-id equals `our_id` (ASCII case-insensitive). A value whose
// authserv-id cannot be read (broken comment, stray octets, oversized) counts as a claim when
// `our_id` appears in it as a whole word (not inside a longer token such as "sub.<our_id>"):
// removing a broken field is harmless, letting a forgery through is not.
bool claims_authserv_id(std::string_view field_value, std::string_view our_id);

// True when the field's authserv-id is one of `trusted_ids` (ASCII case-insensitive). A value
// whose authserv-id cannot be read is never trusted.
bool is_trusted(std::string_view field_value, std::span<const std::string> trusted_ids);

} // namespace arcrelay::auth::results
