// smtp/data_reader.hpp — the DATA phase (RFC 5321 4.1.1.4): finds the end of the message,
// undoes dot-stuffing (4.5.2) and notes every defect while reading to the end, so the
// refusal is given in sync with the client.
//
// SMTP smuggling: only <CRLF>.<CRLF> ends the data (2.3.8, 4.1.1.4); a bare LF or bare CR
// anywhere makes the message refused, and a "." line after a bare LF does not end it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace arcrelay::smtp {

enum class data_defect {
    none,
    too_big,       // more than the message size limit (RFC 1870)
    bare_lf,       // a line ended with LF not preceded by CR
    bare_cr,       // a CR not followed by LF
    nul,           // a NUL octet (RFC 5321 4.5.2 / RFC 6152 2)
    line_too_long, // a text line over the limit (RFC 5321 4.5.3.1.6)
};

class data_reader {
public:
    // Limits in octets: the message (raw, as sent) and one text line including CRLF.
    // `expected`: the size MAIL FROM declared (RFC 1870), 0 if none; room for that much (at
    // most max_message) is set aside at once, so a large message is not regrown and copied.
    data_reader(std::size_t max_message, std::size_t max_line, std::size_t expected = 0);

    // Consumes bytes of `in` up to and including the terminator; returns how many were
    // consumed. After done() is true, the rest of `in` belongs to the command stream.
    std::size_t consume(std::string_view in);

    bool done() const { return done_; }
    // The most serious defect seen (too_big first), or none.
    data_defect defect() const;
    // Unstuffed content with CRLF endings; emptied once the size limit is passed.
    std::string take_message() { return std::move(message_); }

private:
    void add_to_line(std::string_view piece);
    void finish_line();

    std::size_t max_message_;
    std::size_t max_line_;
    std::string line_;      // the current line (its last two octets once overlong_)
    bool overlong_ = false; // the current line passed max_line_
    bool prev_crlf_ = true; // the previous line ended in CRLF (DATA's own CRLF at first)
    std::size_t size_ = 0;  // raw octets of data lines so far
    std::string message_;
    bool done_ = false;
    bool too_big_ = false;
    bool bare_lf_ = false;
    bool bare_cr_ = false;
    bool nul_ = false;
    bool line_too_long_ = false;
};

} // namespace arcrelay::smtp
