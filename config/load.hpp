// config/load.hpp — reading and validating the TOML configuration file.
//
// Errors name the file, the line and the key, e.g.
//   "arcrelay.toml:12: listener[1].port: must be 1..65535"
// (error::line holds the line). Unknown keys are errors. Parsing and semantic validation
// never touch the file system; check_files() is the separate step that does.
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"

#include <string>
#include <string_view>

namespace arcrelay::config {

// Parses and validates `toml_text`; `file_name` is used in messages and as
// configuration::source. Errors: TOML syntax, unknown key, wrong type, missing required
// field, out-of-range number, bad address/CIDR/URI/stage/name, duplicates, and
// inconsistencies between sections (e.g. a seal stage without any [[arc.key]]).
result<configuration> parse_config(std::string_view toml_text, std::string_view file_name);

// Reads `path` and parse_config()s it. Errors: the file cannot be read, or as above.
result<configuration> load_config_file(const std::string& path);

// Checks that every file the configuration names can be read: ARC key files, TLS
// certificates and keys, the hand-over secrets, the DNS zone file. Used by `check-config` and
// `serve` (after the demo keys have been generated). Errors: "FILE:LINE: KEY: cannot read
// PATH: OS error", LINE being the line of the key that names the file.
status check_files(const configuration& config);

// "FILE:LINE: KEY: REASON" for a problem with the file `key` names (LINE from
// configuration::file_key_lines; "FILE: KEY: REASON" if the key has no recorded line).
std::string located_error(const configuration& config, std::string_view key,
                          std::string_view reason);

} // namespace arcrelay::config
