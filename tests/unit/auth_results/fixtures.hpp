// tests/unit/auth_results/fixtures.hpp — reading the case files in tests/data/auth_results
// (see SOURCE.md there): "=== name" sections of header-field lines.
#pragma once

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Optionals compare in BOOST_TEST without being printed.
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<std::string>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<unsigned>)

namespace arcrelay::auth::results::test {

struct data_case {
    std::string name;
    std::vector<std::string> lines;
};

inline std::vector<data_case> read_cases(const std::string& file) {
    std::ifstream in(std::string(ARCRELAY_TEST_DATA) + "/auth_results/" + file);
    if (!in) throw std::runtime_error("cannot open test data " + file);
    std::vector<data_case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("=== ", 0) == 0)
            cases.push_back({line.substr(4), {}});
        else if (!cases.empty())
            cases.back().lines.push_back(line);
    }
    return cases;
}

struct header_field {
    std::string name;
    std::string value; // after the colon, folds as "\r\n"
};

// Header fields from lines; a line starting with whitespace continues the previous field.
inline std::vector<header_field> header_fields(const std::vector<std::string>& lines) {
    std::vector<header_field> fields;
    for (const std::string& l : lines) {
        if (!l.empty() && (l[0] == ' ' || l[0] == '\t') && !fields.empty()) {
            fields.back().value += "\r\n" + l;
        } else {
            auto colon = l.find(':');
            if (colon == std::string::npos) throw std::runtime_error("not a header line: " + l);
            fields.push_back({l.substr(0, colon), l.substr(colon + 1)});
        }
    }
    return fields;
}

// The value of the field of `name` of the case, for single-field cases.
inline std::string only_field(const data_case& c) {
    auto fields = header_fields(c.lines);
    if (fields.size() != 1) throw std::runtime_error("case " + c.name + " has several fields");
    return fields.front().value;
}

inline const data_case& find_case(const std::vector<data_case>& cases, std::string_view name) {
    for (const data_case& c : cases)
        if (c.name == name) return c;
    throw std::runtime_error("no case " + std::string(name));
}

// Lines of a field value: split at "\r\n".
inline std::vector<std::string> value_lines(std::string_view v) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto at = v.find("\r\n"); at != std::string_view::npos; at = v.find("\r\n", start)) {
        out.emplace_back(v.substr(start, at - start));
        start = at + 2;
    }
    out.emplace_back(v.substr(start));
    return out;
}

} // namespace arcrelay::auth::results::test
