// report/sqlite_store.cpp — SQLite row store: schema migrations, WAL, prepared statements.
// Rows go in and out as column text (report/row_fields).
#include "report/sqlite_store.hpp"

#include "report/row_fields.hpp"

#include <fmt/format.h>
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
    // 2: sending — one delivery per (report part, destination), and the sending lease.
    R"sql(
CREATE TABLE report_deliveries (
    report_id TEXT NOT NULL,
    destination TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    updated INTEGER NOT NULL,
    PRIMARY KEY (report_id, destination)
);
CREATE INDEX report_deliveries_by_updated ON report_deliveries (updated);
CREATE TABLE send_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    expires INTEGER NOT NULL
);
)sql",
};

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

std::string column_text(sqlite3_stmt* s, int index) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, index)))
                : std::string();
}

void bind_row(sqlite3_stmt* s, const dmarc_row& r) {
    const auto fields = fields_of(r);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        if (fields[i])
            bind_text(s, index, *fields[i]); // column affinity stores numbers as INTEGER
        else
            sqlite3_bind_null(s, index);
    }
}

result<dmarc_row> read_row(sqlite3_stmt* s) {
    row_fields fields;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (sqlite3_column_type(s, static_cast<int>(i)) != SQLITE_NULL)
            fields[i] = column_text(s, static_cast<int>(i));
    return row_of(fields);
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
            for (std::size_t i = 1; i < row_field_count; ++i)
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
        return run_counting(st->get(), "deleting rows");
    }

    result<std::size_t> count_rows() override {
        auto st = prepare(db_.get(), "SELECT COUNT(*) FROM dmarc_rows");
        if (!st) return st.error();
        if (sqlite3_step(st->get()) != SQLITE_ROW) return db_error(db_.get(), "counting rows");
        return static_cast<std::size_t>(sqlite3_column_int64(st->get(), 0));
    }

    result<std::size_t> delete_rows(std::string_view policy_domain, std::int64_t begin,
                                    std::int64_t end) override {
        auto st = prepare(db_.get(), "DELETE FROM dmarc_rows WHERE policy_domain = ? AND "
                                     "time >= ? AND time < ?");
        if (!st) return st.error();
        bind_text(st->get(), 1, policy_domain);
        sqlite3_bind_int64(st->get(), 2, begin);
        sqlite3_bind_int64(st->get(), 3, end);
        return run_counting(st->get(), "deleting reported rows");
    }

    result<bool> acquire_send_lease(std::string_view owner, std::int64_t now,
                                    std::int64_t ttl) override {
        // One statement, so atomic across processes: taken when free, expired or ours.
        auto st = prepare(db_.get(),
                          "INSERT INTO send_lease (id, owner, expires) VALUES (1, ?1, ?2) "
                          "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, "
                          "expires = excluded.expires "
                          "WHERE send_lease.owner = excluded.owner OR send_lease.expires <= ?3");
        if (!st) return st.error();
        bind_text(st->get(), 1, owner);
        sqlite3_bind_int64(st->get(), 2, now + ttl);
        sqlite3_bind_int64(st->get(), 3, now);
        auto changed = run_counting(st->get(), "taking the sending lease");
        if (!changed) return changed.error();
        return *changed == 1;
    }

    status release_send_lease(std::string_view owner) override {
        auto st = prepare(db_.get(), "DELETE FROM send_lease WHERE owner = ?");
        if (!st) return st.error();
        bind_text(st->get(), 1, owner);
        auto done = run_counting(st->get(), "releasing the sending lease");
        if (!done) return done.error();
        return ok_v;
    }

    result<std::vector<delivery>> deliveries_of(std::string_view report_id) override {
        auto st = prepare(db_.get(), "SELECT report_id, destination, state, attempts, "
                                     "next_attempt, last_error, updated FROM report_deliveries "
                                     "WHERE report_id = ? ORDER BY destination");
        if (!st) return st.error();
        bind_text(st->get(), 1, report_id);
        std::vector<delivery> out;
        for (;;) {
            const int rc = sqlite3_step(st->get());
            if (rc == SQLITE_DONE) return out;
            if (rc != SQLITE_ROW) return db_error(db_.get(), "reading deliveries");
            auto state = parse_delivery_state(column_text(st->get(), 2));
            if (!state) return permanent_error("stored delivery: " + state.error().message);
            out.push_back({column_text(st->get(), 0), column_text(st->get(), 1), *state,
                           static_cast<unsigned>(sqlite3_column_int64(st->get(), 3)),
                           sqlite3_column_int64(st->get(), 4), column_text(st->get(), 5),
                           sqlite3_column_int64(st->get(), 6)});
        }
    }

    status save_delivery(const delivery& d) override {
        auto st = prepare(db_.get(), "INSERT OR REPLACE INTO report_deliveries (report_id, "
                                     "destination, state, attempts, next_attempt, last_error, "
                                     "updated) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!st) return st.error();
        bind_text(st->get(), 1, d.report_id);
        bind_text(st->get(), 2, d.destination);
        bind_text(st->get(), 3, to_string(d.state));
        sqlite3_bind_int64(st->get(), 4, d.attempts);
        sqlite3_bind_int64(st->get(), 5, d.next_attempt);
        bind_text(st->get(), 6, d.last_error);
        sqlite3_bind_int64(st->get(), 7, d.updated);
        auto done = run_counting(st->get(), "saving a delivery");
        if (!done) return done.error();
        return ok_v;
    }

    result<std::size_t> delete_deliveries_before(std::int64_t before) override {
        auto st = prepare(db_.get(), "DELETE FROM report_deliveries WHERE updated < ?");
        if (!st) return st.error();
        sqlite3_bind_int64(st->get(), 1, before);
        return run_counting(st->get(), "deleting old deliveries");
    }

private:
    // Runs a statement that returns no rows; how many rows it changed.
    result<std::size_t> run_counting(sqlite3_stmt* s, std::string_view doing) {
        if (sqlite3_step(s) != SQLITE_DONE) return db_error(db_.get(), doing);
        return static_cast<std::size_t>(sqlite3_changes(db_.get()));
    }

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
