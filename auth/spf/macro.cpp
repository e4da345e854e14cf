// auth/spf/macro.cpp — SPF macro strings (RFC 7208 7).
#include "auth/spf/macro.hpp"

#include "auth/spf/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::auth::spf {
namespace {

constexpr std::string_view domain_letters = "slodipvh";         // RFC 7208 7.2
constexpr std::string_view explanation_letters = "slodipvhcrt"; // RFC 7208 7.2, exp only
constexpr std::string_view delimiter_chars = ".-+,/_=";         // RFC 7208 7.1 delimiter

using detail::is_alnum;
using detail::is_digit;
using detail::to_lower;

// RFC 7208 7.1 macro-literal = %x21-24 / %x26-7E; explain-string adds SP.
bool is_literal(char c, macro_context context) {
    const auto u = static_cast<unsigned char>(c);
    if (u == ' ') return context == macro_context::explanation;
    return u >= 0x21 && u <= 0x7e && c != '%';
}

// RFC 3986 2.3 unreserved characters stay, everything else becomes %XX (RFC 7208 7.3).
std::string url_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved)
            out += c;
        else
            out += fmt::format("%{:02X}", u);
    }
    return out;
}

// Parses "%{" letter transformers *delimiter "}" starting after "%{"; `pos` ends after "}".
arcrelay::result<macro_token> parse_macro(std::string_view text, std::size_t& pos,
                                          macro_context context) {
    if (pos >= text.size()) return permanent_error("unterminated macro");
    macro_token token;
    token.type = macro_token::kind::macro;
    const char letter = text[pos++];
    token.letter = to_lower(letter);
    token.url_escape = letter >= 'A' && letter <= 'Z';
    const auto allowed =
        context == macro_context::explanation ? explanation_letters : domain_letters;
    if (allowed.find(token.letter) == std::string_view::npos)
        return permanent_error(fmt::format("macro letter '{}' not allowed here", letter));
    if (pos < text.size() && is_digit(text[pos])) {
        long value = 0;
        while (pos < text.size() && is_digit(text[pos]))
            value = std::min<long>(value * 10 + (text[pos++] - '0'), max_macro_parts);
        // RFC 7208 7.3: a DIGIT transformer MUST be nonzero.
        if (value == 0) return permanent_error("macro transformer 0");
        token.parts = static_cast<int>(value);
    }
    if (pos < text.size() && to_lower(text[pos]) == 'r') {
        token.reverse = true;
        ++pos;
    }
    while (pos < text.size() && delimiter_chars.find(text[pos]) != std::string_view::npos)
        token.delimiters += text[pos++];
    if (pos >= text.size() || text[pos] != '}')
        return permanent_error("malformed macro: expected '}'");
    ++pos;
    return token;
}

// Applies the transformers of RFC 7208 7.3: split on the delimiters, optionally reverse,
// keep the rightmost parts, rejoin with ".".
std::string transform(std::string_view value, const macro_token& token) {
    if (token.parts == 0 && !token.reverse && token.delimiters.empty()) return std::string(value);
    const std::string_view delimiters =
        token.delimiters.empty() ? std::string_view(".") : std::string_view(token.delimiters);
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        if (i == value.size() || delimiters.find(value[i]) != std::string_view::npos) {
            parts.push_back(value.substr(start, i - start));
            start = i + 1;
        }
    }
    if (token.reverse) std::reverse(parts.begin(), parts.end());
    const std::size_t keep =
        token.parts == 0 ? parts.size() : std::min(parts.size(), std::size_t(token.parts));
    std::string out;
    for (std::size_t i = parts.size() - keep; i < parts.size(); ++i) {
        if (i != parts.size() - keep) out += '.';
        out += parts[i];
    }
    return out;
}

} // namespace

std::string dotted_ip(const ip_address& ip) {
    if (!ip.v6) return format_ip_address(ip);
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    for (auto byte : ip.bytes) {
        for (int nibble : {byte >> 4, byte & 0xf}) {
            if (!out.empty()) out += '.';
            out += hex[nibble];
        }
    }
    return out;
}

arcrelay::result<macro_string> parse_macro_string(std::string_view text, macro_context context) {
    macro_string out;
    auto append_literal = [&](std::string_view s) {
        if (out.tokens.empty() || out.tokens.back().type != macro_token::kind::literal)
            out.tokens.push_back(macro_token{});
        out.tokens.back().text += s;
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c != '%') {
            if (!is_literal(c, context))
                return permanent_error(
                    fmt::format("character 0x{:02x} not allowed", static_cast<unsigned char>(c)));
            append_literal(text.substr(pos++, 1));
            out.ends_with_macro = false;
            continue;
        }
        if (pos + 1 >= text.size()) return permanent_error("'%' at the end of a macro string");
        const char next = text[pos + 1];
        pos += 2;
        out.ends_with_macro = true;
        // RFC 7208 7.1: "%%" is "%", "%_" a space, "%-" the URL-encoded space "%20".
        if (next == '%') {
            append_literal("%");
        } else if (next == '_') {
            append_literal(" ");
        } else if (next == '-') {
            append_literal("%20");
        } else if (next == '{') {
            auto token = parse_macro(text, pos, context);
            if (!token) return token.error();
            out.tokens.push_back(std::move(*token));
        } else {
            return permanent_error(fmt::format("'%' followed by '{}'", next));
        }
    }
    return out;
}

expansion expand_macro_string(const macro_string& macros, const macro_values& values) {
    expansion out;
    for (const auto& token : macros.tokens) {
        if (token.type == macro_token::kind::literal) {
            out.text += token.text;
            continue;
        }
        std::string value;
        switch (token.letter) {
        case 's':
            value = values.sender;
            out.used_local_part = true;
            break;
        case 'l':
            value = values.local_part;
            out.used_local_part = true;
            break;
        case 'o':
            value = values.sender_domain;
            break;
        case 'd':
            value = values.domain;
            break;
        case 'i':
            value = dotted_ip(values.ip);
            break;
        case 'p':
            value = values.validated_domain ? values.validated_domain() : "unknown";
            break;
        case 'v':
            value = values.ip.v6 ? "ip6" : "in-addr";
            break;
        case 'h':
            value = values.helo;
            break;
        case 'c':
            value = format_ip_address(values.ip);
            break;
        case 'r':
            value = values.receiver;
            break;
        case 't':
            value = std::to_string(values.timestamp);
            break;
        }
        value = transform(value, token);
        out.text += token.url_escape ? url_escape(value) : value;
    }
    return out;
}

} // namespace arcrelay::auth::spf
