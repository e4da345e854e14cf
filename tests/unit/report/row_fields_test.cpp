// tests/unit/report/row_fields_test.cpp — a row as column text (shared by the SQLite and
// PostgreSQL stores): the round trip, both databases' spellings of a boolean, NULLs, and the
// refusals of what does not read back.
#include "report/row_fields.hpp"

#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace report_test;

namespace {

// The column named `name` in row_columns.
std::size_t column(std::string_view name) {
    std::size_t index = 0;
    for (std::size_t start = 0; start < row_columns.size(); ++index) {
        auto end = row_columns.find(", ", start);
        if (row_columns.substr(start, end - start) == name) return index;
        start = end == std::string_view::npos ? row_columns.size() : end + 2;
    }
    BOOST_FAIL("no column " << name);
    return 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(row_fields_test)

BOOST_AUTO_TEST_CASE(a_row_reads_back_from_its_fields) {
    auto row = sample_row(3);
    row.policy.np = policy::quarantine;
    auto fields = fields_of(row);
    BOOST_TEST(fields.size() == row_field_count);
    BOOST_TEST(*fields[column("time")] == std::to_string(row.time));
    BOOST_TEST(*fields[column("testing")] == "1");
    BOOST_TEST(*fields[column("sp")] == "quarantine");
    BOOST_TEST((row_of(fields).value() == row));
    row.policy.sp.reset();
    fields = fields_of(row);
    BOOST_TEST(!fields[column("sp")].has_value()); // SQL NULL
    BOOST_TEST((row_of(fields).value() == row));
}

BOOST_AUTO_TEST_CASE(booleans_read_in_sqlite_and_postgresql_spelling) {
    const auto row = sample_row(1); // testing = true, spf_aligned = true, dkim_aligned = false
    auto fields = fields_of(row);
    fields[column("testing")] = "t";
    fields[column("spf_aligned")] = "true";
    fields[column("dkim_aligned")] = "f";
    BOOST_TEST((row_of(fields).value() == row));
}

BOOST_AUTO_TEST_CASE(what_does_not_read_back_is_refused_with_the_reason) {
    auto expect = [](std::string_view name, std::string value, std::string_view message) {
        auto fields = fields_of(sample_row());
        fields[column(name)] = std::move(value);
        const auto r = row_of(fields);
        BOOST_TEST_REQUIRE(!r.ok());
        BOOST_TEST(r.error().message == message);
    };
    expect("testing", "maybe", "stored row: bad flag \"maybe\"");
    expect("time", "12x", "stored row: bad time \"12x\"");
    expect("p", "discard", "stored row: unknown policy \"discard\"");
    expect("reasons", "[[\"no_such\", \"\"]]", "stored row: unknown override reason \"no_such\"");
    auto fields = fields_of(sample_row());
    fields[column("dkim")] = "{not json";
    const auto r = row_of(fields);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message.rfind("stored row: bad list column: ", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
