// report/rua.cpp — see rua.hpp.
#include "report/rua.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace arcrelay::report {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// RFC 3986 2.1 percent-decoding; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] without the "!".
result<std::uint64_t> parse_size(std::string_view s) {
    unsigned shift = 0;
    if (!s.empty()) {
        const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
        const std::string_view units = "kmgt";
        if (const auto u = units.find(unit); u != std::string_view::npos) {
            shift = 10 * static_cast<unsigned>(u + 1);
            s.remove_suffix(1);
        }
    }
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return permanent_error("size must be digits and an optional unit k, m, g or t");
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char c : s) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (n > (max - digit) / 10) return permanent_error("size overflows");
        n = n * 10 + digit;
    }
    if (shift > 0 && n > (max >> shift)) return permanent_error("size overflows");
    return n << shift;
}

// RFC 5321 4.1.2 Dot-string of atext (RFC 5322 3.2.3; a "!" arrives %-escaped, RFC 7489 6.4):
// the address becomes an RCPT and a To: field as it is.
bool is_local_part(std::string_view s) {
    constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~.";
    return !s.empty() && s.front() != '.' && s.back() != '.' &&
           s.find("..") == std::string_view::npos && std::all_of(s.begin(), s.end(), [&](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) ||
                      specials.find(c) != std::string_view::npos;
           });
}

// RFC 1035 2.3.1 / RFC 1123 2.1: LDH labels of 1..63 octets, at most 253 in all.
bool is_host_name(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    for (std::size_t start = 0; start <= s.size();) {
        const auto dot = std::min(s.find('.', start), s.size());
        const auto label = s.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
            }))
            return false;
        start = dot + 1;
    }
    return true;
}

} // namespace

result<rua_uri> parse_rua(std::string_view uri) {
    rua_uri out;
    std::string_view rest = uri;
    if (const auto bang = rest.rfind('!'); bang != std::string_view::npos) {
        auto size = parse_size(rest.substr(bang + 1));
        if (!size) return permanent_error(fmt::format("{}: {}", uri, size.error().message));
        out.max_bytes = *size;
        rest = rest.substr(0, bang);
    }
    // RFC 7489 6.4: a "!" of the URI itself is %-escaped; only the size suffix has one.
    if (rest.find('!') != std::string_view::npos)
        return permanent_error(fmt::format("{}: an unescaped \"!\" (write %21)", uri));
    out.uri = std::string(rest);
    constexpr std::string_view scheme = "mailto:";
    const auto lower_prefix = [&] {
        std::string p(rest.substr(0, std::min(rest.size(), scheme.size())));
        for (auto& c : p)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return p;
    };
    if (lower_prefix() != scheme) return permanent_error(fmt::format("{}: not a mailto: URI", uri));
    rest.remove_prefix(scheme.size());
    if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
    auto address = percent_decode(rest);
    if (!address) return permanent_error(fmt::format("{}: bad %-escape", uri));
    // Decoded CR/LF would inject header fields into the report mail.
    if (std::any_of(address->begin(), address->end(),
                    [](unsigned char c) { return c <= 32 || c == 127; }))
        return permanent_error(fmt::format("{}: a control character or space in the address", uri));
    const auto at = address->rfind('@');
    if (at == std::string::npos || !is_local_part(std::string_view(*address).substr(0, at)) ||
        !is_host_name(std::string_view(*address).substr(at + 1)))
        return permanent_error(fmt::format("{}: not a mailbox (local@domain)", uri));
    out.address = *address;
    out.host = address->substr(at + 1);
    for (auto& c : out.host)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace arcrelay::report
