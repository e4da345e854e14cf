// smtp/reply.cpp — reply formatting (RFC 5321 4.2.1) and RFC 3463 code parsing.
#include "smtp/reply.hpp"

#include <charconv>

namespace arcrelay::smtp {

namespace {

// RFC 3463 2: subject and detail are 1 to 3 digits.
bool parse_part(std::string_view text, int& out) {
    if (text.empty() || text.size() > 3) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

} // namespace

bool parse_enhanced_code(std::string_view text, enhanced_code& out) {
    auto first = text.find('.');
    if (first == std::string_view::npos) return false;
    auto second = text.find('.', first + 1);
    if (second == std::string_view::npos) return false;
    auto klass = text.substr(0, first);
    if (klass != "2" && klass != "4" && klass != "5") return false;
    enhanced_code c;
    c.klass = klass[0] - '0';
    if (!parse_part(text.substr(first + 1, second - first - 1), c.subject)) return false;
    if (!parse_part(text.substr(second + 1), c.detail)) return false;
    out = c;
    return true;
}

reply make_reply(int code, enhanced_code status, std::string text) {
    reply r;
    r.code = code;
    r.status = status;
    r.lines.push_back(std::move(text));
    return r;
}

std::string format_reply(const reply& r) {
    std::string out;
    const std::size_t n = r.lines.empty() ? 1 : r.lines.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char sep = i + 1 < n ? '-' : ' ';
        std::string_view text = r.lines.empty() ? std::string_view{} : r.lines[i];
        if (r.status_on_wire)
            fmt::format_to(std::back_inserter(out), "{}{}{} {}\r\n", r.code, sep, r.status, text);
        else
            fmt::format_to(std::back_inserter(out), "{}{}{}\r\n", r.code, sep, text);
    }
    return out;
}

} // namespace arcrelay::smtp
