// config/database_uri.hpp — the [reports] database setting when it names a PostgreSQL
// server: checked with libpq's own parser (PQconninfoParse) at load, so check-config finds
// what the daemon's first connection would refuse. Never connects (only report/ talks to a
// database) and never lets the password into a message.
#pragma once

#include "base/result.hpp"

#include <string>
#include <string_view>

namespace arcrelay::config {

// "postgresql://..." or "postgres://..." (RFC 3986 URIs as libpq reads them).
bool is_postgresql_uri(std::string_view database);

// Ok: the URI as it may be shown (postgresql://user@host:port/dbname, no password).
// Error (permanent): libpq's reason with any password masked as "***", or a port outside
// 1-65535.
result<std::string> check_postgresql_uri(const std::string& uri);

// `uri` with the userinfo password and a password= parameter replaced by "***".
std::string mask_password(std::string_view uri);

} // namespace arcrelay::config
