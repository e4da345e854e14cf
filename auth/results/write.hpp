// auth/results/write.hpp — writer pieces shared by the A-R and AAR writers.
#pragma once

#include <string>
#include <string_view>

namespace arcrelay::auth::results::detail {

// The authserv-id as a token, or as a quoted-string when it is not one (RFC 8601 2.2 value).
// Throws std::invalid_argument for an empty id (a broken invariant).
std::string format_authserv_id(std::string_view authserv_id);

} // namespace arcrelay::auth::results::detail
