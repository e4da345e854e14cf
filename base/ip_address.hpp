// base/ip_address.hpp — IPv4/IPv6 addresses: parse, format (RFC 5952), CIDR networks.
//
// Used by SPF (RFC 7208 5.6 ip4/ip6, dual CIDR lengths), iprev and configuration.
// IPv4 addresses keep their four octets in bytes[0..3] (the rest zero); an
// IPv4-mapped IPv6 address (RFC 4291 2.5.5.2) stays IPv6 as parsed, and
// unmap_ipv4() turns it into the IPv4 address RFC 7208 5 says to treat it as.
// Header-only.
#pragma once

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arcrelay {

struct ip_address {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};

    bool operator==(const ip_address&) const = default;
};

// A CIDR network: the address as written and a prefix length (0..32 or 0..128).
struct ip_network {
    ip_address address;
    int prefix = 0;

    bool operator==(const ip_network&) const = default;
};

inline constexpr int ipv4_bits = 32;
inline constexpr int ipv6_bits = 128;

inline int address_bits(const ip_address& a) {
    return a.v6 ? ipv6_bits : ipv4_bits;
}

// Parses "192.0.2.1", "2001:db8::1" or "::ffff:192.0.2.1". No zone ids, no
// surrounding brackets or spaces, no leading zeros in IPv4 octets.
inline std::optional<ip_address> parse_ip_address(std::string_view text) {
    // INET6_ADDRSTRLEN (46) includes the terminating NUL.
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string z(text); // inet_pton wants a terminated string
    if (z.find('\0') != std::string::npos) return std::nullopt;
    ip_address a;
    a.v6 = z.find(':') != std::string::npos;
    if (inet_pton(a.v6 ? AF_INET6 : AF_INET, z.c_str(), a.bytes.data()) != 1) return std::nullopt;
    return a;
}

// True for ::ffff:a.b.c.d (RFC 4291 2.5.5.2).
inline bool is_ipv4_mapped(const ip_address& a) {
    if (!a.v6) return false;
    for (int i = 0; i < 10; ++i)
        if (a.bytes[i] != 0) return false;
    return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

// The IPv4 address inside an IPv4-mapped address; any other address unchanged.
inline ip_address unmap_ipv4(const ip_address& a) {
    if (!is_ipv4_mapped(a)) return a;
    ip_address v4;
    for (int i = 0; i < 4; ++i)
        v4.bytes[i] = a.bytes[12 + i];
    return v4;
}

// Dotted quad for IPv4; RFC 5952 4 text for IPv6 (lower case, no leading zeros, the longest
// run of two or more zero groups compressed, the first of equal runs), with RFC 5952 5
// mixed notation for IPv4-mapped addresses.
inline std::string format_ip_address(const ip_address& a) {
    constexpr std::string_view hex = "0123456789abcdef";
    auto dotted = [](const std::uint8_t* p) {
        std::string out;
        for (int i = 0; i < 4; ++i) {
            if (i) out += '.';
            out += std::to_string(p[i]);
        }
        return out;
    };
    if (!a.v6) return dotted(a.bytes.data());
    if (is_ipv4_mapped(a)) return "::ffff:" + dotted(a.bytes.data() + 12);

    std::array<unsigned, 8> groups{};
    for (int i = 0; i < 8; ++i)
        groups[i] = (a.bytes[2 * i] << 8) | a.bytes[2 * i + 1];
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[j] == 0)
            ++j;
        if (j - i > best_len && j - i >= 2) best_start = i, best_len = j - i;
        i = j;
    }
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned nibble = (groups[i] >> shift) & 0xf;
            if (nibble != 0 || started || shift == 0) {
                out += hex[nibble];
                started = true;
            }
        }
    }
    return out;
}

// True if the first `prefix` bits of `address` and `net` agree. An IPv4-mapped address is
// compared as IPv4 against an IPv4 network; otherwise families must match. A prefix
// outside 0..address_bits(net) never matches.
inline bool in_network(const ip_address& address, const ip_address& net, int prefix) {
    const ip_address a = net.v6 ? address : unmap_ipv4(address);
    if (a.v6 != net.v6 || prefix < 0 || prefix > address_bits(net)) return false;
    const int full = prefix / 8;
    for (int i = 0; i < full; ++i)
        if (a.bytes[i] != net.bytes[i]) return false;
    const int rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a.bytes[full] & mask) == (net.bytes[full] & mask);
}

inline bool in_network(const ip_address& address, const ip_network& net) {
    return in_network(address, net.address, net.prefix);
}

// Parses "192.0.2.0/24" or "2001:db8::/32"; without "/len" the network is the single host
// (/32 or /128). The length is plain decimal without leading zeros. Host bits set beyond
// the prefix are accepted (in_network ignores them).
inline std::optional<ip_network> parse_network(std::string_view text) {
    const auto slash = text.find('/');
    auto address = parse_ip_address(text.substr(0, slash));
    if (!address) return std::nullopt;
    ip_network net{*address, address_bits(*address)};
    if (slash == std::string_view::npos) return net;
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
        return std::nullopt;
    int prefix = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        prefix = prefix * 10 + (c - '0');
    }
    if (prefix > address_bits(*address)) return std::nullopt;
    net.prefix = prefix;
    return net;
}

} // namespace arcrelay
