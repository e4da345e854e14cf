// report/pg_store.cpp — PostgreSQL row store through libpq: connection, migrations under an
// advisory lock, one transaction per batch, reconnect after the server went away. Rows go in
// and out as column text (report/row_fields); every value is a bound parameter.
#include "report/pg_store.hpp"

#include "report/row_fields.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <array>
#include <string_view>
#include <vector>

namespace arcrelay::report {

namespace {

// Migration i takes the schema from version i to i + 1.
constexpr std::array<std::string_view, pg_schema_version> migrations{
    R"sql(
CREATE TABLE dmarc_rows (
    id BIGSERIAL PRIMARY KEY,
    time BIGINT NOT NULL,
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
    testing BOOLEAN NOT NULL,
    fo TEXT NOT NULL,
    rua TEXT NOT NULL,
    dkim_aligned BOOLEAN NOT NULL,
    spf_aligned BOOLEAN NOT NULL,
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
    next_attempt BIGINT NOT NULL,
    last_error TEXT NOT NULL,
    updated BIGINT NOT NULL,
    PRIMARY KEY (report_id, destination)
);
CREATE INDEX report_deliveries_by_updated ON report_deliveries (updated);
CREATE TABLE send_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    expires BIGINT NOT NULL
);
)sql",
};

struct connection_closer {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct result_clearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
using connection = std::unique_ptr<PGconn, connection_closer>;
using pg_result = std::unique_ptr<PGresult, result_clearer>;

std::string trimmed(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s.empty() ? "unknown libpq error" : s;
}

// Runs one statement with text parameters (nullptr = NULL). Error (temporary): the server's
// message, or libpq's when the connection broke.
result<pg_result> run(PGconn* c, const std::string& sql,
                      const std::vector<const char*>& params = {}) {
    pg_result r(PQexecParams(c, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             params.data(), nullptr, nullptr, 0));
    const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    return temporary_error(trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c)));
}

// Several statements without parameters (a migration).
status run_script(PGconn* c, std::string_view sql) {
    pg_result r(PQexec(c, std::string(sql).c_str()));
    if (r && PQresultStatus(r.get()) == PGRES_COMMAND_OK) return ok_v;
    return temporary_error(trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c)));
}

status session_settings(PGconn* c) {
    auto set = run(c, fmt::format("SET statement_timeout = {}",
                                  std::chrono::milliseconds(pg_statement_timeout).count()));
    if (!set) return set.error();
    return ok_v;
}

result<connection> connect(const std::string& uri) {
    // Keywords are applied in order and the URI (expanded from dbname) comes last, so what
    // the administrator wrote in it wins over these defaults.
    // tcp_user_timeout: a server that vanished without closing the connection (a network
    // split) fails the statement instead of blocking the writer for TCP's own ~15 minutes.
    const std::string timeout = std::to_string(pg_connect_timeout.count());
    const std::string unacked =
        std::to_string(std::chrono::milliseconds(pg_statement_timeout).count());
    const std::array<const char*, 5> keys{"connect_timeout", "tcp_user_timeout", "application_name",
                                          "dbname", nullptr};
    const std::array<const char*, 5> values{timeout.c_str(), unacked.c_str(), "arcrelay",
                                            uri.c_str(), nullptr};
    connection c(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!c) return temporary_error("out of memory");
    if (PQstatus(c.get()) != CONNECTION_OK)
        return temporary_error(trimmed(PQerrorMessage(c.get())));
    // The server's NOTICEs ("already exists, skipping") would reach stderr: not ours to log.
    PQsetNoticeProcessor(
        c.get(), [](void*, const char*) {}, nullptr);
    if (auto s = session_settings(c.get()); !s) return s.error();
    return c;
}

// 0 when schema_version does not exist or is empty.
result<int> read_version(PGconn* c) {
    auto exists = run(c, "SELECT to_regclass('schema_version') IS NOT NULL");
    if (!exists) return exists.error();
    if (std::string_view(PQgetvalue(exists->get(), 0, 0)) != "t") return 0;
    auto v = run(c, "SELECT max(version) FROM schema_version");
    if (!v) return v.error();
    return PQgetisnull(v->get(), 0, 0) ? 0 : std::atoi(PQgetvalue(v->get(), 0, 0));
}

// Runs what this database lacks in one transaction; the advisory lock makes a second
// instance starting at the same moment wait, then find the schema current.
status migrate(PGconn* c) {
    auto step = [&]() -> status {
        if (auto lock =
                run(c, fmt::format("SELECT pg_advisory_xact_lock({})", pg_migration_lock_key));
            !lock)
            return lock.error();
        if (auto created = run(c, "CREATE TABLE IF NOT EXISTS schema_version "
                                  "(version INTEGER NOT NULL)");
            !created)
            return created.error();
        auto version = read_version(c);
        if (!version) return version.error();
        if (*version > pg_schema_version)
            return permanent_error(
                fmt::format("schema version {} is newer than this arcrelay's ({})", *version,
                            pg_schema_version));
        for (int v = *version; v < pg_schema_version; ++v)
            if (auto done = run_script(c, migrations[static_cast<std::size_t>(v)]); !done)
                return temporary_error(
                    fmt::format("migrating to schema version {}: {}", v + 1, done.error().message));
        if (*version == pg_schema_version) return status(ok_v);
        return run_script(c, fmt::format("DELETE FROM schema_version; INSERT INTO "
                                         "schema_version (version) VALUES ({})",
                                         pg_schema_version));
    };
    if (auto begun = run(c, "BEGIN"); !begun) return begun.error();
    auto done = step();
    if (!done) {
        run(c, "ROLLBACK");
        return done;
    }
    if (auto committed = run(c, "COMMIT"); !committed) return committed.error();
    return ok_v;
}

error named(const std::string& shown, const error& e) {
    return error{shown + ": " + e.message, e.kind, 0};
}

class pg_store final : public row_store {
public:
    pg_store(connection c, std::string shown) : conn_(std::move(c)), shown_(std::move(shown)) {}

    status insert(std::span<const dmarc_row> rows) override {
        if (rows.empty()) return ok_v;
        auto begun = begin();
        if (!begun) return begun;
        static const std::string sql = [] {
            std::string marks = "$1";
            for (std::size_t i = 2; i <= row_field_count; ++i)
                marks += fmt::format(",${}", i);
            return fmt::format("INSERT INTO dmarc_rows ({}) VALUES ({})", row_columns, marks);
        }();
        for (const auto& row : rows) {
            const auto fields = fields_of(row);
            std::vector<const char*> params;
            for (const auto& f : fields)
                params.push_back(f ? f->c_str() : nullptr);
            if (auto done = run(conn_.get(), sql, params); !done) return rollback(done.error());
        }
        if (auto committed = run(conn_.get(), "COMMIT"); !committed)
            return named(shown_, committed.error());
        return ok_v;
    }

    result<std::vector<dmarc_row>> rows_between(std::int64_t begin, std::int64_t end) override {
        if (auto up = ensure_connected(); !up) return up.error();
        const auto b = std::to_string(begin), e = std::to_string(end);
        auto r = run(conn_.get(),
                     fmt::format("SELECT {} FROM dmarc_rows WHERE time >= $1 AND time < $2 "
                                 "ORDER BY id",
                                 row_columns),
                     {b.c_str(), e.c_str()});
        if (!r) return named(shown_, r.error());
        std::vector<dmarc_row> rows;
        const int n = PQntuples(r->get());
        rows.reserve(static_cast<std::size_t>(n));
        for (int t = 0; t < n; ++t) {
            row_fields fields;
            for (std::size_t i = 0; i < fields.size(); ++i)
                if (!PQgetisnull(r->get(), t, static_cast<int>(i)))
                    fields[i] = PQgetvalue(r->get(), t, static_cast<int>(i));
            auto row = row_of(fields);
            if (!row) return named(shown_, row.error());
            rows.push_back(std::move(*row));
        }
        return rows;
    }

    result<std::size_t> delete_before(std::int64_t before) override {
        const auto b = std::to_string(before);
        return changed("DELETE FROM dmarc_rows WHERE time < $1", {b.c_str()});
    }

    result<std::size_t> count_rows() override {
        if (auto up = ensure_connected(); !up) return up.error();
        auto r = run(conn_.get(), "SELECT count(*) FROM dmarc_rows");
        if (!r) return named(shown_, r.error());
        return static_cast<std::size_t>(std::stoull(PQgetvalue(r->get(), 0, 0)));
    }

    result<std::size_t> delete_rows(std::string_view policy_domain, std::int64_t begin,
                                    std::int64_t end) override {
        const std::string d(policy_domain), b = std::to_string(begin), e = std::to_string(end);
        return changed("DELETE FROM dmarc_rows WHERE policy_domain = $1 AND time >= $2 AND "
                       "time < $3",
                       {d.c_str(), b.c_str(), e.c_str()});
    }

    result<bool> acquire_send_lease(std::string_view owner, std::int64_t now,
                                    std::int64_t ttl) override {
        // One statement: the conflicting row is locked while its WHERE is checked, so of
        // two instances racing for an expired lease exactly one gets a row back.
        const std::string o(owner), until = std::to_string(now + ttl), n = std::to_string(now);
        auto taken = changed("INSERT INTO send_lease (id, owner, expires) VALUES (1, $1, $2) "
                             "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, "
                             "expires = excluded.expires "
                             "WHERE send_lease.owner = excluded.owner OR "
                             "send_lease.expires <= $3",
                             {o.c_str(), until.c_str(), n.c_str()});
        if (!taken) return taken.error();
        return *taken == 1;
    }

    status release_send_lease(std::string_view owner) override {
        const std::string o(owner);
        auto done = changed("DELETE FROM send_lease WHERE owner = $1", {o.c_str()});
        if (!done) return done.error();
        return ok_v;
    }

    result<std::vector<delivery>> deliveries_of(std::string_view report_id) override {
        if (auto up = ensure_connected(); !up) return up.error();
        const std::string id(report_id);
        auto r = run(conn_.get(),
                     "SELECT report_id, destination, state, attempts, next_attempt, last_error, "
                     "updated FROM report_deliveries WHERE report_id = $1 ORDER BY destination",
                     {id.c_str()});
        if (!r) return named(shown_, r.error());
        std::vector<delivery> out;
        for (int t = 0; t < PQntuples(r->get()); ++t) {
            auto value = [&](int c) { return std::string(PQgetvalue(r->get(), t, c)); };
            auto state = parse_delivery_state(value(2));
            if (!state)
                return permanent_error(shown_ + ": stored delivery: " + state.error().message);
            out.push_back({value(0), value(1), *state, static_cast<unsigned>(std::stoul(value(3))),
                           std::stoll(value(4)), value(5), std::stoll(value(6))});
        }
        return out;
    }

    status save_delivery(const delivery& d) override {
        const std::string attempts = std::to_string(d.attempts),
                          next = std::to_string(d.next_attempt),
                          updated = std::to_string(d.updated), state(to_string(d.state));
        auto done =
            changed("INSERT INTO report_deliveries (report_id, destination, state, attempts, "
                    "next_attempt, last_error, updated) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                    "ON CONFLICT (report_id, destination) DO UPDATE SET state = excluded.state, "
                    "attempts = excluded.attempts, next_attempt = excluded.next_attempt, "
                    "last_error = excluded.last_error, updated = excluded.updated",
                    {d.report_id.c_str(), d.destination.c_str(), state.c_str(), attempts.c_str(),
                     next.c_str(), d.last_error.c_str(), updated.c_str()});
        if (!done) return done.error();
        return ok_v;
    }

    result<std::size_t> delete_deliveries_before(std::int64_t before) override {
        const std::string b = std::to_string(before);
        return changed("DELETE FROM report_deliveries WHERE updated < $1", {b.c_str()});
    }

private:
    // A statement that returns no rows; how many rows it changed.
    result<std::size_t> changed(const std::string& sql, const std::vector<const char*>& params) {
        if (auto up = ensure_connected(); !up) return up.error();
        auto r = run(conn_.get(), sql, params);
        if (!r) return named(shown_, r.error());
        return static_cast<std::size_t>(std::stoull(PQcmdTuples(r->get())));
    }

    // A connection the server closed is reset here; PostgreSQL only notices on the next
    // statement, which is why begin() retries once.
    status ensure_connected() {
        if (PQstatus(conn_.get()) == CONNECTION_OK) return ok_v;
        PQreset(conn_.get());
        if (PQstatus(conn_.get()) != CONNECTION_OK)
            return temporary_error(
                fmt::format("{}: reconnecting: {}", shown_, trimmed(PQerrorMessage(conn_.get()))));
        if (auto s = session_settings(conn_.get()); !s) return named(shown_, s.error());
        return ok_v;
    }

    // BEGIN on a connection found broken has done nothing yet: reconnect and try once more.
    status begin() {
        if (auto up = ensure_connected(); !up) return up;
        if (run(conn_.get(), "BEGIN")) return ok_v;
        if (auto up = ensure_connected(); !up) return up;
        auto again = run(conn_.get(), "BEGIN");
        if (!again) return named(shown_, again.error());
        return ok_v;
    }

    status rollback(const error& e) {
        run(conn_.get(), "ROLLBACK");
        return named(shown_, e);
    }

    connection conn_;
    std::string shown_;
};

} // namespace

result<std::unique_ptr<row_store>> open_pg_store(const std::string& uri, const std::string& shown) {
    auto c = connect(uri);
    if (!c) return named(shown, c.error());
    if (auto migrated = migrate(c->get()); !migrated) return named(shown, migrated.error());
    return std::unique_ptr<row_store>(std::make_unique<pg_store>(std::move(*c), shown));
}

result<int> pg_schema_version_of(const std::string& uri, const std::string& shown) {
    auto c = connect(uri);
    if (!c) return named(shown, c.error());
    auto v = read_version(c->get());
    if (!v) return named(shown, v.error());
    return v;
}

} // namespace arcrelay::report
