// smtp/listener.cpp — accept loop, connection limits and drain.
#include "smtp/listener.hpp"

#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace arcrelay::smtp {

namespace asio = boost::asio;

// Held by a session for its lifetime; gives its connection back when it ends.
class listener::slot {
public:
    slot(std::shared_ptr<listener> owner, std::string ip, std::uint64_t id)
        : owner_(std::move(owner)), ip_(std::move(ip)), id_(id) {}
    ~slot() { owner_->release(ip_, id_); }
    slot(const slot&) = delete;
    slot& operator=(const slot&) = delete;

private:
    std::shared_ptr<listener> owner_;
    std::string ip_;
    std::uint64_t id_;
};

listener::listener(asio::io_context& ioc, listener_config config,
                   std::shared_ptr<transaction_handler> handler)
    : ioc_(ioc), config_(std::move(config)), handler_(std::move(handler)),
      acceptor_(asio::make_strand(ioc), config_.endpoint), drain_timer_(acceptor_.get_executor()) {}

asio::ip::tcp::endpoint listener::local_endpoint() const {
    return acceptor_.local_endpoint();
}

void listener::start() {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(shared_from_this()), asio::detached);
}

std::size_t listener::connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

asio::awaitable<void> listener::accept_loop(std::shared_ptr<listener> self) {
    while (self->acceptor_.is_open()) {
        boost::system::error_code ec;
        auto socket = co_await self->acceptor_.async_accept(
            asio::make_strand(self->ioc_), asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) break;
        if (ec) {
            // e.g. out of file descriptors: back off instead of spinning
            asio::steady_timer pause(self->acceptor_.get_executor(),
                                     std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        self->admit(std::move(socket));
    }
}

asio::awaitable<void> listener::refuse(asio::ip::tcp::socket socket, std::string text) {
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(text),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

void listener::admit(asio::ip::tcp::socket socket) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return; // already gone
    // Replies are written whole, one write per burst of commands: Nagle would only hold a
    // reply back until the client ACKs the previous one (RFC 896 vs. delayed ACKs).
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto addr = remote.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
        addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
    const std::string ip = addr.to_string();
    if (config_.admit_client && !config_.admit_client(ip)) {
        auto ex = socket.get_executor();
        asio::co_spawn(
            ex,
            refuse(std::move(socket),
                   format_reply(make_reply(554, {5, 7, 1}, "Client address not allowed here"))),
            asio::detached);
        return;
    }

    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        auto& from_ip = per_ip_[ip];
        if (stopping_ || sessions_.size() >= config_.limits.total ||
            from_ip >= config_.limits.per_ip) {
            const char* why = from_ip >= config_.limits.per_ip ? "Too many connections from your IP"
                                                               : "Too many connections, try later";
            if (from_ip == 0) per_ip_.erase(ip);
            auto ex = socket.get_executor();
            asio::co_spawn(ex,
                           refuse(std::move(socket), format_reply(make_reply(421, {4, 7, 0}, why))),
                           asio::detached);
            return;
        }
        ++from_ip;
        id = next_id_++;
        sessions_[id]; // reserved; filled below
    }
    auto session =
        std::make_shared<server_session>(std::move(socket), config_.session, handler_,
                                         std::make_shared<slot>(shared_from_this(), ip, id));
    {
        std::lock_guard lock(mutex_);
        sessions_[id] = session;
    }
    server_session::start(std::move(session));
}

void listener::release(const std::string& ip, std::uint64_t id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
    if (auto it = per_ip_.find(ip); it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
    if (stopping_ && sessions_.empty())
        asio::post(drain_timer_.get_executor(),
                   [self = shared_from_this()] { self->drain_timer_.cancel(); });
}

std::vector<std::shared_ptr<server_session>> listener::open_sessions() const {
    std::vector<std::shared_ptr<server_session>> open;
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : sessions_)
        if (auto s = weak.lock()) open.push_back(std::move(s));
    return open; // released outside the lock: a session's end takes the lock again
}

void listener::stop(std::chrono::steady_clock::duration deadline) {
    asio::post(acceptor_.get_executor(), [self = shared_from_this(), deadline] {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
        {
            std::lock_guard lock(self->mutex_);
            self->stopping_ = true;
        }
        const auto open = self->open_sessions();
        if (open.empty()) return;
        for (auto& s : open)
            s->drain();
        self->drain_timer_.expires_after(deadline);
        self->drain_timer_.async_wait([self](boost::system::error_code wait_ec) {
            if (wait_ec) return; // every session ended in time
            for (auto& s : self->open_sessions())
                s->abort();
        });
    });
}

} // namespace arcrelay::smtp
