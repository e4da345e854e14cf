// smtp/reply_reader.hpp — parses replies received from a next hop (RFC 5321 4.2,
// multi-line 4.2.1, enhanced codes RFC 2034/3463). Malformed input is a typed error,
// never passed on: the caller maps it to a generic 451 4.3.0.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "smtp/reply.hpp"

namespace arcrelay::smtp {

class reply_reader {
public:
    // RFC 5321 4.5.3.1.5 allows 512 octets; longer lines from real servers are tolerated
    // up to this many, beyond which the reply is malformed.
    static constexpr std::size_t max_line = 2048;
    static constexpr std::size_t max_lines = 100;

    void append(std::string_view bytes) { buffer_.append(bytes); }
    // The next complete reply; nullopt when more input is needed; an error for a
    // malformed reply (the connection is then out of sync and must be dropped).
    std::optional<result<reply>> next();
    // Input left over after the last complete reply.
    bool empty() const { return buffer_.empty(); }

private:
    std::string buffer_;
};

// Parses one complete reply given as its wire text (every line ending in CRLF).
result<reply> parse_reply(std::string_view text);

} // namespace arcrelay::smtp
