// report/open_store.hpp — the row store a [reports] database setting names: a SQLite file
// (config resolved "" to <state_dir>/reports.sqlite) or a postgresql:// URI. The daemon's
// recorder and `arcrelay reports` open their store here.
#pragma once

#include "report/store.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace arcrelay::report {

bool names_postgresql(std::string_view database);

// `shown` is `database` without a password, for messages. Errors as open_sqlite_store or
// open_pg_store.
result<std::unique_ptr<row_store>> open_row_store(const std::string& database,
                                                  const std::string& shown);

// The schema version this build writes to that kind of store.
int schema_version_written(std::string_view database);

} // namespace arcrelay::report
