// relay/cli_args.cpp — see cli_args.hpp.
#include "relay/cli_args.hpp"

#include "mail/message.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace arcrelay::relay {

std::optional<std::string> cli_args::get(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

result<cli_args> parse_cli_args(int argc, char** argv, int first,
                                const std::set<std::string>& with_value,
                                const std::set<std::string>& flag_names) {
    cli_args out;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
            std::string value;
            auto eq = arg.find('=');
            bool inline_value = eq != std::string::npos;
            if (inline_value) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
            if (with_value.count(arg)) {
                if (!inline_value) {
                    if (i + 1 >= argc) return permanent_error(fmt::format("{} needs a value", arg));
                    value = argv[++i];
                }
                out.options[arg] = value;
            } else if (flag_names.count(arg) && !inline_value) {
                out.flags.insert(arg);
            } else {
                return permanent_error(fmt::format("unknown option {}", arg));
            }
        } else {
            out.positional.push_back(arg);
        }
    }
    return out;
}

result<std::string> read_message_input(const std::string& path) {
    std::string data;
    if (path == "-") {
        data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            return permanent_error(fmt::format("cannot read {}: not a regular file", path));
        std::ifstream in(path, std::ios::binary);
        if (!in) return permanent_error(fmt::format("cannot read {}", path));
        std::stringstream ss;
        ss << in.rdbuf();
        data = ss.str();
    }
    if (data.empty())
        return permanent_error(fmt::format("{} is empty", path == "-" ? "standard input" : path));
    return mail::normalize_line_endings(data);
}

} // namespace arcrelay::relay
