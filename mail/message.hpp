// mail/message.hpp — lossless RFC 5322 message: header fields in order, body untouched.
//
// The parser keeps every byte so that signatures over the message (DKIM, ARC) verify
// exactly as the sender computed them; serialise() returns the input unchanged.
// Lines must end in CRLF (RFC 5322 §2.1); LF-only input is normalised by the caller
// at the CLI boundary (normalize_line_endings) and refused elsewhere.
#pragma once

#include "base/result.hpp"
#include "mail/header_field.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arcrelay::mail {

struct message_limits {
    std::size_t max_header_fields = 1000;       // fields in the header block
    std::size_t max_header_bytes = 1024 * 1024; // bytes in the header block
    std::size_t max_line_bytes = 998 + 2;       // RFC 5322 §2.1.1, incl. CRLF
};

class message {
public:
    std::vector<header_field>& headers() { return headers_; }
    const std::vector<header_field>& headers() const { return headers_; }
    // The body: everything after the empty line that ends the header block.
    const std::string& body() const { return body_; }
    std::string& body() { return body_; }
    // True when the input had the empty separator line (a message may have no body).
    bool has_separator() const { return has_separator_; }

    // Fields named `name` in message order (top first).
    std::vector<const header_field*> fields(std::string_view name) const;
    std::size_t count(std::string_view name) const;

    // Adds a field at the top of the header block (trace-style, as A-R and ARC sets are).
    void prepend(header_field field);
    // Removes every field for which pred(field) is true; returns how many went.
    template <class Pred>
    std::size_t remove_if(Pred pred) {
        auto before = headers_.size();
        std::erase_if(headers_, pred);
        return before - headers_.size();
    }

    // The whole message as bytes: header fields, separator line, body.
    std::string serialise() const;

private:
    friend result<std::pair<message, std::size_t>> parse_header_block(std::string_view,
                                                                      const message_limits&);
    friend result<message> parse_message(std::string_view, const message_limits&);
    friend result<message> parse_owned_message(std::string, const message_limits&);
    std::vector<header_field> headers_;
    std::string body_;
    bool has_separator_ = false;
};

// Parses `data` (CRLF lines). Errors, permanent, with the 1-based line number:
// a line in the header block that is neither a field nor a continuation, a continuation
// before any field, a field name with characters outside %d33-57 / %d59-126, a bare CR
// or LF in the header block, more than max_header_fields fields, a header block larger
// than max_header_bytes, a header line longer than max_line_bytes.
result<message> parse_message(std::string_view data, const message_limits& limits = {});
// The same, taking `data` over: the body keeps its buffer, so a large message is not copied
// (the relay's pipeline).
result<message> parse_owned_message(std::string data, const message_limits& limits = {});

// Turns bare LF line ends into CRLF, leaving existing CRLF alone. Used only where mail
// arrives from a file or pipe (CLI), never on SMTP input.
std::string normalize_line_endings(std::string_view data);

} // namespace arcrelay::mail
