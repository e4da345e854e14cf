// relay/reply_mapping.hpp — one reply to the final "." from the next hop's answers
// (before-queue proxy, DESIGN.md Pipeline step 7). SMTP cannot report per-recipient results
// after DATA (LMTP can, RFC 2033 4.2, but our client cannot), so the mapping never loses a
// recipient silently:
//   every recipient accepted                      250 2.0.0 (the next hop's text when single)
//   every recipient refused alike (all 4xx/5xx)   the first refusal, as the next hop said it
//   some accepted, some deferred (any 4xx)        451 4.3.0: the client retries the whole
//                                                 message (accepted recipients may see a
//                                                 duplicate; nothing is lost)
//   some accepted, the rest refused (5xx only)    550 5.x.x: the client bounces to the sender
//                                                 naming the refusal (no silent loss, no
//                                                 retry loop of duplicates)
#pragma once

#include "smtp/client_connection.hpp"
#include "smtp/reply.hpp"

#include <span>

namespace arcrelay::relay {

// `results`: one per next-hop transaction (several with VERP). An empty span is a broken
// invariant answered 451 4.3.0.
smtp::reply map_next_hop_replies(std::span<const smtp::delivery_result> results);

} // namespace arcrelay::relay
