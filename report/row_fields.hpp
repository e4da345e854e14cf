// report/row_fields.hpp — a dmarc_row as the text of its database columns, shared by the
// SQLite and PostgreSQL stores (both bind and read every column as text; the database casts
// to its column types). The per-row lists (DKIM results, reasons, rua) are JSON text: they
// are only ever read back whole, per row.
#pragma once

#include "base/result.hpp"
#include "report/row.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::report {

inline constexpr std::size_t row_field_count = 23;

// The column names, in the order of row_fields, comma-separated for INSERT and SELECT.
inline constexpr std::string_view row_columns =
    "time, source_ip, header_from, envelope_from, envelope_to, policy_domain, p, sp, np, adkim, "
    "aspf, discovery_method, testing, fo, rua, dkim_aligned, spf_aligned, dkim, spf_domain, "
    "spf_scope, spf_result, disposition, reasons";

// One text value per column; nullopt is SQL NULL (sp, np). time is decimal seconds, the
// booleans are "1" / "0".
using row_fields = std::array<std::optional<std::string>, row_field_count>;

row_fields fields_of(const dmarc_row& row);

// The reverse. Booleans read "1"/"t"/"true" and "0"/"f"/"false" (SQLite gives the first,
// PostgreSQL's text format the second). Error (permanent, "stored row: ..."): a name, number
// or list column that does not read back.
result<dmarc_row> row_of(const row_fields& fields);

} // namespace arcrelay::report
