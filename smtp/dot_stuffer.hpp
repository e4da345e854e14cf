// smtp/dot_stuffer.hpp — the DATA content a client sends for a message (RFC 5321 4.5.2: a
// line starting with "." gets one more; the message ends in CRLF, then "." CRLF), produced in
// pieces of bounded size so that a large message is never copied whole.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace arcrelay::smtp {

class dot_stuffer {
public:
    static constexpr std::size_t default_piece = 64 * 1024;

    // `message` must outlive the stuffer.
    explicit dot_stuffer(std::string_view message);

    bool done() const { return done_; }
    // The next piece: about `piece` bytes (a line longer than that goes out whole), the
    // terminating "." line included in the last one. Valid until the next call.
    std::string_view next(std::size_t piece = default_piece);

private:
    std::string_view rest_;
    std::string buffer_;
    bool needs_crlf_;
    bool line_start_ = true;
    bool done_ = false;
};

} // namespace arcrelay::smtp
