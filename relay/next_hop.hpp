// relay/next_hop.hpp — the "forward" stage's destination (DESIGN.md Pipeline step 7): an
// SMTP or LMTP client with pooled connections (smtp/client.hpp), or a maildir written on the
// worker pool (fsync blocks). Built from [next_hop] / [listener.next_hop].
#pragma once

#include "config/config.hpp"
#include "smtp/client.hpp"
#include "smtp/maildir.hpp"

#include <memory>
#include <optional>
#include <string_view>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

namespace arcrelay::relay {

// The smtp client settings for `settings` (RFC 5321 4.5.3.2 timeouts, EHLO/LHLO name).
smtp::client_config make_client_config(const config::next_hop_settings& settings,
                                       std::string_view helo_name);

class next_hop {
public:
    next_hop(const config::next_hop_settings& settings, std::string_view helo_name);

    // Delivers one transaction and never throws for delivery trouble: failures are replies
    // (451 4.4.x when the hop cannot be reached, 451 4.3.0 for I/O errors).
    boost::asio::awaitable<smtp::delivery_result> deliver(const smtp::transaction& t,
                                                          boost::asio::thread_pool& pool);

    const config::next_hop_settings& settings() const { return settings_; }

private:
    config::next_hop_settings settings_;
    std::optional<smtp::maildir> maildir_;
    std::unique_ptr<smtp::smtp_client> client_;
};

} // namespace arcrelay::relay
