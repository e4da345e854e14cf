// smtp/dot_stuffer.cpp — RFC 5321 4.5.2 transparency, piece by piece.
#include "smtp/dot_stuffer.hpp"

namespace arcrelay::smtp {

dot_stuffer::dot_stuffer(std::string_view message)
    : rest_(message), needs_crlf_(!message.empty() && !message.ends_with("\r\n")) {}

std::string_view dot_stuffer::next(std::size_t piece) {
    buffer_.clear();
    while (buffer_.size() < piece && !rest_.empty()) {
        if (line_start_ && rest_.front() == '.') buffer_ += '.';
        const auto lf = rest_.find('\n');
        const std::size_t take = lf == std::string_view::npos ? rest_.size() : lf + 1;
        buffer_.append(rest_.substr(0, take));
        line_start_ = lf != std::string_view::npos;
        rest_.remove_prefix(take);
    }
    if (rest_.empty() && !done_) {
        if (needs_crlf_) buffer_ += "\r\n";
        buffer_ += ".\r\n";
        done_ = true;
    }
    return buffer_;
}

} // namespace arcrelay::smtp
