// relay/rewrite.cpp — see rewrite.hpp. RFC 2047 (encoded-words in Subject), RFC 2369 and
// RFC 2919 (List-* fields), RFC 5321 4.4 (the reverse-path receives the bounces).
#include "relay/rewrite.hpp"

#include "mail/header_field.hpp"
#include "relay/encoded_words.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace arcrelay::relay {
namespace {

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool icontains(std::string_view haystack, std::string_view needle) {
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    return it != haystack.end();
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    return s;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The names set_list_headers() replaces.
constexpr std::array<std::string_view, 6> list_field_names{
    "List-Id",        "List-Post",        "List-Help",
    "List-Subscribe", "List-Unsubscribe", "List-Unsubscribe-Post"};

std::string service_address(const config::mailing_list& list, std::string_view suffix) {
    return list.local_part + std::string(suffix) + "@" + list.domain;
}

} // namespace

std::string verp_address(std::string_view bounce_address, std::string_view recipient) {
    const auto at = bounce_address.rfind('@');
    const auto local = bounce_address.substr(0, at);
    const auto domain =
        at == std::string_view::npos ? std::string_view{} : bounce_address.substr(at);
    std::string encoded(recipient);
    if (const auto rat = encoded.rfind('@'); rat != std::string::npos) encoded[rat] = '=';
    return std::string(local) + "+" + encoded + std::string(domain);
}

std::vector<forward_envelope> rewrite_envelope(const config::mailing_list& list,
                                               std::span<const std::string> recipients) {
    if (!list.verp) return {{list.bounce_address, {recipients.begin(), recipients.end()}}};
    std::vector<forward_envelope> out;
    out.reserve(recipients.size());
    for (const auto& r : recipients)
        out.push_back({verp_address(list.bounce_address, r), {r}});
    return out;
}

bool subject_has_prefix(std::string_view subject_value, std::string_view prefix) {
    const auto needle = trim_right(prefix);
    if (needle.empty()) return true;
    return icontains(decode_unstructured(subject_value), needle);
}

namespace {
// Appends the pieces to one string (operator+ chains trip g++ 12's -Wrestrict at -O3).
std::string concat(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (auto p : pieces)
        out.append(p);
    return out;
}
} // namespace

std::string prefixed_subject(std::string_view subject_value, std::string_view prefix) {
    if (subject_has_prefix(subject_value, prefix)) return std::string(subject_value);
    std::string_view rest = trim_right(trim_left(subject_value));
    if (rest.empty()) rest = no_subject;
    if (is_ascii(prefix)) return concat({" ", prefix, rest});
    // RFC 2047 6.2: whitespace between two encoded-words is not displayed, so the prefix's own
    // trailing whitespace goes inside its word when an encoded-word follows.
    const auto bare = trim_right(prefix);
    const auto gap = prefix.substr(bare.size());
    if (starts_with_encoded_word(rest)) return concat({" ", encode_word(prefix), " ", rest});
    return concat({" ", encode_word(bare), gap.empty() ? " " : gap, rest});
}

void rewrite_subject(mail::message& m, std::string_view prefix) {
    if (prefix.empty()) return;
    auto& headers = m.headers();
    const auto it = std::find_if(headers.begin(), headers.end(),
                                 [](const mail::header_field& f) { return f.is("Subject"); });
    if (it == headers.end()) {
        const auto value = prefixed_subject("", prefix);
        headers.push_back(mail::header_field::make("Subject", trim_left(value)));
        return;
    }
    if (subject_has_prefix(it->value(), prefix)) return;
    const auto value = prefixed_subject(it->value(), prefix);
    *it = mail::header_field::make(it->name(), trim_left(value));
}

std::vector<mail::header_field> list_header_fields(const config::mailing_list& list) {
    return {
        mail::header_field::make("List-Id", "<" + list.list_id + ">"),          // RFC 2919 2
        mail::header_field::make("List-Post", "<mailto:" + list.address + ">"), // RFC 2369 3.4
        mail::header_field::make(                                               // RFC 2369 3.1
            "List-Help", "<mailto:" + service_address(list, "-request") + "?subject=help>"),
        mail::header_field::make("List-Subscribe", // RFC 2369 3.3
                                 "<mailto:" + service_address(list, "-join") + ">"),
        mail::header_field::make("List-Unsubscribe", // RFC 2369 3.2
                                 "<mailto:" + service_address(list, "-leave") + ">"),
    };
}

void set_list_headers(mail::message& m, const config::mailing_list& list) {
    m.remove_if([](const mail::header_field& f) {
        return std::any_of(list_field_names.begin(), list_field_names.end(),
                           [&](std::string_view n) { return f.is(n); });
    });
    for (auto& f : list_header_fields(list))
        m.headers().push_back(std::move(f));
}

void rewrite_post(mail::message& m, const config::mailing_list& list) {
    rewrite_subject(m, list.subject_prefix);
    if (list.list_headers) set_list_headers(m, list);
}

} // namespace arcrelay::relay
