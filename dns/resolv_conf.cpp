// dns/resolv_conf.cpp — `nameserver` lines of resolv.conf(5).
#include "dns/resolv_conf.hpp"

#include <algorithm>

namespace arcrelay::dns {
namespace {

constexpr std::string_view spaces = " \t\r";

std::string_view next_word(std::string_view& line) {
    const std::size_t start = line.find_first_not_of(spaces);
    if (start == std::string_view::npos) {
        line = {};
        return {};
    }
    line.remove_prefix(start);
    const std::size_t end = std::min(line.find_first_of(spaces), line.size());
    const std::string_view word = line.substr(0, end);
    line.remove_prefix(end);
    return word;
}

} // namespace

std::vector<std::string> parse_resolv_conf(std::string_view text) {
    std::vector<std::string> servers;
    while (!text.empty() && servers.size() < max_resolv_conf_servers) {
        const std::size_t newline = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(std::min(newline + 1, text.size()));
        line = line.substr(0, std::min(line.find_first_of("#;"), line.size()));
        if (next_word(line) != "nameserver") continue;
        if (const std::string_view address = next_word(line); !address.empty()) {
            servers.emplace_back(address);
        }
    }
    if (servers.empty()) servers.emplace_back("127.0.0.1");
    return servers;
}

} // namespace arcrelay::dns
