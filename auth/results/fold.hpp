// auth/results/fold.hpp — folding a structured field value at its whitespace (RFC 5322 2.2.3,
// 2.1.1: lines of at most 78 characters where possible).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace arcrelay::auth::results::detail {

// Appends `line` (which holds no CR or LF) to `out`, the first octet landing in column
// `column`. Where the line would pass max_line_length, "\r\n" is inserted before the space or
// tab that starts a whitespace run, so unfolding gives back `line` exactly and no line is only
// whitespace; never after a backslash (RFC 5322 3.2.1: a quoted-pair may escape the space).
// When `column` is not 0 the line already holds text (the field name, say), so a
// fold may come before the first word of `line`. A word longer than the limit stays whole.
// Returns the column after the last octet.
std::size_t append_folded(std::string& out, std::string_view line, std::size_t column);

} // namespace arcrelay::auth::results::detail
