// smtp/client.cpp — connection pool per next hop; a reused connection is checked with
// RSET first and replaced when it fails.
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
        if (now - entry.since < config_.timeouts.idle) return std::move(entry.connection);
    }
    return nullptr;
}

void smtp_client::give_back(std::unique_ptr<client_connection> c) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < config_.max_idle)
        idle_.push_back({std::move(c), std::chrono::steady_clock::now()});
}

asio::awaitable<delivery_result> smtp_client::deliver(const transaction& t) {
    std::unique_ptr<client_connection> c;
    while (auto idle = take_idle()) {
        const bool alive = co_await idle->reset(config_);
        if (alive) {
            c = std::move(idle);
            break;
        }
    }
    if (!c) {
        c = std::make_unique<client_connection>(co_await asio::this_coro::executor);
        reply hello = co_await c->open(config_);
        if (!hello.positive()) {
            delivery_result failed;
            failed.overall = hello;
            failed.recipients.assign(t.env.rcpts.size(), hello);
            co_return failed;
        }
    }
    auto result = co_await c->send(config_, t);
    if (c->usable()) give_back(std::move(c));
    co_return result;
}

} // namespace arcrelay::smtp
