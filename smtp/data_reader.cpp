// smtp/data_reader.cpp — DATA phase reader: terminator, dot-unstuffing, defect tracking
// (RFC 5321 2.3.8, 4.1.1.4, 4.5.2, 4.5.3.1.6).
#include "smtp/data_reader.hpp"

#include <algorithm>

namespace arcrelay::smtp {

namespace {
constexpr std::string_view terminator = ".\r\n";
}

data_reader::data_reader(std::size_t max_message, std::size_t max_line, std::size_t expected)
    : max_message_(max_message), max_line_(max_line) {
    message_.reserve(std::min(expected, max_message));
}

std::size_t data_reader::consume(std::string_view in) {
    std::size_t pos = 0;
    while (pos < in.size() && !done_) {
        const auto lf = in.find('\n', pos);
        const auto end = lf == std::string_view::npos ? in.size() : lf + 1;
        add_to_line(in.substr(pos, end - pos));
        pos = end;
        if (lf != std::string_view::npos) finish_line();
    }
    return pos;
}

void data_reader::add_to_line(std::string_view piece) {
    size_ += piece.size();
    line_.append(piece);
    if (line_.size() > max_line_) overlong_ = true;
    // Past the limit keep only the last two octets: enough to tell CRLF from a bare LF.
    if (overlong_ && line_.size() > 2) line_.erase(0, line_.size() - 2);
}

void data_reader::finish_line() {
    const bool crlf = line_.size() >= 2 && line_[line_.size() - 2] == '\r';
    // RFC 5321 4.1.1.4: the end is <CRLF>.<CRLF>, i.e. "." + CRLF after a CRLF.
    if (!overlong_ && prev_crlf_ && line_ == terminator) {
        done_ = true;
        size_ -= terminator.size();
        return;
    }
    if (!crlf) bare_lf_ = true;
    if (overlong_ || line_.size() > max_line_) line_too_long_ = true;
    if (!overlong_) {
        std::string_view content(line_);
        content.remove_suffix(crlf ? 2 : 1);
        if (content.find('\r') != std::string_view::npos) bare_cr_ = true;
        if (content.find('\0') != std::string_view::npos) nul_ = true;
        if (!content.empty() && content.front() == '.') content.remove_prefix(1); // 4.5.2
        if (!too_big_) message_.append(content).append("\r\n");
    }
    if (size_ > max_message_ && !too_big_) {
        too_big_ = true;
        std::string().swap(message_);
    }
    prev_crlf_ = crlf;
    line_.clear();
    overlong_ = false;
}

data_defect data_reader::defect() const {
    if (too_big_) return data_defect::too_big;
    if (bare_lf_) return data_defect::bare_lf;
    if (bare_cr_) return data_defect::bare_cr;
    if (nul_) return data_defect::nul;
    if (line_too_long_) return data_defect::line_too_long;
    return data_defect::none;
}

} // namespace arcrelay::smtp
