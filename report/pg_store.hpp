// report/pg_store.hpp — the row store on a PostgreSQL server (Debian libpq), for several
// arcrelay instances behind one MX that all write to one database:
// `[reports] database = "postgresql://..."`.
//
// The schema is created and migrated by arcrelay itself: table schema_version holds the
// version; the migrations run in one transaction under a transaction-level advisory lock
// (pg_migration_lock_key), so two instances starting at once never race, and a database
// newer than this build is refused. Each insert() is one transaction. A connection the
// server dropped is reset on the next call; a batch that failed is an error (the recorder
// counts it as dropped) and the next one reconnects.
//
// Sending (several instances, one database): the lease is one row taken by a single
// INSERT ... ON CONFLICT DO UPDATE ... WHERE (free, expired or ours), atomic under
// PostgreSQL's row lock; deliveries are upserted per (report part, destination).
#pragma once

#include "report/store.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace arcrelay::report {

// The schema this build writes (the number of migrations it knows).
inline constexpr int pg_schema_version = 2; // 2: deliveries and the sending lease
inline constexpr std::chrono::seconds pg_connect_timeout{5};
// No statement of the store waits longer (a lock held by a stuck peer, a slow server).
inline constexpr std::chrono::seconds pg_statement_timeout{30};
// pg_advisory_xact_lock key of the migrations: "arcrelay" read as a big-endian integer.
inline constexpr std::int64_t pg_migration_lock_key = 0x6172'6372'656c'6179;

// Connects to `uri` (a libpq URI; `shown` is the same without its password, used in every
// message) and creates or migrates the schema. Errors name `shown`: cannot connect or a
// statement failed (temporary: the server may come back); a schema version newer than
// pg_schema_version (permanent).
result<std::unique_ptr<row_store>> open_pg_store(const std::string& uri, const std::string& shown);

// The schema version recorded in the database (0 when arcrelay never ran there), for
// reports status and tests. Errors as open_pg_store.
result<int> pg_schema_version_of(const std::string& uri, const std::string& shown);

} // namespace arcrelay::report
