// report/sqlite_store.hpp — the row store in one SQLite file (Debian libsqlite3), the default
// for a single arcrelay host: `<state_dir>/reports.sqlite`.
//
// WAL journal (readers such as `arcrelay reports show` never block the writer), a busy
// timeout, and one writer: the daemon's recorder thread. The schema is created and migrated
// by arcrelay itself: table schema_version holds the version; each migration runs in its
// own transaction, and a database newer than this build is refused rather than guessed at.
#pragma once

#include "report/store.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace arcrelay::report {

// The schema this build writes (the number of migrations it knows).
inline constexpr int sqlite_schema_version = 2; // 2: deliveries and the sending lease
inline constexpr std::chrono::milliseconds sqlite_busy_timeout{5000};

// Opens (creating it and its schema when missing) the database at `path`. Errors
// (permanent, naming the path): cannot open or create it, not a database, a schema version
// newer than sqlite_schema_version, a migration that failed.
result<std::unique_ptr<row_store>> open_sqlite_store(const std::string& path);

// The schema version recorded in the database at `path` (0 for an empty database), for
// check-config and tests. Errors as open_sqlite_store.
result<int> sqlite_schema_version_of(const std::string& path);

} // namespace arcrelay::report
