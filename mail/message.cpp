// mail/message.cpp — see message.hpp. RFC 5322 §2.1, §2.2, §2.2.3 (folding).
#include "mail/message.hpp"

#include <fmt/format.h>

namespace arcrelay::mail {

namespace {

bool is_field_name_char(unsigned char c) {
    return c >= 33 && c <= 126 && c != ':';
}

} // namespace

std::vector<const header_field*> message::fields(std::string_view name) const {
    std::vector<const header_field*> out;
    for (const auto& f : headers_)
        if (f.is(name)) out.push_back(&f);
    return out;
}

std::size_t message::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& f : headers_)
        n += f.is(name) ? 1 : 0;
    return n;
}

void message::prepend(header_field field) {
    headers_.insert(headers_.begin(), std::move(field));
}

std::string message::serialise() const {
    std::size_t size = body_.size() + 2;
    for (const auto& f : headers_)
        size += f.raw().size();
    std::string out;
    out.reserve(size);
    for (const auto& f : headers_)
        out += f.raw();
    if (has_separator_ || !body_.empty()) out += "\r\n";
    out += body_;
    return out;
}

result<std::pair<message, std::size_t>> parse_header_block(std::string_view data,
                                                           const message_limits& limits) {
    message m;
    std::size_t pos = 0;
    std::size_t line_no = 0;
    std::string current; // the field being assembled (with its continuation lines)
    auto flush = [&]() -> status {
        if (current.empty()) return ok_v;
        if (m.headers_.size() >= limits.max_header_fields)
            return permanent_error(
                fmt::format("more than {} header fields", limits.max_header_fields), line_no);
        m.headers_.emplace_back(std::move(current));
        current.clear();
        return ok_v;
    };
    while (pos < data.size()) {
        ++line_no;
        auto lf = data.find('\n', pos);
        if (lf == std::string_view::npos)
            return permanent_error("header block not terminated by CRLF", line_no);
        if (lf == pos || data[lf - 1] != '\r')
            return permanent_error("bare LF in header block", line_no);
        std::string_view line = data.substr(pos, lf + 1 - pos); // includes CRLF
        if (line.size() > limits.max_line_bytes)
            return permanent_error(
                fmt::format("header line longer than {} bytes", limits.max_line_bytes), line_no);
        if (pos + line.size() > limits.max_header_bytes)
            return permanent_error(
                fmt::format("header block larger than {} bytes", limits.max_header_bytes), line_no);
        if (line.substr(0, line.size() - 2).find('\r') != std::string_view::npos)
            return permanent_error("bare CR in header block", line_no);
        pos = lf + 1;
        if (line.size() == 2) { // the empty line ending the header block
            if (auto s = flush(); !s) return s.error();
            m.has_separator_ = true;
            return std::pair{std::move(m), pos};
        }
        if (line[0] == ' ' || line[0] == '\t') { // RFC 5322 §2.2.3 continuation
            if (current.empty())
                return permanent_error("continuation line before the first header field", line_no);
            current.append(line);
            continue;
        }
        std::size_t i = 0;
        while (i < line.size() && is_field_name_char(static_cast<unsigned char>(line[i])))
            ++i;
        std::size_t name_end = i;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i; // obs-FWS
        if (name_end == 0 || i >= line.size() || line[i] != ':')
            return permanent_error("line is neither a header field nor a continuation", line_no);
        if (auto s = flush(); !s) return s.error();
        current.assign(line);
    }
    if (auto s = flush(); !s) return s.error();
    return std::pair{std::move(m), data.size()}; // header block only, no body
}

result<message> parse_message(std::string_view data, const message_limits& limits) {
    auto parsed = parse_header_block(data, limits);
    if (!parsed) return parsed.error();
    auto& [m, body_at] = *parsed;
    m.body_.assign(data.substr(body_at));
    return std::move(m);
}

result<message> parse_owned_message(std::string data, const message_limits& limits) {
    auto parsed = parse_header_block(data, limits);
    if (!parsed) return parsed.error();
    auto& [m, body_at] = *parsed;
    data.erase(0, body_at); // the body stays in the buffer it arrived in
    m.body_ = std::move(data);
    return std::move(m);
}

std::string normalize_line_endings(std::string_view data) {
    std::string out;
    out.reserve(data.size() + data.size() / 32);
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) out += '\r';
        out += data[i];
    }
    return out;
}

} // namespace arcrelay::mail
