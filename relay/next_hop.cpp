// relay/next_hop.cpp — see next_hop.hpp.
#include "relay/next_hop.hpp"

#include "smtp/tls.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace arcrelay::relay {

smtp::client_config make_client_config(const config::next_hop_settings& s,
                                       std::string_view helo_name) {
    smtp::client_config c;
    c.host = s.host;
    c.port = s.port;
    c.protocol = s.protocol == config::next_hop_protocol::lmtp ? smtp::client_protocol::lmtp
                                                               : smtp::client_protocol::smtp;
    c.helo_name = std::string(helo_name);
    // Loopback next hops (Mailman, the local MTA) use self-signed certificates.
    if (s.starttls) { // [next_hop] starttls: insist on it (451 4.7.10 when not offered)
        c.tls = smtp::make_client_tls_context(false);
        c.require_tls = true;
    }
    c.timeouts.connect = s.connect_timeout;
    c.timeouts.greeting = s.greeting_timeout;
    c.timeouts.mail = s.mail_timeout;
    c.timeouts.rcpt = s.rcpt_timeout;
    c.timeouts.data_initiation = s.data_init_timeout;
    c.timeouts.data_block = s.data_block_timeout;
    c.timeouts.data_final = s.data_term_timeout;
    c.max_idle = s.pool_size;
    return c;
}

next_hop::next_hop(const config::next_hop_settings& settings, std::string_view helo_name)
    : settings_(settings) {
    if (settings.protocol == config::next_hop_protocol::maildir)
        maildir_.emplace(settings.path);
    else
        client_ = std::make_unique<smtp::smtp_client>(make_client_config(settings, helo_name));
}

boost::asio::awaitable<smtp::delivery_result> next_hop::deliver(const smtp::transaction& t,
                                                                boost::asio::thread_pool& pool) {
    if (client_) co_return co_await client_->deliver(t);
    const auto* dir = &*maildir_;
    auto reply = co_await boost::asio::co_spawn(
        pool, [dir, &t]() -> boost::asio::awaitable<smtp::reply> { co_return dir->deliver(t); },
        boost::asio::use_awaitable);
    smtp::delivery_result r;
    r.overall = reply;
    r.recipients.assign(t.env.rcpts.size(), reply);
    co_return r;
}

} // namespace arcrelay::relay
