// report/open_store.cpp — SQLite for a path, PostgreSQL for a URI (see the header).
#include "report/open_store.hpp"

#include "report/pg_store.hpp"
#include "report/sqlite_store.hpp"

namespace arcrelay::report {

bool names_postgresql(std::string_view database) {
    return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

result<std::unique_ptr<row_store>> open_row_store(const std::string& database,
                                                  const std::string& shown) {
    if (names_postgresql(database)) return open_pg_store(database, shown);
    return open_sqlite_store(database);
}

int schema_version_written(std::string_view database) {
    return names_postgresql(database) ? pg_schema_version : sqlite_schema_version;
}

} // namespace arcrelay::report
