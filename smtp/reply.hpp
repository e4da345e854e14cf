// smtp/reply.hpp — an SMTP reply: basic code (RFC 5321 4.2), enhanced status code
// (RFC 3463, carried per RFC 2034) and one or more text lines, formatted as a
// multi-line reply ("250-..." / "250 ...", RFC 5321 4.2.1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace arcrelay::smtp {

// RFC 3463 2: class.subject.detail, e.g. 5.1.1.
struct enhanced_code {
    int klass = 2;
    int subject = 0;
    int detail = 0;

    friend bool operator==(const enhanced_code&, const enhanced_code&) = default;
};

// Parses "c.s.d" (RFC 3463 2: class 2/4/5, subject and detail 1-3 digits).
// Returns false when `text` is not exactly such a code.
bool parse_enhanced_code(std::string_view text, enhanced_code& out);

struct reply {
    int code = 250;
    enhanced_code status;
    std::vector<std::string> lines; // text after "code[-| ]status ", at least one line
    // RFC 2034 3: the greeting and EHLO/HELO replies carry no enhanced code on the
    // wire; the value is still kept for logs and mapping.
    bool status_on_wire = true;

    bool positive() const { return code >= 200 && code < 400; }
    bool transient() const { return code >= 400 && code < 500; }
    bool permanent() const { return code >= 500; }

    friend bool operator==(const reply&, const reply&) = default;
};

// One-line reply, e.g. make_reply(550, {5, 1, 1}, "No such user").
reply make_reply(int code, enhanced_code status, std::string text);

// The wire form, every line ending in CRLF.
std::string format_reply(const reply& r);

} // namespace arcrelay::smtp

template <>
struct fmt::formatter<arcrelay::smtp::enhanced_code> : fmt::formatter<std::string_view> {
    template <class Context>
    auto format(const arcrelay::smtp::enhanced_code& c, Context& ctx) const {
        return fmt::format_to(ctx.out(), "{}.{}.{}", c.klass, c.subject, c.detail);
    }
};

// "550 5.1.1 No such user" (lines joined by " / "), for logs.
template <>
struct fmt::formatter<arcrelay::smtp::reply> : fmt::formatter<std::string_view> {
    template <class Context>
    auto format(const arcrelay::smtp::reply& r, Context& ctx) const {
        return fmt::format_to(ctx.out(), "{} {} {}", r.code, r.status, fmt::join(r.lines, " / "));
    }
};
