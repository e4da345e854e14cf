// relay/cli_args.hpp — the small command-line parser the subcommands share.
#pragma once

#include "base/result.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace arcrelay::relay {

struct cli_args {
    std::map<std::string, std::string> options; // "--zone" -> "file"
    std::set<std::string> flags;                // "--json"
    std::vector<std::string> positional;

    std::optional<std::string> get(const std::string& name) const;
    bool has(const std::string& flag) const { return flags.count(flag) > 0; }
};

// Parses argv[first..argc). `with_value` names options that take a value, `flag_names` those
// that don't. Errors: an unknown option, an option without its value.
result<cli_args> parse_cli_args(int argc, char** argv, int first,
                                const std::set<std::string>& with_value,
                                const std::set<std::string>& flag_names);

// Reads FILE, or standard input for "-". LF-only line ends become CRLF (the CLI boundary:
// mail files on disk usually have LF).
result<std::string> read_message_input(const std::string& path);

} // namespace arcrelay::relay
