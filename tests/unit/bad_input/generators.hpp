// tests/unit/bad_input/generators.hpp — the big cases of the bad-input catalog, built in memory
// (header bombs, 1 MB lines, 10 000-deep nesting, 10 000 recipients, 26 MB of DATA, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::bad_input {

// The input of generator `name` (the manifest's "@name"); nullopt for an unknown name.
std::optional<std::string> generate(std::string_view name);

// Every generator name, so the test can check that each one is in the manifest.
std::vector<std::string_view> generator_names();

} // namespace arcrelay::bad_input
