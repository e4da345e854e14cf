// mail/address.cpp — RFC 5322 §3.4 address-list parser (with §4.4 obsolete forms).
#include "mail/address.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::mail {

namespace {

enum class token_kind { word, quoted, literal, special };
struct token {
    token_kind kind;
    std::string text; // word/literal text, quoted-string content, or the special char
};

constexpr std::size_t max_comment_depth = 64;
constexpr std::size_t max_tokens = 10000;

bool is_special(char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == ':' ||
           c == ';' || c == '@' || c == '\\' || c == ',' || c == '"';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

result<std::vector<token>> tokenize(std::string_view v) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < v.size()) {
        if (out.size() > max_tokens) return permanent_error("address list too long");
        char c = v[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '(') { // comment, nested, with quoted-pairs (RFC 5322 §3.2.2)
            std::size_t depth = 0;
            do {
                if (i >= v.size()) return permanent_error("unterminated comment");
                if (v[i] == '\\')
                    ++i;
                else if (v[i] == '(') {
                    if (++depth > max_comment_depth)
                        return permanent_error("comment nesting too deep");
                } else if (v[i] == ')')
                    --depth;
                ++i;
            } while (depth > 0);
        } else if (c == '"') {
            std::string text;
            ++i;
            while (true) {
                if (i >= v.size()) return permanent_error("unterminated quoted-string");
                if (v[i] == '"') break;
                if (v[i] == '\\' && i + 1 < v.size()) ++i;
                if (v[i] != '\r' && v[i] != '\n') text += v[i];
                ++i;
            }
            ++i;
            out.push_back({token_kind::quoted, std::move(text)});
        } else if (c == '[') {
            auto end = v.find(']', i);
            if (end == std::string_view::npos)
                return permanent_error("unterminated domain-literal");
            out.push_back({token_kind::literal, std::string(v.substr(i, end + 1 - i))});
            i = end + 1;
        } else if (is_special(c)) {
            if (c == ')' || c == ']' || c == '\\')
                return permanent_error(fmt::format("unexpected '{}' in address list", c));
            out.push_back({token_kind::special, std::string(1, c)});
            ++i;
        } else {
            std::size_t j = i;
            while (j < v.size() && !is_space(v[j]) && !is_special(v[j]))
                ++j;
            out.push_back({token_kind::word, std::string(v.substr(i, j - i))});
            i = j;
        }
    }
    return out;
}

bool is(const token& t, char c) {
    return t.kind == token_kind::special && t.text[0] == c;
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return s;
}

class parser {
public:
    explicit parser(std::vector<token> t) : t_(std::move(t)) {}

    result<std::vector<mailbox>> parse() {
        std::vector<mailbox> out;
        while (pos_ < t_.size()) {
            if (is(t_[pos_], ',')) { // obs-addr-list allows empty elements
                ++pos_;
                continue;
            }
            if (starts_group()) {
                if (auto s = group(out); !s) return s.error();
            } else {
                auto m = parse_mailbox();
                if (!m) return m.error();
                out.push_back(std::move(*m));
            }
            if (pos_ < t_.size()) {
                if (!is(t_[pos_], ',')) return permanent_error("expected ',' between addresses");
                ++pos_;
            }
        }
        return out;
    }

private:
    // A group's display-name is followed by ':' before any '<', '@' or ','.
    bool starts_group() const {
        for (std::size_t i = pos_; i < t_.size(); ++i) {
            if (is(t_[i], ':')) return true;
            if (t_[i].kind == token_kind::special) return false;
        }
        return false;
    }

    status group(std::vector<mailbox>& out) {
        while (!is(t_[pos_], ':'))
            ++pos_;
        ++pos_;
        while (pos_ < t_.size() && !is(t_[pos_], ';')) {
            if (is(t_[pos_], ',')) {
                ++pos_;
                continue;
            }
            auto m = parse_mailbox();
            if (!m) return m.error();
            out.push_back(std::move(*m));
        }
        if (pos_ >= t_.size()) return permanent_error("group without ';'");
        ++pos_; // ';'
        return ok_v;
    }

    result<mailbox> parse_mailbox() {
        // name-addr if a '<' comes before the next ',' / ';'.
        std::size_t angle = pos_;
        while (angle < t_.size() && !is(t_[angle], '<') && !is(t_[angle], ',') &&
               !is(t_[angle], ';'))
            ++angle;
        mailbox m;
        if (angle < t_.size() && is(t_[angle], '<')) {
            for (std::size_t i = pos_; i < angle; ++i) {
                if (t_[i].kind == token_kind::special)
                    return permanent_error("special character in display name");
                if (!m.display_name.empty()) m.display_name += ' ';
                m.display_name += t_[i].text;
            }
            pos_ = angle + 1;
            if (pos_ < t_.size() && is(t_[pos_], '@')) { // obs-route "@a,@b:"
                while (pos_ < t_.size() && !is(t_[pos_], ':'))
                    ++pos_;
                if (pos_ >= t_.size()) return permanent_error("unterminated route");
                ++pos_;
            }
            if (auto s = addr_spec(m); !s) return s.error();
            if (pos_ >= t_.size() || !is(t_[pos_], '>'))
                return permanent_error("unterminated angle-addr");
            ++pos_;
            return m;
        }
        if (auto s = addr_spec(m); !s) return s.error();
        return m;
    }

    status addr_spec(mailbox& m) {
        // local-part: words, quoted-strings and '.' up to '@'.
        while (pos_ < t_.size() && !is(t_[pos_], '@')) {
            const auto& tk = t_[pos_];
            if (tk.kind == token_kind::special) return permanent_error("address without '@domain'");
            m.local_part += tk.text;
            ++pos_;
        }
        if (pos_ >= t_.size() || m.local_part.empty())
            return permanent_error("address without local-part or '@domain'");
        ++pos_; // '@'
        while (pos_ < t_.size() &&
               (t_[pos_].kind == token_kind::word || t_[pos_].kind == token_kind::literal)) {
            m.domain += t_[pos_].text;
            ++pos_;
        }
        if (m.domain.empty()) return permanent_error("address without domain");
        m.domain = lower(std::move(m.domain));
        return ok_v;
    }

    std::vector<token> t_;
    std::size_t pos_ = 0;
};

} // namespace

result<std::vector<mailbox>> parse_address_list(std::string_view value) {
    auto tokens = tokenize(value);
    if (!tokens) return tokens.error();
    return parser(std::move(*tokens)).parse();
}

result<std::vector<std::string>> author_domains(const message& m) {
    auto from = m.fields("From");
    if (from.empty()) return permanent_error("no From header field");
    if (from.size() > 1) return permanent_error("more than one From header field");
    auto list = parse_address_list(from.front()->value());
    if (!list) return permanent_error("From: " + list.error().message);
    std::vector<std::string> domains;
    for (const auto& mb : *list)
        if (std::find(domains.begin(), domains.end(), mb.domain) == domains.end())
            domains.push_back(mb.domain);
    if (domains.empty()) return permanent_error("From holds no mailbox");
    return domains;
}

} // namespace arcrelay::mail
