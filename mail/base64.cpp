// mail/base64.cpp — see base64.hpp.
#include "mail/base64.hpp"

#include <array>

namespace arcrelay::mail {

namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t whitespace = 0x80, padding = 0x81, invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_values() {
    std::array<std::uint8_t, 256> v{};
    v.fill(invalid);
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        v[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    for (char c : {' ', '\t', '\r', '\n'})
        v[static_cast<unsigned char>(c)] = whitespace;
    v['='] = padding;
    return v;
}
constexpr auto values = make_values();

std::uint8_t value_of(char c) {
    return values[static_cast<unsigned char>(c)];
}

} // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string out((bytes.size() + 2) / 3 * 4, '=');
    char* o = out.data();
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t q = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
        *o++ = alphabet[q >> 18];
        *o++ = alphabet[q >> 12 & 63];
        *o++ = alphabet[q >> 6 & 63];
        *o++ = alphabet[q & 63];
    }
    if (const std::size_t left = bytes.size() - i; left > 0) { // RFC 4648 §4: pad with '='
        const std::uint32_t q = bytes[i] << 16 | (left == 2 ? bytes[i + 1] << 8 : 0);
        o[0] = alphabet[q >> 18];
        o[1] = alphabet[q >> 12 & 63];
        if (left == 2) o[2] = alphabet[q >> 6 & 63];
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3 + 3);
    std::uint32_t quantum = 0;
    unsigned count = 0;             // characters in `quantum`
    std::size_t after_complete = 0; // where the text after the last complete quantum starts
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::uint8_t v = value_of(text[i]);
        if (v == invalid) return std::nullopt;
        if (v > 63) continue; // whitespace or padding
        quantum = quantum << 6 | v;
        if (++count == 4) {
            out.push_back(static_cast<std::uint8_t>(quantum >> 16));
            out.push_back(static_cast<std::uint8_t>(quantum >> 8));
            out.push_back(static_cast<std::uint8_t>(quantum));
            quantum = 0;
            count = 0;
            after_complete = i + 1;
        }
    }
    if (count > 0) { // a partial last quantum, as if zero-padded: count - 1 bytes
        quantum <<= 6 * (4 - count);
        for (unsigned k = 0; k + 1 < count; ++k)
            out.push_back(static_cast<std::uint8_t>(quantum >> (16 - 8 * k)));
        return out;
    }
    for (std::size_t i = after_complete; i < text.size(); ++i) // only whitespace may follow
        if (value_of(text[i]) != whitespace) return std::nullopt;
    return out;
}

} // namespace arcrelay::mail
