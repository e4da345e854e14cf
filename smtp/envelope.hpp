// smtp/envelope.hpp — what an SMTP transaction carries: the envelope (RFC 5321 3.3) with
// the session facts a relay needs (client IP, HELO name, TLS) and the message content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace arcrelay::smtp {

// RFC 6152 2: BODY=7BIT or BODY=8BITMIME.
enum class body_type { seven_bit, eight_bit_mime };

struct envelope {
    std::string client_ip;
    std::string helo;      // EHLO/HELO argument
    bool esmtp = false;    // greeted with EHLO
    bool tls = false;      // STARTTLS completed
    std::string mail_from; // "" for the null reverse-path
    std::vector<std::string> rcpts;
    std::optional<std::size_t> declared_size; // MAIL FROM SIZE= (RFC 1870)
    body_type body = body_type::seven_bit;
    bool smtputf8 = false; // RFC 6531
};

struct transaction {
    envelope env;
    // The message as received: CRLF line endings, dot-unstuffed (RFC 5321 4.5.2),
    // without the terminating ".".
    std::string message;
};

} // namespace arcrelay::smtp
