// auth/spf/record.cpp — SPF record selection and parsing (RFC 7208 4.5, 4.6.1, 5, 6, 7.1).
#include "auth/spf/record.hpp"

#include "auth/spf/ascii.hpp"
#include "auth/spf/domain_name.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::auth::spf {
namespace {

constexpr std::string_view version = "v=spf1";

using detail::is_alpha;
using detail::is_digit;
using detail::to_lower;

// RFC 7208 5.6: ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), ip6-cidr-length likewise
// with up to three digits; the value is at most `max_bits`.
std::optional<int> parse_cidr_length(std::string_view digits, int max_bits) {
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
        return std::nullopt;
    int value = 0;
    for (char c : digits) {
        if (!is_digit(c)) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > max_bits) return std::nullopt;
    return value;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// RFC 7208 7.1: domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] )
// / macro-expand. Checked on the text as written, never after expansion.
arcrelay::result<macro_string> parse_domain_spec(std::string_view text) {
    if (text.empty()) return permanent_error("empty domain-spec");
    auto macros = parse_macro_string(text, macro_context::domain_spec);
    if (!macros) return permanent_error(fmt::format("domain-spec: {}", macros.error().message));
    if (macros->ends_with_macro) return macros;
    std::string_view name = text;
    if (name.back() == '.') name.remove_suffix(1);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || !valid_toplabel(name.substr(dot + 1)))
        return permanent_error(fmt::format("domain-spec '{}' does not end in a toplabel", text));
    return macros;
}

// Removes a trailing `separator` and CIDR length of at most `max_bits` from `args`.
status take_cidr(std::string_view& args, std::string_view separator, int max_bits, int& bits) {
    const auto pos = args.rfind(separator);
    if (pos == std::string_view::npos || !all_digits(args.substr(pos + separator.size())))
        return ok_v;
    const auto length = parse_cidr_length(args.substr(pos + separator.size()), max_bits);
    if (!length) return permanent_error(fmt::format("invalid CIDR length {}", args.substr(pos)));
    bits = *length;
    args = args.substr(0, pos);
    return ok_v;
}

// Removes a trailing dual-cidr-length (RFC 7208 5.3: [ "/" ip4 ] [ "//" ip6 ]) from `args`.
status take_dual_cidr(std::string_view& args, mechanism& m) {
    if (auto s = take_cidr(args, "//", ipv6_bits, m.cidr6); !s) return s;
    return take_cidr(args, "/", ipv4_bits, m.cidr4);
}

// ":" domain-spec, required or optional.
status take_domain_spec(std::string_view args, bool required, mechanism& m) {
    if (args.empty() && !required) return ok_v;
    if (args.empty() || args.front() != ':') return permanent_error("expected ':' domain-spec");
    auto spec = parse_domain_spec(args.substr(1));
    if (!spec) return spec.error();
    m.domain_spec = std::move(*spec);
    return ok_v;
}

// RFC 7208 5.6: "ip4" ":" ip4-network [ ip4-cidr-length ], "ip6" likewise.
status take_network(std::string_view args, bool v6, mechanism& m) {
    if (args.empty() || args.front() != ':') return permanent_error("expected ':' address");
    args.remove_prefix(1);
    const auto slash = args.find('/');
    const auto address = parse_ip_address(args.substr(0, slash));
    if (!address || address->v6 != v6)
        return permanent_error(fmt::format("invalid {} address", v6 ? "IPv6" : "IPv4"));
    int bits = address_bits(*address);
    if (slash != std::string_view::npos) {
        const auto length = parse_cidr_length(args.substr(slash + 1), bits);
        if (!length) return permanent_error("invalid CIDR length");
        bits = *length;
    }
    m.network = ip_network{*address, bits};
    return ok_v;
}

arcrelay::result<mechanism> parse_mechanism(std::string_view term) {
    mechanism m;
    m.text = std::string(term);
    if (std::string_view("+-~?").find(term.front()) != std::string_view::npos) {
        m.qualifier = static_cast<qualifier>(term.front());
        term.remove_prefix(1);
    }
    const auto name_end = std::min(term.find(':'), term.find('/'));
    const std::string name = to_lower(term.substr(0, name_end));
    std::string_view args = name_end == std::string_view::npos ? "" : term.substr(name_end);
    status parsed = ok_v;
    if (name == "all") {
        m.kind = mechanism_kind::all;
        if (!args.empty()) parsed = permanent_error("'all' takes no argument");
    } else if (name == "include" || name == "exists") {
        m.kind = name == "include" ? mechanism_kind::include : mechanism_kind::exists;
        parsed = take_domain_spec(args, true, m);
    } else if (name == "a" || name == "mx") {
        m.kind = name == "a" ? mechanism_kind::a : mechanism_kind::mx;
        parsed = take_dual_cidr(args, m);
        if (parsed) parsed = take_domain_spec(args, false, m);
    } else if (name == "ptr") {
        m.kind = mechanism_kind::ptr;
        parsed = take_domain_spec(args, false, m);
    } else if (name == "ip4" || name == "ip6") {
        m.kind = name == "ip4" ? mechanism_kind::ip4 : mechanism_kind::ip6;
        parsed = take_network(args, name == "ip6", m);
    } else {
        parsed = permanent_error("unknown mechanism");
    }
    if (!parsed) return permanent_error(fmt::format("'{}': {}", m.text, parsed.error().message));
    return m;
}

// RFC 7208 4.6.1 / A: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
bool valid_modifier_name(std::string_view name) {
    return !name.empty() && is_alpha(name.front()) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.';
           });
}

status parse_modifier(std::string_view name, std::string_view value, record& r) {
    if (!valid_modifier_name(name))
        return permanent_error(fmt::format("invalid modifier name '{}'", name));
    const std::string key = to_lower(name);
    if (key == "redirect" || key == "exp") {
        auto& slot = key == "redirect" ? r.redirect : r.explanation;
        // RFC 7208 6: redirect and exp each at most once.
        if (slot) return permanent_error(fmt::format("'{}=' given twice", key));
        auto spec = parse_domain_spec(value);
        if (!spec) return permanent_error(fmt::format("'{}=': {}", key, spec.error().message));
        slot = std::move(*spec);
        return ok_v;
    }
    // RFC 7208 6: unknown modifiers are ignored, but must be valid macro strings.
    auto macros = parse_macro_string(value, macro_context::domain_spec);
    if (!macros)
        return permanent_error(fmt::format("modifier '{}': {}", name, macros.error().message));
    return ok_v;
}

} // namespace

bool is_spf_record(std::string_view txt) {
    return txt.size() >= version.size() && to_lower(txt.substr(0, version.size())) == version &&
           (txt.size() == version.size() || txt[version.size()] == ' ');
}

arcrelay::result<std::optional<std::string>>
select_record(std::span<const std::string> txt_records) {
    std::optional<std::string> found;
    for (const auto& txt : txt_records) {
        if (!is_spf_record(txt)) continue;
        if (found) return permanent_error("more than one SPF record");
        found = txt;
    }
    return found;
}

arcrelay::result<record> parse_record(std::string_view text) {
    if (!is_spf_record(text)) return permanent_error("not an SPF record");
    record r;
    std::size_t pos = version.size();
    // RFC 7208 4.6.1: terms are separated by one or more spaces (SP only).
    while (pos < text.size()) {
        if (text[pos] == ' ') {
            ++pos;
            continue;
        }
        const auto end = std::min(text.find(' ', pos), text.size());
        const std::string_view term = text.substr(pos, end - pos);
        pos = end;
        for (char c : term) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x21 || u > 0x7e)
                return permanent_error(fmt::format("character 0x{:02x} in a term", u));
        }
        // A modifier is a name directly followed by "=" (RFC 7208 4.6.1).
        const auto name_end = std::find_if(term.begin(), term.end(), [](char c) {
            return !(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.');
        });
        if (name_end != term.end() && *name_end == '=') {
            const auto split = static_cast<std::size_t>(name_end - term.begin());
            if (auto s = parse_modifier(term.substr(0, split), term.substr(split + 1), r); !s)
                return s.error();
            continue;
        }
        auto m = parse_mechanism(term);
        if (!m) return m.error();
        r.mechanisms.push_back(std::move(*m));
    }
    return r;
}

} // namespace arcrelay::auth::spf
