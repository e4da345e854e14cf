// config/check_files.cpp — check_files(): can every file named by the configuration be
// read? (The one place in config/ that touches the file system besides
// load_config_file.)
#include "config/load.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace arcrelay::config {
namespace {

status check_readable(const configuration& c, const std::string& key, const std::string& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (in && in.peek() != std::ifstream::traits_type::eof()) return ok_v;
    const char* why = errno != 0 ? std::strerror(errno) : "empty or not a file";
    return permanent_error(located_error(c, key, fmt::format("cannot read {}: {}", path, why)));
}

} // namespace

std::string located_error(const configuration& config, std::string_view key,
                          std::string_view reason) {
    const auto line = config.file_key_lines.find(key);
    if (line == config.file_key_lines.end())
        return fmt::format("{}: {}: {}", config.source, key, reason);
    return fmt::format("{}:{}: {}: {}", config.source, line->second, key, reason);
}

status check_files(const configuration& config) {
    for (std::size_t i = 0; i < config.arc.keys.size(); ++i) {
        const auto checked = check_readable(config, fmt::format("arc.key[{}].private_key", i),
                                            config.arc.keys[i].private_key);
        if (!checked) return checked;
    }
    for (std::size_t i = 0; i < config.listeners.size(); ++i) {
        const auto& tls = config.listeners[i].tls;
        if (!tls) continue;
        for (const auto& [key, path] : {std::pair{"tls_certificate", tls->certificate},
                                        std::pair{"tls_private_key", tls->private_key}}) {
            const auto checked =
                check_readable(config, fmt::format("listener[{}].{}", i, key), path);
            if (!checked) return checked;
        }
    }
    for (std::size_t i = 0; i < config.arc.handover_secrets.size(); ++i) {
        const auto checked = check_readable(config, fmt::format("arc.handover_secrets[{}]", i),
                                            config.arc.handover_secrets[i]);
        if (!checked) return checked;
    }
    if (!config.dns.zone_file.empty())
        return check_readable(config, "dns.zone_file", config.dns.zone_file);
    return ok_v;
}

} // namespace arcrelay::config
