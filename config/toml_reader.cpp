// config/toml_reader.cpp — see toml_reader.hpp.
#include "config/toml_reader.hpp"

#include <fmt/format.h>

namespace arcrelay::config::detail {

void fail(std::string_view file, std::size_t line, std::string_view path,
          std::string_view message) {
    // A key missing from a table that is not in the file at all: the top of the file.
    const std::size_t at = line == 0 ? 1 : line;
    throw load_failure(fmt::format("{}:{}: {}: {}", file, at, path, message), at);
}

table_reader::table_reader(const toml_value& table, std::string path, const std::string& file)
    : table_(&table), path_(std::move(path)), file_(&file) {}

std::string table_reader::path_of(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    return fmt::format("{}.{}", path_, key);
}

std::size_t table_reader::line() const {
    return table_->location().line();
}

const toml_value* table_reader::raw(std::string_view key) const {
    const auto& t = table_->as_table();
    const auto it = t.find(std::string(key));
    return it == t.end() ? nullptr : &it->second;
}

const toml_value* table_reader::find(std::string_view key) {
    known_.emplace(key);
    return raw(key);
}

std::optional<bool> table_reader::boolean(std::string_view key) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail(key, "must be true or false");
    return v->as_boolean();
}

std::optional<std::string> table_reader::string(std::string_view key) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(key, "must be a string");
    return v->as_string().str;
}

std::optional<std::int64_t> table_reader::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_integer()) fail(key, "must be an integer");
    const std::int64_t n = v->as_integer();
    if (n < min || n > max) fail(key, fmt::format("must be {}..{}", min, max));
    return n;
}

std::optional<std::vector<std::string>> table_reader::strings(std::string_view key) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) fail(key, "must be an array of strings");
    std::vector<std::string> out;
    const auto& a = v->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string()) fail_at(key, i, "must be a string");
        out.push_back(a[i].as_string().str);
    }
    return out;
}

std::optional<table_reader> table_reader::table(std::string_view key) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_table()) fail(key, "must be a table");
    return table_reader(*v, path_of(key), *file_);
}

std::vector<table_reader> table_reader::tables(std::string_view key) {
    std::vector<table_reader> out;
    const auto* v = find(key);
    if (!v) return out;
    if (!v->is_array()) fail(key, fmt::format("must be an array of tables ([[{}]])", path_of(key)));
    const auto& a = v->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_table())
            fail_at(key, i, fmt::format("must be a table ([[{}]])", path_of(key)));
        out.emplace_back(a[i], fmt::format("{}[{}]", path_of(key), i), *file_);
    }
    return out;
}

std::string table_reader::required_string(std::string_view key) {
    auto s = string(key);
    if (!s) fail(key, "required");
    return *s;
}

void table_reader::fail(std::string_view key, std::string_view message) const {
    const auto* v = raw(key);
    detail::fail(*file_, v ? v->location().line() : line(), path_of(key), message);
}

void table_reader::fail_at(std::string_view key, std::size_t index,
                           std::string_view message) const {
    const auto& element = raw(key)->as_array().at(index);
    detail::fail(*file_, element.location().line(), fmt::format("{}[{}]", path_of(key), index),
                 message);
}

void table_reader::fail_here(std::string_view message) const {
    detail::fail(*file_, line(), path_.empty() ? "(top level)" : path_, message);
}

void table_reader::finish() const {
    const toml_value* first = nullptr;
    std::string first_key;
    for (const auto& [key, value] : table_->as_table()) {
        if (known_.count(key)) continue;
        if (!first || value.location().line() < first->location().line()) {
            first = &value;
            first_key = key;
        }
    }
    if (first) detail::fail(*file_, first->location().line(), path_of(first_key), "unknown key");
}

} // namespace arcrelay::config::detail
