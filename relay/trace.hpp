// relay/trace.hpp — the Received field a relay adds for each message it passes on
// (RFC 5321 4.4, with the RFC 3848 / RFC 6531 protocol types) and its RFC 5322 3.3 date.
#pragma once

#include "mail/header_field.hpp"
#include "smtp/envelope.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace arcrelay::relay {

// "Sun, 29 Nov 2026 19:57:01 +0000" for `epoch_seconds` (UTC).
std::string format_rfc5322_date(std::uint64_t epoch_seconds);

// "Received: from HELO ([IP]) by HOST with ESMTPS id ID; DATE". The protocol is SMTP,
// ESMTP, ESMTPS, UTF8SMTP or UTF8SMTPS from the session facts in `env`. Only one recipient
// is named ("for <...>", RFC 5321 4.4), and only when there is exactly one.
mail::header_field received_field(const smtp::envelope& env, std::string_view hostname,
                                  std::string_view id, std::uint64_t now);

} // namespace arcrelay::relay
