// relay/encoded_words.hpp — RFC 2047 encoded-words in unstructured header fields (Subject):
// decoding for comparisons and encoding of a UTF-8 phrase. Used by the list rewriting
// (DESIGN.md Pipeline step 5) to keep the subject prefix idempotent.
#pragma once

#include <string>
#include <string_view>

namespace arcrelay::relay {

// The text of an unstructured field value with folds removed (RFC 5322 2.2.3) and every
// well-formed encoded-word (RFC 2047 2) decoded: "B" and "Q" encodings (RFC 2047 4.1, 4.2),
// whitespace between adjacent encoded-words dropped (RFC 2047 6.2). UTF-8 and US-ASCII are
// kept as they are, ISO-8859-1 is converted to UTF-8, other charsets' bytes are kept (their
// ASCII range is what a prefix comparison needs). Malformed encoded-words stay as written.
std::string decode_unstructured(std::string_view value);

// True when `text` starts with an encoded-word ("=?charset?X?...?=").
bool starts_with_encoded_word(std::string_view text);

// `utf8` as one "B" encoded-word in UTF-8 (RFC 2047 4.1), e.g. "=?utf-8?b?w6k=?=".
std::string encode_word(std::string_view utf8);

} // namespace arcrelay::relay
