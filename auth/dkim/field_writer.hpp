// auth/dkim/field_writer.hpp — writes tag=value header fields (DKIM-Signature,
// ARC-Message-Signature, ARC-Seal) folded under 78 columns (RFC 5322 §2.1.1, §2.2.3).
#pragma once

#include "mail/header_field.hpp"

#include <string>
#include <utility>
#include <vector>

namespace arcrelay::auth::dkim {

using tag_values = std::vector<std::pair<std::string, std::string>>;

// "Name: t1=v1; t2=v2;\r\n\tb=..." with CRLF. Tags are folded between specs; long values
// (h=, bh=, b=) are broken across lines (FWS inside a value is ignored by verifiers for
// base64, and h= breaks at ':'). The b= tag, when present, must be last and always starts
// on a line of its own, so the field with b= empty is a prefix-exact match of the signed
// field once remove_b_value() is applied (RFC 6376 §3.7).
mail::header_field format_tag_field(std::string_view name, const tag_values& tags);

} // namespace arcrelay::auth::dkim
