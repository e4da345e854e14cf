// mail/address.hpp — RFC 5322 §3.4 address lists and the RFC5322.From author domain
// that DMARC evaluates (RFC 7489 §3.1, §6.6.1).
#pragma once

#include "base/result.hpp"
#include "mail/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::mail {

struct mailbox {
    std::string display_name; // decoded from atoms/quoted-string, comments dropped
    std::string local_part;   // as written (quoted-string keeps its quotes' content)
    std::string domain;       // lower-case; a domain-literal keeps its brackets
};

// Parses an address-list (mailboxes and groups, comments and FWS anywhere, quoted local
// parts, obsolete routes). Permanent errors: an unterminated quoted-string, comment or
// angle-addr, an address without "@domain", stray specials.
result<std::vector<mailbox>> parse_address_list(std::string_view value);

// The author domain(s) of a message: the distinct domains of the From field's mailboxes.
// Permanent errors, as RFC 7489 §6.6.1 asks a validator to notice: no From field, more
// than one From field, a From that does not parse or holds no mailbox.
result<std::vector<std::string>> author_domains(const message& m);

} // namespace arcrelay::mail
