// report/store.hpp — where DMARC report rows live between the verify stage and the report
// (DESIGN.md report/: only the store talks to a database). One writer appends; the report
// builder reads a period and deletes what it reported or what outlived the retention.
// The sender records one delivery per (report part, destination) and holds a lease so that
// of several instances sharing one database exactly one sends.
#pragma once

#include "base/result.hpp"
#include "report/row.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::report {

enum class delivery_state {
    pending,  // not tried yet
    sent,     // the next hop accepted it (2xx): never sent again
    deferred, // a 4xx or no connection: tried again at next_attempt
    failed,   // a 5xx, or out of attempts: never tried again
};

std::string_view to_string(delivery_state s);
// Error (permanent): an unknown name.
result<delivery_state> parse_delivery_state(std::string_view s);

// One report part (a split of one domain_report) to one rua destination.
struct delivery {
    std::string report_id;   // the part's Report-ID, stable across retries
    std::string destination; // the mailto: URI without "!size"
    delivery_state state = delivery_state::pending;
    unsigned attempts = 0;
    std::int64_t next_attempt = 0; // UTC seconds
    std::string last_error;        // the last reply or connection error ("" when none)
    std::int64_t updated = 0;      // UTC seconds of the last save

    bool operator==(const delivery&) const = default;
};

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

    // Deletes the rows of `policy_domain` with begin <= time < end (a report that is done:
    // every delivery of every part sent or failed); returns how many went.
    virtual result<std::size_t> delete_rows(std::string_view policy_domain, std::int64_t begin,
                                            std::int64_t end) = 0;

    // The sending lease: at most one instance sends at a time. true: `owner` holds it until
    // now + ttl (taken, taken over after it expired, or renewed); false: another owner holds
    // an unexpired lease. Atomic across processes sharing the database.
    virtual result<bool> acquire_send_lease(std::string_view owner, std::int64_t now,
                                            std::int64_t ttl) = 0;
    // Gives the lease up when `owner` holds it (no-op otherwise).
    virtual status release_send_lease(std::string_view owner) = 0;

    // Every delivery recorded for `report_id`, ordered by destination.
    virtual result<std::vector<delivery>> deliveries_of(std::string_view report_id) = 0;
    // Inserts or replaces the delivery with d's (report_id, destination).
    virtual status save_delivery(const delivery& d) = 0;
    // Deletes deliveries last saved before `before` (retention); returns how many went.
    virtual result<std::size_t> delete_deliveries_before(std::int64_t before) = 0;
};

} // namespace arcrelay::report
