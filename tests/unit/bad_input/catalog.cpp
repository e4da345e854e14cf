// tests/unit/bad_input/catalog.cpp — manifest reading and case inputs (catalog.hpp).
#include "tests/unit/bad_input/catalog.hpp"

#include "tests/unit/bad_input/generators.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace arcrelay::bad_input {

std::vector<catalog_case> read_manifest(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<catalog_case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        const auto tab1 = line.find('\t');
        const auto tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string::npos) throw std::runtime_error("bad manifest line: " + line);
        const auto tab3 = line.find('\t', tab2 + 1); // an optional note follows
        catalog_case c{line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), {}};
        std::istringstream tokens(line.substr(tab2 + 1, tab3 - tab2 - 1));
        for (std::string t; tokens >> t;)
            c.expected.push_back(t);
        if (c.expected.empty()) throw std::runtime_error("no expectation: " + line);
        cases.push_back(std::move(c));
    }
    return cases;
}

std::string case_input(const catalog_case& c, const std::string& catalog_dir) {
    if (c.file.starts_with('@')) {
        auto text = generate(c.file.substr(1));
        if (!text) throw std::runtime_error("no generator " + c.file);
        return *text;
    }
    std::ifstream in(catalog_dir + "/" + c.file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + c.file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace arcrelay::bad_input
