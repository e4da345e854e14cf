// report/store.hpp — where DMARC report rows live between the verify stage and the report
// (DESIGN.md report/: only the store talks to a database). One writer appends; the report
// builder reads a period and deletes what it reported or what outlived the retention.
#pragma once

#include "base/result.hpp"
#include "report/row.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace arcrelay::report {

class row_store {
public:
    virtual ~row_store() = default;

    // Appends `rows` in one transaction: all or none. Error (temporary): the database refused
    // (locked past its timeout, disk full, I/O error), with the database's message.
    virtual status insert(std::span<const dmarc_row> rows) = 0;

    // Every row with begin <= time < end (UTC seconds), in the order they were inserted.
    // Error (temporary): the database failed; (permanent): a stored row does not read back.
    virtual result<std::vector<dmarc_row>> rows_between(std::int64_t begin, std::int64_t end) = 0;

    // Deletes the rows with time < before; returns how many went.
    virtual result<std::size_t> delete_before(std::int64_t before) = 0;

    virtual result<std::size_t> count_rows() = 0;
};

} // namespace arcrelay::report
