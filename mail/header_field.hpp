// mail/header_field.hpp — one header field, kept byte for byte (RFC 5322 §2.2).
//
// DKIM and ARC sign the exact bytes of header fields (RFC 6376 §3.4.1 "simple"),
// so a field is stored as it arrived: name, optional WSP, colon, the folded value
// and the terminating CRLF. Everything else is a view computed on demand.
#pragma once

#include <string>
#include <string_view>

namespace arcrelay::mail {

// ASCII case-insensitive equality, as RFC 5322 field names compare.
bool iequals(std::string_view a, std::string_view b);

class header_field {
public:
    // `raw` must be a complete field including its final CRLF; the caller (the message
    // parser or a header writer) guarantees a colon is present.
    explicit header_field(std::string raw);

    // Builds "Name: value\r\n"; `value` may already be folded (CRLF + WSP).
    static header_field make(std::string_view name, std::string_view value);

    const std::string& raw() const { return raw_; }
    // The field name without trailing WSP (view into raw()).
    std::string_view name() const;
    // Everything after the colon up to, not including, the final CRLF (view into raw()).
    std::string_view value() const;
    bool is(std::string_view field_name) const { return iequals(name(), field_name); }

private:
    std::string raw_;
    std::size_t colon_ = 0;
};

} // namespace arcrelay::mail
