// smtp/server_session.cpp — coroutine session around server_protocol; deadlines by a
// watchdog timer that cancels the pending read (RFC 5321 4.5.3.2), STARTTLS per RFC 3207.
#include "smtp/server_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace arcrelay::smtp {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

server_config protocol_config(const session_config& c) {
    server_config p = c.protocol;
    p.starttls_available = c.tls != nullptr;
    return p;
}

std::string peer_ip(const asio::ip::tcp::socket& s) {
    boost::system::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "unknown";
    auto addr = ep.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6()).to_string();
    return addr.to_string();
}

reply internal_error() {
    return make_reply(451, {4, 3, 0}, "Internal error, please try again later");
}

} // namespace

server_session::server_session(asio::ip::tcp::socket socket, const session_config& config,
                               std::shared_ptr<transaction_handler> handler,
                               std::shared_ptr<void> slot)
    : socket_(std::move(socket)), config_(config), handler_(std::move(handler)),
      slot_(std::move(slot)), client_ip_(peer_ip(socket_)),
      protocol_(protocol_config(config_), client_ip_,
                [h = handler_.get()](const envelope& e, std::string_view rcpt) {
                    return h->check_recipient(e, rcpt);
                }),
      timer_(socket_.get_executor(), clock::time_point::max()) {}

void server_session::start(std::shared_ptr<server_session> session) {
    auto ex = session->socket_.get_executor();
    asio::co_spawn(ex, run(std::move(session)), asio::detached);
}

void server_session::drain() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
        self->draining_ = true;
        if (self->reading_ && self->idle()) {
            self->interrupt_ = interrupt::drain;
            boost::system::error_code ec;
            self->socket_.cancel(ec);
        }
    });
}

void server_session::abort() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
}

asio::awaitable<void> server_session::run(std::shared_ptr<server_session> self) {
    asio::co_spawn(self->socket_.get_executor(), watchdog(self), asio::detached);
    bool failed = false;
    try {
        co_await self->serve();
    } catch (const std::exception&) {
        // STYLE.md: each session catches at its top and answers 451.
        failed = true;
    }
    if (failed && self->socket_.is_open()) {
        const reply r = internal_error();
        co_await self->say_goodbye(r);
    }
    self->finished_ = true;
    self->close_socket();
    self->timer_.cancel();
}

asio::awaitable<void> server_session::watchdog(std::shared_ptr<server_session> self) {
    while (!self->finished_) {
        boost::system::error_code ec;
        co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (self->finished_) break;
        if (clock::now() < self->deadline_) { // re-armed meanwhile: wait for the new deadline
            self->timer_.expires_at(self->deadline_);
            continue;
        }
        self->deadline_ = clock::time_point::max();
        if (self->reading_) {
            // A read: cancel it so serve() can still send 421 4.4.2.
            self->interrupt_ = interrupt::timeout;
            self->socket_.cancel(ec);
        } else {
            self->close_socket(); // a write or handshake that does not progress
        }
        self->timer_.expires_at(clock::time_point::max());
    }
}

void server_session::arm(server_timeouts::duration timeout) {
    deadline_ = timeout == server_timeouts::duration::max() ? clock::time_point::max()
                                                            : clock::now() + timeout;
    // A later deadline is left to the watchdog, which finds it when the timer fires; only an
    // earlier one moves the timer (waking the watchdog, which waits again). Most re-arms push
    // the deadline later, so this spares a timer reschedule per command.
    if (deadline_ < timer_.expiry()) timer_.expires_at(deadline_);
}

bool server_session::idle() const {
    const auto p = protocol_.phase();
    return p == protocol_phase::first_command || p == protocol_phase::mail;
}

void server_session::close_socket() {
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
}

server_timeouts::duration server_session::read_timeout(protocol_phase before) const {
    const auto& t = config_.timeouts;
    switch (protocol_.phase()) {
    case protocol_phase::first_command:
        return t.first_command;
    case protocol_phase::mail:
        return t.mail;
    case protocol_phase::rcpt:
        return t.rcpt;
    case protocol_phase::data:
        return before == protocol_phase::data ? t.data_block : t.data_initiation;
    case protocol_phase::delivery:
    case protocol_phase::tls_handshake:
    case protocol_phase::closed:
        break;
    }
    return t.mail;
}

asio::awaitable<std::size_t> server_session::read_some() {
    std::size_t n = 0;
    if (tls_)
        n = co_await tls_->async_read_some(asio::buffer(buffer_), asio::use_awaitable);
    else
        n = co_await socket_.async_read_some(asio::buffer(buffer_), asio::use_awaitable);
    co_return n;
}

asio::awaitable<void> server_session::write(const std::string& bytes) {
    if (bytes.empty()) co_return;
    arm(config_.timeouts.write);
    if (tls_)
        co_await asio::async_write(*tls_, asio::buffer(bytes), asio::use_awaitable);
    else
        co_await asio::async_write(socket_, asio::buffer(bytes), asio::use_awaitable);
}

asio::awaitable<void> server_session::say_goodbye(const reply& r) {
    try {
        const std::string text = format_reply(r);
        co_await write(text);
    } catch (const std::exception&) {
        // the client is gone; nothing more to tell it
    }
}

asio::awaitable<void> server_session::serve() {
    const std::string greeting = format_reply(protocol_.greeting());
    co_await write(greeting);
    const reply shutting_down = make_reply(421, {4, 3, 2}, "Service shutting down");
    const reply timed_out = server_protocol::timeout_reply();
    auto before = protocol_phase::first_command;
    bool progressed = true; // the last input completed a command (or this is the first read)
    while (!protocol_.closed() && socket_.is_open()) {
        if (draining_ && idle()) {
            co_await say_goodbye(shutting_down);
            co_return;
        }
        // RFC 5321 §4.5.3.2: a command's timeout runs from its first byte to its end, so a
        // client dribbling bytes cannot hold the session; in DATA it is per read (§4.5.3.2.5).
        if (progressed || protocol_.phase() == protocol_phase::data) arm(read_timeout(before));
        before = protocol_.phase();
        interrupt_ = interrupt::none;
        reading_ = true;
        boost::system::error_code ec;
        std::size_t n = 0;
        try {
            n = co_await read_some();
        } catch (const boost::system::system_error& e) {
            ec = e.code();
        }
        reading_ = false;
        if (ec) {
            if (interrupt_ == interrupt::timeout)
                co_await say_goodbye(timed_out);
            else if (interrupt_ == interrupt::drain)
                co_await say_goodbye(shutting_down);
            // otherwise the client closed or reset: a partial DATA is never delivered
            co_return;
        }
        auto actions = protocol_.feed(std::string_view(buffer_.data(), n));
        progressed = !actions.empty() || protocol_.phase() != before;
        co_await execute(std::move(actions));
    }
}

asio::awaitable<void> server_session::execute(std::vector<action> actions) {
    std::string pending;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        if (auto* s = std::get_if<send_reply>(&actions[i])) {
            pending += format_reply(s->r);
            continue;
        }
        co_await write(pending); // replies go out before what follows them
        pending.clear();
        if (std::holds_alternative<start_tls>(actions[i])) {
            arm(config_.timeouts.tls_handshake);
            tls_.emplace(socket_, *config_.tls);
            co_await tls_->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
            protocol_.tls_started();
        } else if (auto* d = std::get_if<deliver>(&actions[i])) {
            arm(server_timeouts::duration::max()); // the handler owns next-hop timeouts
            reply r;
            try {
                r = co_await handler_->deliver(std::move(d->t));
            } catch (const std::exception&) {
                r = internal_error();
            }
            for (auto& more : protocol_.complete_transaction(std::move(r)))
                actions.push_back(std::move(more));
        } else {
            break; // close_connection: the last action
        }
    }
    co_await write(pending);
}

} // namespace arcrelay::smtp
