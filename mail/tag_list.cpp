// mail/tag_list.cpp — RFC 6376 §3.2 tag-list grammar:
//   tag-list = tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   VALCHAR  = %x21-3A / %x3C-7E
#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arcrelay::mail {

namespace {

constexpr bool is_fws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
constexpr bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_valchar(unsigned char c) {
    return c >= 0x21 && c <= 0x7e && c != ';';
}

// tag-value bytes: VALCHAR or FWS, one table look-up a byte (b= and bh= run to hundreds).
constexpr auto value_bytes = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0; c < 256; ++c)
        t[c] = is_valchar(static_cast<unsigned char>(c)) || is_fws(static_cast<char>(c));
    return t;
}();

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_fws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_fws(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::optional<std::string_view> tag_list::get(std::string_view name) const {
    for (const auto& t : tags_)
        if (t.name == name) return std::string_view(t.value);
    return std::nullopt;
}

result<tag_list> parse_tag_list(std::string_view text) {
    tag_list list;
    // Room for the tags a signature has (at most a dozen or so), not for what hostile input
    // of many ';' would ask: it fails at the first empty tag-spec.
    constexpr std::size_t usual_tags = 16;
    list.reserve(std::min(usual_tags,
                          static_cast<std::size_t>(std::count(text.begin(), text.end(), ';')) + 1));
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto semi = text.find(';', pos);
        bool last = semi == std::string_view::npos;
        std::string_view spec = text.substr(pos, last ? std::string_view::npos : semi - pos);
        pos = last ? text.size() + 1 : semi + 1;
        std::string_view trimmed = trim(spec);
        if (trimmed.empty()) {
            if (last) break; // trailing ";" (or empty input) is allowed
            return permanent_error("empty tag-spec between ';'");
        }
        auto eq = trimmed.find('=');
        if (eq == std::string_view::npos)
            return permanent_error(fmt::format("tag-spec '{:.40}' has no '='", trimmed));
        std::string_view name = trim(trimmed.substr(0, eq));
        if (name.empty() || !is_alpha(name[0]))
            return permanent_error(fmt::format("invalid tag name '{:.40}'", name));
        for (char c : name)
            if (!is_alpha(c) && !is_digit(c) && c != '_')
                return permanent_error(fmt::format("invalid tag name '{:.40}'", name));
        std::string_view value = trim(trimmed.substr(eq + 1));
        const auto bad = std::find_if(value.begin(), value.end(), [](char c) {
            return !value_bytes[static_cast<unsigned char>(c)];
        });
        if (bad != value.end())
            return permanent_error(fmt::format("invalid character 0x{:02x} in value of tag '{}'",
                                               static_cast<unsigned char>(*bad), name));
        if (list.has(name)) return permanent_error(fmt::format("duplicate tag '{}'", name));
        list.add(tag{std::string(name), std::string(value)});
    }
    return list;
}

std::string strip_whitespace(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    // Copies the runs between folds whole (a b= value is a few lines of base64).
    for (auto it = value.begin(); it != value.end();) {
        const auto run_end = std::find_if(it, value.end(), is_fws);
        out.append(it, run_end);
        it = std::find_if_not(run_end, value.end(), is_fws);
    }
    return out;
}

std::vector<std::string> split_colon_list(std::string_view value) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= value.size()) {
        auto colon = value.find(':', pos);
        auto item = trim(value.substr(pos, colon == std::string_view::npos ? std::string_view::npos
                                                                           : colon - pos));
        if (!item.empty()) out.emplace_back(item);
        if (colon == std::string_view::npos) break;
        pos = colon + 1;
    }
    return out;
}

} // namespace arcrelay::mail
