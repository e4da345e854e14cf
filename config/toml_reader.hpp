// config/toml_reader.hpp — typed, line-numbered access to one TOML table (toml11).
//
// Each lookup marks its key as known; finish() then rejects every key nobody asked for, so
// a typo is an error instead of a silently ignored setting. Every failure throws
// load_failure with "FILE:LINE: PATH: MESSAGE" (PATH like listener[1].port), which
// parse_config() turns into an error; exceptions never leave config/.
#pragma once

#include <toml.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::config::detail {

// Keys kept sorted (std::map) so error order never depends on hashing.
using toml_value = toml::basic_value<toml::discard_comments, std::map, std::vector>;

struct load_failure : std::runtime_error {
    load_failure(const std::string& message, std::size_t line_number)
        : std::runtime_error(message), line(line_number) {}
    std::size_t line;
};

// "FILE:LINE: PATH: MESSAGE"; line 0 (nothing of it in the file) is reported as line 1.
[[noreturn]] void fail(std::string_view file, std::size_t line, std::string_view path,
                       std::string_view message);

class table_reader {
public:
    // `table` must be a TOML table; `path` is "" for the root, "listener[1]" etc. below it.
    // `file` must outlive the reader.
    table_reader(const toml_value& table, std::string path, const std::string& file);

    const std::string& path() const { return path_; }
    std::string path_of(std::string_view key) const;
    std::size_t line() const;

    // The value under `key` (marked known), or nullptr when absent.
    const toml_value* find(std::string_view key);

    // Typed getters: nullopt when the key is absent, load_failure on a wrong type.
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::string> string(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<std::vector<std::string>> strings(std::string_view key);
    std::optional<table_reader> table(std::string_view key);
    // [[key]]: an array of tables, empty when absent.
    std::vector<table_reader> tables(std::string_view key);

    // A value that must be present.
    std::string required_string(std::string_view key);

    // Failures located at `key` (or at this table when the key is absent), at element
    // `index` of the array under `key`, and at this table.
    [[noreturn]] void fail(std::string_view key, std::string_view message) const;
    [[noreturn]] void fail_at(std::string_view key, std::size_t index,
                              std::string_view message) const;
    [[noreturn]] void fail_here(std::string_view message) const;

    // Rejects the first key (by line) that no lookup asked for.
    void finish() const;

private:
    const toml_value* raw(std::string_view key) const;

    const toml_value* table_;
    std::string path_;
    const std::string* file_;
    std::set<std::string, std::less<>> known_;
};

} // namespace arcrelay::config::detail
