// config/recipients.hpp — which list, if any, an RCPT TO address belongs to.
//
// A configured list accepts its posting address and Mailman 3's service addresses
// LIST-bounces, -confirm, -join, -leave, -owner, -request, -subscribe and -unsubscribe
// (Mailman's LMTP runner and Postfix maps use exactly these; -subscribe/-unsubscribe are
// Mailman's aliases of -join/-leave). -bounces and -confirm also take a "+detail"
// subaddress (VERP bounces, confirmation tokens). DESIGN.md Pipeline step 1.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace arcrelay::config {

enum class recipient_role {
    post,
    bounces,
    confirm,
    join,
    leave,
    owner,
    request,
    subscribe,
    unsubscribe,
};

struct recipient_match {
    const mailing_list* list; // points into the lists given to match_recipient
    recipient_role role;
};

// The list and role of `address` ("local@domain", no angle brackets; case-insensitive),
// or nullopt when it belongs to no configured list.
std::optional<recipient_match> match_recipient(std::span<const mailing_list> lists,
                                               std::string_view address);

} // namespace arcrelay::config
