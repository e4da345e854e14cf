// relay/recipient_policy.hpp — which RCPT TO a listener accepts (DESIGN.md Pipeline step 1):
// only configured lists and their Mailman service addresses, never an open relay; one list
// per transaction (the second gets 452 4.5.3 so the client retries it separately, RFC 5321
// 3.3), and posts never share a transaction with service addresses (posts are rewritten,
// service mail is not). Listeners with recipients = "any" accept anything, but only from
// their allowed_clients. Pure.
#pragma once

#include "config/config.hpp"
#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"

#include <span>
#include <string>
#include <string_view>

namespace arcrelay::relay {

// True when `client_ip` is in the listener's allowed_clients (or the list is empty).
bool client_allowed(const config::listener& listener, std::string_view client_ip);

// The RCPT decision for `rcpt` given the recipients already accepted in `env`:
//   250 2.1.5   accepted
//   550 5.7.1   client not in allowed_clients; or (lists) a domain we serve no list for
//   550 5.1.1   (lists) an unknown address in a list domain
//   452 4.5.3   another list, or a post mixed with service addresses, or a list address
//               mixed with other recipients (any)
smtp::reply decide_recipient(std::span<const config::mailing_list> lists,
                             const config::listener& listener, const smtp::envelope& env,
                             std::string_view rcpt);

// The list when every one of `recipients` is that list's posting address (the transaction is
// a post and gets rewritten), else nullptr.
const config::mailing_list* posted_list(std::span<const config::mailing_list> lists,
                                        std::span<const std::string> recipients);

} // namespace arcrelay::relay
