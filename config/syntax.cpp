// config/syntax.cpp — see syntax.hpp.
#include "config/syntax.hpp"

#include "config/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace arcrelay::config {
namespace {

bool is_ldh_label(std::string_view label) {
    if (label.empty() || label.size() > max_label_length) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    return std::all_of(label.begin(), label.end(),
                       [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
}

// RFC 5322 3.2.3 atext.
bool is_atext(unsigned char c) {
    static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
    return std::isalnum(c) != 0 || specials.find(static_cast<char>(c)) != std::string_view::npos;
}

} // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_domain_name(std::string_view name, bool require_dot) {
    if (name.empty() || name.size() > max_domain_length) return false;
    std::size_t labels = 0;
    for (std::size_t start = 0;;) {
        const auto dot = name.find('.', start);
        if (!is_ldh_label(name.substr(start, dot - start))) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return !require_dot || labels >= 2;
}

bool is_dot_atom(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.') return false;
    if (text.find("..") != std::string_view::npos) return false;
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return c == '.' || is_atext(c); });
}

bool is_token(std::string_view text) {
    static constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return c > 32 && c < 127 && tspecials.find(static_cast<char>(c)) == std::string_view::npos;
    });
}

bool is_field_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return c >= 33 && c <= 126 && c != ':';
    });
}

result<mailbox> parse_mailbox(std::string_view text) {
    const auto at = text.rfind('@');
    if (at == std::string_view::npos) return permanent_error("not an address (no @)");
    const auto local = text.substr(0, at);
    const auto domain = text.substr(at + 1);
    if (local.size() > max_local_part_length)
        return permanent_error(
            fmt::format("local part longer than {} octets", max_local_part_length));
    if (!is_dot_atom(local)) return permanent_error(fmt::format("bad local part \"{}\"", local));
    if (!is_domain_name(domain, true))
        return permanent_error(fmt::format("bad domain \"{}\"", domain));
    return mailbox{ascii_lower(local), ascii_lower(domain)};
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5 || text.front() == '0') return std::nullopt;
    unsigned n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    if (n > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(n);
}

status parse_next_hop_uri(std::string_view uri, next_hop_settings& hop) {
    const auto colon = uri.find(':');
    const auto protocol =
        parse_name<next_hop_protocol>(colon == std::string_view::npos ? uri : uri.substr(0, colon));
    if (!protocol || colon == std::string_view::npos)
        return permanent_error("must be lmtp:HOST:PORT, smtp:HOST:PORT or maildir:PATH");
    const auto rest = uri.substr(colon + 1);
    if (*protocol == next_hop_protocol::maildir) {
        if (rest.empty()) return permanent_error("maildir: needs a directory");
        hop.protocol = *protocol;
        hop.host.clear();
        hop.port = 0;
        hop.path = std::string(rest);
        return ok_v;
    }
    const auto last = rest.rfind(':');
    if (last == std::string_view::npos)
        return permanent_error(fmt::format("{}: needs HOST:PORT", name_of(*protocol)));
    std::string_view host = rest.substr(0, last);
    const auto port = parse_port(rest.substr(last + 1));
    if (!port) return permanent_error(fmt::format("bad port \"{}\"", rest.substr(last + 1)));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
        const auto address = parse_ip_address(host);
        if (!address || !address->v6)
            return permanent_error(fmt::format("bad IPv6 address \"{}\"", host));
    } else if (host.find(':') != std::string_view::npos ||
               (!parse_ip_address(host) && !is_domain_name(host, false))) {
        return permanent_error(fmt::format("bad host \"{}\" ([] around IPv6)", host));
    }
    hop.protocol = *protocol;
    hop.host = std::string(host);
    hop.port = *port;
    hop.path.clear();
    return ok_v;
}

std::optional<dns_server> parse_dns_server(std::string_view text) {
    dns_server server;
    std::string_view address = text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        address = text.substr(1, close - 1);
        const auto after = text.substr(close + 1);
        if (!after.empty()) {
            const auto port = after.front() == ':' ? parse_port(after.substr(1)) : std::nullopt;
            if (!port) return std::nullopt;
            server.port = *port;
        }
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        const auto colon = text.find(':');
        address = text.substr(0, colon);
        const auto port = parse_port(text.substr(colon + 1));
        if (!port) return std::nullopt;
        server.port = *port;
    }
    const auto ip = parse_ip_address(address);
    if (!ip || (address.size() != text.size() && text.front() == '[' && !ip->v6))
        return std::nullopt;
    server.address = *ip;
    return server;
}

} // namespace arcrelay::config
