// smtp/client.cpp — connection pool per next hop. A completed transaction leaves the hop
// ready for the next MAIL (RFC 5321 4.1.4), so a pooled connection is reused without a
// round trip: it is checked for a close or an unasked reply (a 421) without sending
// anything, and a transaction that broke on it before the hop answered anything is sent
// again once on a new connection (what Postfix's RSET probe of a cached session guards
// against, one round trip per message less).
#include "smtp/client.hpp"

#include <boost/asio/this_coro.hpp>

namespace arcrelay::smtp {

namespace asio = boost::asio;

smtp_client::smtp_client(client_config config) : config_(std::move(config)) {}

std::size_t smtp_client::idle_connections() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

std::unique_ptr<client_connection> smtp_client::take_idle() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
        auto entry = std::move(idle_.back());
        idle_.pop_back();
        if (now - entry.since < config_.timeouts.idle && entry.connection->still_open())
            return std::move(entry.connection);
    }
    return nullptr;
}

void smtp_client::give_back(std::unique_ptr<client_connection> c) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < config_.max_idle)
        idle_.push_back({std::move(c), std::chrono::steady_clock::now()});
}

asio::awaitable<delivery_result> smtp_client::deliver(const transaction& t) {
    if (auto idle = take_idle()) {
        auto result = co_await idle->send(config_, t);
        if (idle->usable()) give_back(std::move(idle));
        if (idle == nullptr || idle->heard_back()) co_return result;
        // The hop closed it as it was reused: nothing of this transaction was answered.
    }
    auto c = std::make_unique<client_connection>(co_await asio::this_coro::executor);
    reply hello = co_await c->open(config_);
    if (!hello.positive()) {
        delivery_result failed;
        failed.overall = hello;
        failed.recipients.assign(t.env.rcpts.size(), hello);
        co_return failed;
    }
    auto result = co_await c->send(config_, t);
    if (c->usable()) give_back(std::move(c));
    co_return result;
}

} // namespace arcrelay::smtp
