// smtp/transaction_handler.hpp — what the relay implements to receive mail from a
// server_session: recipient decisions during RCPT and the delivery of a complete
// transaction, whose reply becomes the reply to the final "." (before-queue proxy).
#pragma once

#include <string_view>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/awaitable.hpp>

#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"

namespace arcrelay::smtp {

class transaction_handler {
public:
    virtual ~transaction_handler() = default;

    // RCPT TO decision (syntax already checked). 2xx accepts; 550 5.1.1 for unknown
    // addresses, 452 4.5.3 for a second list, ... Called from many sessions at once.
    virtual reply check_recipient(const envelope& env, std::string_view rcpt) = 0;

    // Delivers a complete transaction, which it takes over (a message is not copied); the
    // reply is sent to the client as is. An exception is answered 451 4.3.0.
    virtual boost::asio::awaitable<reply> deliver(transaction t) = 0;
};

} // namespace arcrelay::smtp
