// relay/list_signing.hpp — the optional DKIM signature a list adds as its own domain before
// sealing (DESIGN.md Pipeline step 5, [[list]] dkim_sign), so list mail can pass DMARC for the
// list domain on its own.
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"
#include "mail/message.hpp"
#include "relay/message_checks.hpp"

#include <cstdint>
#include <vector>

namespace arcrelay::relay {

// True when `domain` is `list_domain` or one of its parents (a key for example.org may sign
// for lists.example.org: relaxed alignment, RFC 7489 §3.1.1).
bool key_covers(std::string_view key_domain, std::string_view list_domain);

// Prepends one DKIM-Signature (relaxed/relaxed, the default signed and oversigned headers) per
// configured key that covers the list's domain. Returns how many were added. Errors: signing
// failed (the key does not fit its algorithm).
result<std::size_t> sign_for_list(mail::message& m, const config::mailing_list& list,
                                  const std::vector<sealing_key>& keys, std::uint64_t now);

// The same for any domain (the list's, or the reporting address's for DMARC report mail).
result<std::size_t> sign_for_domain(mail::message& m, std::string_view domain,
                                    const std::vector<sealing_key>& keys, std::uint64_t now);

} // namespace arcrelay::relay
