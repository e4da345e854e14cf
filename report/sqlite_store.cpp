// report/sqlite_store.cpp — SQLite row store: schema migrations, WAL, prepared statements.
// The per-row lists (DKIM results, reasons, rua) are JSON text columns: they are only ever
// read back whole, per row.
#include "report/sqlite_store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <array>
#include <string_view>

namespace arcrelay::report {

namespace {

// Migration i takes the schema from version i to i + 1.
constexpr std::array<std::string_view, sqlite_schema_version> migrations{
    R"sql(
CREATE TABLE dmarc_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    source_ip TEXT NOT NULL,
    header_from TEXT NOT NULL,
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    p TEXT NOT NULL,
    sp TEXT,
    np TEXT,
    adkim TEXT NOT NULL,
    aspf TEXT NOT NULL,
    discovery_method TEXT NOT NULL,
    testing INTEGER NOT NULL,
    fo TEXT NOT NULL,
    rua TEXT NOT NULL,
    dkim_aligned INTEGER NOT NULL,
    spf_aligned INTEGER NOT NULL,
    dkim TEXT NOT NULL,
    spf_domain TEXT NOT NULL,
    spf_scope TEXT NOT NULL,
    spf_result TEXT NOT NULL,
    disposition TEXT NOT NULL,
    reasons TEXT NOT NULL
);
CREATE INDEX dmarc_rows_by_time ON dmarc_rows (time);
CREATE INDEX dmarc_rows_by_domain ON dmarc_rows (policy_domain, time);
)sql",
};

constexpr std::string_view row_columns =
    "time, source_ip, header_from, envelope_from, envelope_to, policy_domain, p, sp, np, adkim, "
    "aspf, discovery_method, testing, fo, rua, dkim_aligned, spf_aligned, dkim, spf_domain, "
    "spf_scope, spf_result, disposition, reasons";
constexpr int row_column_count = 23;

struct db_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct statement_finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using db_handle = std::unique_ptr<sqlite3, db_closer>;
using statement = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

error db_error(sqlite3* db, std::string_view doing) {
    return temporary_error(fmt::format("{}: {}", doing, sqlite3_errmsg(db)));
}

status exec(sqlite3* db, const std::string& sql, std::string_view doing) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return ok_v;
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return temporary_error(fmt::format("{}: {}", doing, text));
}

result<statement> prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK)
        return db_error(db, "preparing a statement");
    return statement(raw);
}

void bind_text(sqlite3_stmt* s, int index, std::string_view text) {
    sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

template <class E>
void bind_optional(sqlite3_stmt* s, int index, const std::optional<E>& value) {
    if (value)
        bind_text(s, index, to_string(*value));
    else
        sqlite3_bind_null(s, index);
}

std::string column_text(sqlite3_stmt* s, int index) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, index)))
                : std::string();
}

std::string dkim_json(const std::vector<dkim_auth_result>& dkim) {
    auto array = nlohmann::json::array();
    for (const auto& d : dkim)
        array.push_back({d.domain, d.selector, d.result});
    return array.dump();
}

std::string reasons_json(const std::vector<override_reason>& reasons) {
    auto array = nlohmann::json::array();
    for (const auto& r : reasons)
        array.push_back({to_string(r.type), r.comment});
    return array.dump();
}

void bind_row(sqlite3_stmt* s, const dmarc_row& r) {
    const auto& pp = r.policy;
    sqlite3_bind_int64(s, 1, r.time);
    bind_text(s, 2, r.source_ip);
    bind_text(s, 3, r.header_from);
    bind_text(s, 4, r.envelope_from);
    bind_text(s, 5, r.envelope_to);
    bind_text(s, 6, pp.domain);
    bind_text(s, 7, to_string(pp.p));
    bind_optional(s, 8, pp.sp);
    bind_optional(s, 9, pp.np);
    bind_text(s, 10, to_string(pp.adkim));
    bind_text(s, 11, to_string(pp.aspf));
    bind_text(s, 12, to_string(pp.discovery_method));
    sqlite3_bind_int(s, 13, pp.testing ? 1 : 0);
    bind_text(s, 14, pp.fo);
    bind_text(s, 15, nlohmann::json(pp.rua).dump());
    sqlite3_bind_int(s, 16, r.dkim_aligned ? 1 : 0);
    sqlite3_bind_int(s, 17, r.spf_aligned ? 1 : 0);
    bind_text(s, 18, dkim_json(r.dkim));
    bind_text(s, 19, r.spf.domain);
    bind_text(s, 20, r.spf.scope);
    bind_text(s, 21, r.spf.result);
    bind_text(s, 22, to_string(r.applied));
    bind_text(s, 23, reasons_json(r.reasons));
}

// Reads a name column back through `parse`; a bad value fails the whole row.
template <class E>
bool read_name(sqlite3_stmt* s, int index, result<E> (*parse)(std::string_view), E& out,
               std::string& problem) {
    auto v = parse(column_text(s, index));
    if (!v) {
        problem = v.error().message;
        return false;
    }
    out = *v;
    return true;
}

template <class E>
bool read_optional(sqlite3_stmt* s, int index, result<E> (*parse)(std::string_view),
                   std::optional<E>& out, std::string& problem) {
    if (sqlite3_column_type(s, index) == SQLITE_NULL) return true;
    E value{};
    if (!read_name(s, index, parse, value, problem)) return false;
    out = value;
    return true;
}

result<dmarc_row> read_row(sqlite3_stmt* s) {
    dmarc_row r;
    auto& pp = r.policy;
    std::string problem;
    r.time = sqlite3_column_int64(s, 0);
    r.source_ip = column_text(s, 1);
    r.header_from = column_text(s, 2);
    r.envelope_from = column_text(s, 3);
    r.envelope_to = column_text(s, 4);
    pp.domain = column_text(s, 5);
    const bool names_ok = read_name(s, 6, parse_policy, pp.p, problem) &&
                          read_optional(s, 7, parse_policy, pp.sp, problem) &&
                          read_optional(s, 8, parse_policy, pp.np, problem) &&
                          read_name(s, 9, parse_alignment, pp.adkim, problem) &&
                          read_name(s, 10, parse_alignment, pp.aspf, problem) &&
                          read_name(s, 11, parse_discovery, pp.discovery_method, problem) &&
                          read_name(s, 21, parse_disposition, r.applied, problem);
    if (!names_ok) return permanent_error("stored row: " + problem);
    pp.testing = sqlite3_column_int(s, 12) != 0;
    pp.fo = column_text(s, 13);
    r.dkim_aligned = sqlite3_column_int(s, 15) != 0;
    r.spf_aligned = sqlite3_column_int(s, 16) != 0;
    r.spf = {column_text(s, 18), column_text(s, 19), column_text(s, 20)};
    try {
        pp.rua = nlohmann::json::parse(column_text(s, 14)).get<std::vector<std::string>>();
        for (const auto& d : nlohmann::json::parse(column_text(s, 17)))
            r.dkim.push_back({d.at(0).get<std::string>(), d.at(1).get<std::string>(),
                              d.at(2).get<std::string>()});
        for (const auto& reason : nlohmann::json::parse(column_text(s, 22))) {
            auto type = parse_override_type(reason.at(0).get<std::string>());
            if (!type) return permanent_error("stored row: " + type.error().message);
            r.reasons.push_back({*type, reason.at(1).get<std::string>()});
        }
    } catch (const nlohmann::json::exception& e) {
        return permanent_error(fmt::format("stored row: bad list column: {}", e.what()));
    }
    return r;
}

result<int> read_version(sqlite3* db) {
    auto st = prepare(db, "SELECT version FROM schema_version");
    if (!st) return st.error();
    const int rc = sqlite3_step(st->get());
    if (rc == SQLITE_ROW) return sqlite3_column_int(st->get(), 0);
    if (rc == SQLITE_DONE) return 0;
    return db_error(db, "reading schema_version");
}

// Creates schema_version if needed and runs the migrations this database lacks, each in
// its own transaction.
result<int> migrate(sqlite3* db) {
    auto created = exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                        "creating schema_version");
    if (!created) return created.error();
    auto version = read_version(db);
    if (!version) return version;
    if (*version > sqlite_schema_version)
        return permanent_error(fmt::format("schema version {} is newer than this arcrelay's ({})",
                                           *version, sqlite_schema_version));
    for (int v = *version; v < sqlite_schema_version; ++v) {
        const std::string sql =
            fmt::format("BEGIN IMMEDIATE; {} DELETE FROM schema_version; "
                        "INSERT INTO schema_version (version) VALUES ({}); COMMIT;",
                        migrations[static_cast<std::size_t>(v)], v + 1);
        if (auto done = exec(db, sql, fmt::format("migrating to schema version {}", v + 1));
            !done) {
            exec(db, "ROLLBACK", "rolling back");
            return done.error();
        }
    }
    return sqlite_schema_version;
}

result<db_handle> open_database(const std::string& path) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_handle db(raw);
    if (rc != SQLITE_OK)
        return permanent_error(fmt::format("{}: cannot open: {}", path,
                                           raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(db.get(), static_cast<int>(sqlite_busy_timeout.count()));
    return db;
}

class sqlite_store final : public row_store {
public:
    explicit sqlite_store(db_handle db) : db_(std::move(db)) {}

    status insert(std::span<const dmarc_row> rows) override {
        if (rows.empty()) return ok_v;
        if (!insert_) {
            std::string marks = "?";
            for (int i = 1; i < row_column_count; ++i)
                marks += ",?";
            auto st = prepare(db_.get(), fmt::format("INSERT INTO dmarc_rows ({}) VALUES ({})",
                                                     row_columns, marks));
            if (!st) return st.error();
            insert_ = std::move(*st);
        }
        if (auto begun = exec(db_.get(), "BEGIN IMMEDIATE", "starting the insert"); !begun)
            return begun;
        for (const auto& row : rows) {
            sqlite3_reset(insert_.get());
            sqlite3_clear_bindings(insert_.get());
            bind_row(insert_.get(), row);
            if (sqlite3_step(insert_.get()) != SQLITE_DONE) {
                auto e = db_error(db_.get(), "inserting a row");
                sqlite3_reset(insert_.get());
                exec(db_.get(), "ROLLBACK", "rolling back");
                return e;
            }
        }
        sqlite3_reset(insert_.get());
        if (auto done = exec(db_.get(), "COMMIT", "committing rows"); !done) {
            exec(db_.get(), "ROLLBACK", "rolling back");
            return done;
        }
        return ok_v;
    }

    result<std::vector<dmarc_row>> rows_between(std::int64_t begin, std::int64_t end) override {
        auto st = prepare(db_.get(), fmt::format("SELECT {} FROM dmarc_rows WHERE time >= ? AND "
                                                 "time < ? ORDER BY id",
                                                 row_columns));
        if (!st) return st.error();
        sqlite3_bind_int64(st->get(), 1, begin);
        sqlite3_bind_int64(st->get(), 2, end);
        std::vector<dmarc_row> rows;
        for (;;) {
            const int rc = sqlite3_step(st->get());
            if (rc == SQLITE_DONE) return rows;
            if (rc != SQLITE_ROW) return db_error(db_.get(), "reading rows");
            auto row = read_row(st->get());
            if (!row) return row.error();
            rows.push_back(std::move(*row));
        }
    }

    result<std::size_t> delete_before(std::int64_t before) override {
        auto st = prepare(db_.get(), "DELETE FROM dmarc_rows WHERE time < ?");
        if (!st) return st.error();
        sqlite3_bind_int64(st->get(), 1, before);
        if (sqlite3_step(st->get()) != SQLITE_DONE) return db_error(db_.get(), "deleting rows");
        return static_cast<std::size_t>(sqlite3_changes(db_.get()));
    }

    result<std::size_t> count_rows() override {
        auto st = prepare(db_.get(), "SELECT COUNT(*) FROM dmarc_rows");
        if (!st) return st.error();
        if (sqlite3_step(st->get()) != SQLITE_ROW) return db_error(db_.get(), "counting rows");
        return static_cast<std::size_t>(sqlite3_column_int64(st->get(), 0));
    }

private:
    db_handle db_;
    statement insert_;
};

} // namespace

result<std::unique_ptr<row_store>> open_sqlite_store(const std::string& path) {
    auto db = open_database(path);
    if (!db) return db.error();
    // WAL: the report builder and `reports show` read while the recorder writes.
    if (auto wal = exec(db->get(), "PRAGMA journal_mode=WAL", "enabling WAL"); !wal)
        return permanent_error(fmt::format("{}: {}", path, wal.error().message));
    // NORMAL: no fsync per commit; in WAL mode the file cannot be corrupted, a power loss may
    // lose the last commits (rows of the last moments), never the database.
    if (auto sync = exec(db->get(), "PRAGMA synchronous=NORMAL", "setting synchronous"); !sync)
        return permanent_error(fmt::format("{}: {}", path, sync.error().message));
    if (auto migrated = migrate(db->get()); !migrated)
        return permanent_error(fmt::format("{}: {}", path, migrated.error().message));
    return std::unique_ptr<row_store>(std::make_unique<sqlite_store>(std::move(*db)));
}

result<int> sqlite_schema_version_of(const std::string& path) {
    auto db = open_database(path);
    if (!db) return db.error();
    auto exists = prepare(db->get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = 'schema_version'");
    if (!exists) return permanent_error(fmt::format("{}: {}", path, exists.error().message));
    if (sqlite3_step(exists->get()) != SQLITE_ROW) return 0;
    auto version = read_version(db->get());
    if (!version) return permanent_error(fmt::format("{}: {}", path, version.error().message));
    return version;
}

} // namespace arcrelay::report
