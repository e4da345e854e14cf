// mail/tag_list.hpp — RFC 6376 §3.2 tag=value lists (DKIM-Signature, key records,
// ARC-Seal, ARC-Message-Signature, DMARC records).
#pragma once

#include "base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::mail {

struct tag {
    std::string name;
    std::string value; // leading/trailing FWS removed; inner FWS kept as written
};

class tag_list {
public:
    const std::vector<tag>& tags() const { return tags_; }
    // The value of tag `name` (case-sensitive, RFC 6376 §3.2), if present.
    std::optional<std::string_view> get(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }
    void add(tag t) { tags_.push_back(std::move(t)); }
    void reserve(std::size_t n) { tags_.reserve(n); }

private:
    std::vector<tag> tags_;
};

// Parses a tag-list. Permanent errors: a tag-spec without "=", an empty or invalid
// tag-name (must be ALPHA *(ALPHA / DIGIT / "_")), a character outside VALCHAR/WSP in a
// value, a duplicate tag name, an empty tag-spec between two ";".
result<tag_list> parse_tag_list(std::string_view text);

// The value with all folding whitespace removed (base64 tags b=, bh=, p=; RFC 6376 §3.5).
std::string strip_whitespace(std::string_view value);

// Splits a colon-separated value (h=) into trimmed, non-empty items.
std::vector<std::string> split_colon_list(std::string_view value);

} // namespace arcrelay::mail
