// smtp/reply_reader.cpp — reply syntax (RFC 5321 4.2: Reply-code [ SP / "-" textstring ]),
// enhanced code at the start of the text (RFC 2034 4).
#include "smtp/reply_reader.hpp"

namespace arcrelay::smtp {

namespace {

bool valid_code(std::string_view line) {
    return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' &&
           line[1] <= '5' && line[2] >= '0' && line[2] <= '9';
}

// Continuation ('-') or last line; false when the separator is malformed.
bool separator(std::string_view line, bool& last) {
    if (line.size() == 3) {
        last = true;
        return true;
    }
    if (line[3] != ' ' && line[3] != '-') return false;
    last = line[3] == ' ';
    return true;
}

// Finds the end (after CRLF) of a complete reply in `text`, or npos; sets `bad` when the
// text is already malformed.
std::size_t find_reply_end(std::string_view text, bool& bad) {
    std::size_t pos = 0;
    for (std::size_t n = 0; n < reply_reader::max_lines; ++n) {
        const auto crlf = text.find("\r\n", pos);
        if (crlf == std::string_view::npos) {
            bad = text.size() - pos > reply_reader::max_line;
            return std::string_view::npos;
        }
        const auto line = text.substr(pos, crlf - pos);
        bool last = false;
        if (line.size() > reply_reader::max_line || !valid_code(line) ||
            line.substr(0, 3) != text.substr(0, 3) || !separator(line, last)) {
            bad = true;
            return std::string_view::npos;
        }
        pos = crlf + 2;
        if (last) return pos;
    }
    bad = true;
    return std::string_view::npos;
}

} // namespace

result<reply> parse_reply(std::string_view text) {
    bool bad = false;
    if (find_reply_end(text, bad) != text.size()) return permanent_error("malformed SMTP reply");
    reply r;
    r.code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
    r.status = enhanced_code{text[0] - '0', 0, 0};
    bool first = true;
    while (!text.empty()) {
        const auto crlf = text.find("\r\n");
        auto content = text.substr(0, crlf);
        text.remove_prefix(crlf + 2);
        content.remove_prefix(std::min<std::size_t>(4, content.size()));
        // RFC 2034 4: the enhanced code starts the text of each line; its class must
        // match the reply's.
        const auto sp = content.find(' ');
        enhanced_code c;
        if (parse_enhanced_code(content.substr(0, sp), c) && c.klass == r.code / 100) {
            if (first) r.status = c;
            content = sp == std::string_view::npos ? std::string_view{} : content.substr(sp + 1);
        }
        first = false;
        r.lines.emplace_back(content);
    }
    return r;
}

std::optional<result<reply>> reply_reader::next() {
    bool bad = false;
    const auto end = find_reply_end(buffer_, bad);
    if (bad) {
        buffer_.clear();
        return result<reply>(permanent_error("malformed SMTP reply"));
    }
    if (end == std::string_view::npos) return std::nullopt;
    auto r = parse_reply(std::string_view(buffer_).substr(0, end));
    buffer_.erase(0, end);
    return r;
}

} // namespace arcrelay::smtp
