// relay/encoded_words.cpp — see encoded_words.hpp. RFC 2047 sections 2, 4, 5 and 6.
#include "relay/encoded_words.hpp"

#include "mail/base64.hpp"
#include "mail/header_field.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace arcrelay::relay {
namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct encoded_word {
    std::string charset; // without an RFC 2231 language suffix
    char encoding = 'B';
    std::string_view text;
    std::size_t length = 0; // of the whole word in the input
};

// RFC 2047 2: encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
std::optional<encoded_word> parse_encoded_word(std::string_view s) {
    if (!s.starts_with("=?")) return std::nullopt;
    const auto q1 = s.find('?', 2);
    if (q1 == std::string_view::npos || q1 == 2) return std::nullopt;
    if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
    const char enc = s[q1 + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return std::nullopt;
    const auto end = s.find("?=", q1 + 3);
    if (end == std::string_view::npos) return std::nullopt;
    encoded_word w;
    w.charset = std::string(s.substr(2, q1 - 2));
    if (const auto star = w.charset.find('*'); star != std::string::npos) w.charset.resize(star);
    w.encoding = (enc == 'b' || enc == 'B') ? 'B' : 'Q';
    w.text = s.substr(q1 + 3, end - (q1 + 3));
    for (const char c : w.text)
        if (is_wsp(c)) return std::nullopt; // RFC 2047 5: no white space inside
    w.length = end + 2;
    return w;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// RFC 2047 4.2: "_" is a space, "=XX" an octet.
std::optional<std::string> decode_q(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out += ' ';
        } else if (text[i] == '=') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
    std::string out;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += ch;
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::optional<std::string> decode_word(const encoded_word& w) {
    std::optional<std::string> bytes;
    if (w.encoding == 'B') {
        const auto raw = mail::base64_decode(w.text);
        if (!raw) return std::nullopt;
        bytes = std::string(raw->begin(), raw->end());
    } else {
        bytes = decode_q(w.text);
    }
    if (!bytes) return std::nullopt;
    if (mail::iequals(w.charset, "iso-8859-1") || mail::iequals(w.charset, "latin1"))
        return latin1_to_utf8(*bytes);
    return bytes;
}

} // namespace

std::string decode_unstructured(std::string_view value) {
    std::string out;
    std::string pending_space; // whitespace after an encoded-word, dropped if another follows
    bool after_word = false;
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == '\r' || c == '\n') { // RFC 5322 2.2.3 unfolding
            ++i;
            continue;
        }
        if (is_wsp(c)) {
            (after_word ? pending_space : out) += c;
            ++i;
            continue;
        }
        if (const auto w = parse_encoded_word(value.substr(i))) {
            if (const auto text = decode_word(*w)) {
                pending_space.clear(); // RFC 2047 6.2
                out += *text;
                after_word = true;
                i += w->length;
                continue;
            }
        }
        out += pending_space;
        pending_space.clear();
        after_word = false;
        out += c;
        ++i;
    }
    return out + pending_space;
}

bool starts_with_encoded_word(std::string_view text) {
    return parse_encoded_word(text).has_value();
}

std::string encode_word(std::string_view utf8) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(utf8.data());
    return "=?utf-8?b?" + mail::base64_encode(std::span(data, utf8.size())) + "?=";
}

} // namespace arcrelay::relay
