// tests/unit/bad_input/catalog.hpp — reads tests/data/bad-input/manifest.tsv and produces the
// input of each case: the bytes of its file, or of its generator for "@name" entries (cases too
// big to keep in the repository are built in memory at test time).
#pragma once

#include <string>
#include <vector>

namespace arcrelay::bad_input {

struct catalog_case {
    std::string file;                  // relative to tests/data/bad-input, or "@generator"
    std::string kind;                  // which runner gets it (verdicts.hpp)
    std::vector<std::string> expected; // tokens the runner must produce ("not=X": must not)
};

// Every case of the manifest (file, kind, expected, optional note), in order. Throws
// std::runtime_error on a malformed manifest line (a broken test fixture, not a verdict).
std::vector<catalog_case> read_manifest(const std::string& path);

// The input bytes of a case; throws std::runtime_error for a missing file or generator.
std::string case_input(const catalog_case& c, const std::string& catalog_dir);

} // namespace arcrelay::bad_input
