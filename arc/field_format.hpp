// arc/field_format.hpp — writes ARC-Seal and ARC-Message-Signature fields.
//
// Tags are written in the order given, "; " between them. Unlike DKIM's writer
// (auth/dkim/field_writer.hpp, b= last), ARC fields follow the ValiMail ARC test suite's
// standard layout (tags in alphabetical order, so b= comes second), which makes signatures
// reproducible against that suite. Folded, b= always starts a line and ends its own lines,
// so everything after it is laid out the same whatever b= holds: the field with b= emptied
// (RFC 6376 §3.7) canonicalizes to the signed form. Lines stay within 78 columns
// (RFC 5322 §2.1.1).
#pragma once

#include "mail/header_field.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arcrelay::arc {

using tag_values = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::size_t fold_column = 78;

// "Name: t1=v1; t2=v2\r\n", folded when `fold` (else one line, as the ValiMail suite's
// standard layout wants: no whitespace but one space after each ';').
mail::header_field format_arc_field(std::string_view name, const tag_values& tags, bool fold);

} // namespace arcrelay::arc
