// relay/cli_usage.hpp — the usage text of every subcommand, in one place: `arcrelay --help`,
// `arcrelay COMMAND --help`, the usage errors and the arcrelay(8) man page all print it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::relay {

// The project version (CMakeLists.txt project(VERSION), also debian/changelog's).
std::string_view arcrelay_version();

// The usage and exit statuses of one subcommand ("serve", "keygen", ...); nullopt for an
// unknown one.
std::optional<std::string_view> command_usage(std::string_view command);

// The whole `arcrelay --help` text: a title line, then every command's usage.
std::string full_usage();

// True when argv[first..argc) asks for help: "--help" or "-h" anywhere.
bool wants_help(int argc, char** argv, int first);

// Prints "arcrelay COMMAND: MESSAGE" and the command's usage on stderr; returns 2 (usage error).
int usage_error(std::string_view command, std::string_view message);

} // namespace arcrelay::relay
