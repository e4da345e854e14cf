// smtp/address.cpp — RFC 5321 4.1.2 path syntax and esmtp-param lists; RFC 6531 3.3
// extends atext and sub-domains with UTF-8 when SMTPUTF8 was given.
#include "smtp/address.hpp"

#include "base/utf8.hpp"

#include <algorithm>
#include <cctype>

namespace arcrelay::smtp {

namespace {

bool is_alnum(unsigned char c) {
    return std::isalnum(c) != 0 && c < 0x80;
}

bool is_atext(unsigned char c, bool utf8) {
    if (c >= 0x80) return utf8;
    if (is_alnum(c)) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
           std::string_view::npos;
}

// Dot-string = Atom *("." Atom)
bool valid_dot_string(std::string_view s, bool utf8) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!is_atext(c, utf8)) {
            return false;
        }
    }
    return true;
}

// Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE
bool valid_quoted_string(std::string_view s, bool utf8) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\\') {
            ++i;
            if (i + 1 >= s.size()) return false;
            const auto q = static_cast<unsigned char>(s[i]);
            if (q < 32 || q > 126) return false;
        } else if (c >= 0x80) {
            if (!utf8) return false;
        } else if (c < 32 || c == 127 || c == '"') {
            return false;
        }
    }
    return true;
}

// sub-domain = Let-dig [Ldh-str]; U-labels when utf8 (RFC 6531 3.3).
bool valid_domain(std::string_view d, bool utf8) {
    if (d.empty() || d.size() > max_domain) return false;
    if (d.front() == '[') {
        // address-literal: checked for shape only; the relay never routes on it.
        if (d.back() != ']' || d.size() < 3) return false;
        return std::all_of(d.begin() + 1, d.end() - 1, [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c > 32 && c < 127 && c != '[' && c != ']' && c != '\\';
        });
    }
    std::size_t start = 0;
    while (start <= d.size()) {
        auto end = d.find('.', start);
        if (end == std::string_view::npos) end = d.size();
        auto label = d.substr(start, end - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') return false;
        for (char ch : label) {
            const auto c = static_cast<unsigned char>(ch);
            if (!(is_alnum(c) || c == '-' || (utf8 && c >= 0x80))) return false;
        }
        start = end + 1;
    }
    return true;
}

bool valid_mailbox(std::string_view m, bool utf8) {
    const auto at = m.rfind('@');
    if (at == std::string_view::npos) return false;
    const auto local = m.substr(0, at);
    const auto domain = m.substr(at + 1);
    if (local.size() > max_local_part) return false;
    const bool local_ok =
        local.front() == '"' ? valid_quoted_string(local, utf8) : valid_dot_string(local, utf8);
    return local_ok && valid_domain(domain, utf8);
}

// Finds the '>' closing a path that starts at text[0] == '<', skipping quoted parts.
std::size_t find_path_end(std::string_view text) {
    bool quoted = false;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (quoted && text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && text[i] == '>') {
            return i;
        }
    }
    return std::string_view::npos;
}

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126)
// (RFC 6531 3.3 adds UTF-8 to the value).
bool parse_params(std::string_view text, std::vector<esmtp_param>& out) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text[pos] == ' ') {
            ++pos;
            continue;
        }
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        auto token = text.substr(pos, end - pos);
        esmtp_param p;
        const auto eq = token.find('=');
        p.keyword = std::string(token.substr(0, eq));
        if (p.keyword.empty() || p.keyword.front() == '-') return false;
        for (char ch : p.keyword)
            if (!(is_alnum(static_cast<unsigned char>(ch)) || ch == '-')) return false;
        if (eq != std::string_view::npos) {
            p.has_value = true;
            p.value = std::string(token.substr(eq + 1));
            if (p.value.empty()) return false;
            for (char ch : p.value) {
                const auto c = static_cast<unsigned char>(ch);
                if (c == '=' || (c < 33) || c == 127) return false;
            }
        }
        out.push_back(std::move(p));
        pos = end;
    }
    return true;
}

} // namespace

bool has_non_ascii(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

result<path_argument> parse_path_argument(std::string_view text, bool allow_null,
                                          bool allow_postmaster, bool utf8) {
    // RFC 5321 4.1.1.2: no space is allowed after the colon, but common clients send one.
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    if (text.empty() || text.front() != '<') return permanent_error("path must start with '<'");
    const auto close = find_path_end(text);
    if (close == std::string_view::npos) return permanent_error("path is missing its '>'");
    auto path = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ' ') return permanent_error("junk after the path");

    path_argument arg;
    if (!parse_params(rest, arg.params)) return permanent_error("malformed parameter");
    if (path.size() + 2 > max_path) return permanent_error("path longer than 256 octets");
    if (path.empty()) {
        if (!allow_null) return permanent_error("null path not allowed here");
        return arg;
    }
    // RFC 5321 4.1.2 A-d-l: a source route is accepted and ignored (C.).
    if (path.front() == '@') {
        const auto colon = path.find(':');
        if (colon == std::string_view::npos) return permanent_error("malformed source route");
        path.remove_prefix(colon + 1);
    }
    if (allow_postmaster && iequals(path, "postmaster")) {
        arg.mailbox = std::string(path);
        return arg;
    }
    // RFC 6531 3.3: a non-ASCII mailbox is UTF-8; malformed sequences are not a mailbox.
    if (utf8 && first_invalid_utf8(path))
        return permanent_error("mailbox is not well-formed UTF-8 (RFC 6531 3.3)");
    if (!valid_mailbox(path, utf8)) return permanent_error("malformed mailbox");
    arg.mailbox = std::string(path);
    return arg;
}

} // namespace arcrelay::smtp
