// dns/name.cpp — canonical lookup names and reverse-lookup names (RFC 1035 3.5, RFC 3596 2.5).
#include "dns/name.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>

namespace arcrelay::dns {

std::string canonical_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string key(name);
    for (char& c : key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
}

std::optional<std::string> reverse_name(std::string_view ip) {
    if (ip.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string text(ip); // inet_pton wants a terminated string
    std::array<std::uint8_t, 16> bytes{};
    if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
        // RFC 1035 3.5: the octets in reverse order under in-addr.arpa.
        std::string name;
        for (int i = 3; i >= 0; --i)
            name += std::to_string(bytes[i]) + '.';
        return name + "in-addr.arpa";
    }
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
        // RFC 3596 2.5: the nibbles in reverse order under ip6.arpa.
        static constexpr std::string_view hex = "0123456789abcdef";
        std::string name;
        for (int i = 15; i >= 0; --i) {
            name += hex[bytes[i] & 0x0f];
            name += '.';
            name += hex[bytes[i] >> 4];
            name += '.';
        }
        return name + "ip6.arpa";
    }
    return std::nullopt;
}

} // namespace arcrelay::dns
