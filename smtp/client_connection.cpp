// smtp/client_connection.cpp — SMTP/LMTP client dialog; allowed replies per command from
// RFC 5321 4.3.2, LMTP per-recipient replies from RFC 2033 4.2.
#include "smtp/client_connection.hpp"

#include "smtp/dot_stuffer.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <span>

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "smtp/address.hpp"

namespace arcrelay::smtp {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// RFC 5321 4.3.2: replies any command may get (421 service closing, 5.5.x syntax) and
// those each command may get besides.
constexpr std::array common_codes{421, 500, 501, 502, 503, 504};
constexpr std::array greeting_codes{220, 554};
constexpr std::array ehlo_codes{250, 550};
constexpr std::array starttls_codes{220, 454}; // RFC 3207 4
constexpr std::array rset_codes{250};
constexpr std::array mail_codes{250, 451, 452, 455, 550, 552, 553, 555};
constexpr std::array rcpt_codes{250, 251, 450, 451, 452, 455, 550, 551, 552, 553, 555};
// DATA: 354; 503, 554 (and 451/452/550 from policy checks).
constexpr std::array data_codes{354, 451, 452, 550, 554};
// Final: 250; 552, 554, 451, 452 (and 450, 550 for policy).
constexpr std::array final_codes{250, 450, 451, 452, 550, 552, 554};

reply unreachable(std::string_view why) {
    return make_reply(451, {4, 4, 1}, fmt::format("Next hop unavailable: {}", why));
}
reply broken(std::string_view why) {
    return make_reply(451, {4, 4, 2}, fmt::format("Connection to next hop {}", why));
}
reply encryption_needed(std::string_view why) {
    return make_reply(451, {4, 7, 10}, fmt::format("Next hop {}; TLS is required", why));
}
reply unexpected() {
    return make_reply(451, {4, 3, 0}, "Unexpected reply from next hop");
}

// Closes the socket when the deadline passes; the pending operation then fails.
class deadline {
public:
    deadline(const asio::any_io_executor& ex, tcp::socket& socket,
             client_timeouts::duration timeout)
        : timer_(ex), state_(std::make_shared<state>(&socket)) {
        timer_.expires_after(timeout);
        timer_.async_wait([st = state_](boost::system::error_code ec) {
            if (ec || st->socket == nullptr) return;
            st->fired = true;
            st->socket->close(ec);
        });
    }
    ~deadline() { state_->socket = nullptr; }
    deadline(const deadline&) = delete;
    deadline& operator=(const deadline&) = delete;
    bool fired() const { return state_->fired; }

private:
    struct state {
        explicit state(tcp::socket* s) : socket(s) {}
        tcp::socket* socket;
        bool fired = false;
    };
    asio::steady_timer timer_;
    std::shared_ptr<state> state_;
};

std::string path(std::string_view mailbox) {
    return fmt::format("<{}>", mailbox);
}

} // namespace

client_connection::client_connection(asio::any_io_executor ex) : socket_(std::move(ex)) {}

void client_connection::fail(reply r) {
    failure_ = std::move(r);
    usable_ = false;
    boost::system::error_code ec;
    socket_.close(ec);
}

asio::awaitable<bool> client_connection::write(std::string_view bytes,
                                               client_timeouts::duration timeout) {
    deadline d(co_await asio::this_coro::executor, socket_, timeout);
    boost::system::error_code ec;
    if (tls_)
        co_await asio::async_write(*tls_, asio::buffer(bytes),
                                   asio::redirect_error(asio::use_awaitable, ec));
    else
        co_await asio::async_write(socket_, asio::buffer(bytes),
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return true;
    fail(broken(d.fired() ? "timed out" : "lost"));
    co_return false;
}

asio::awaitable<bool> client_connection::read_reply(client_timeouts::duration timeout,
                                                    std::span<const int> allowed, reply& out) {
    // Started at the first read: a pipelined reply already buffered needs no timer.
    std::optional<deadline> d;
    std::array<char, 4096> buffer;
    for (;;) {
        if (auto next = reader_.next()) {
            if (!*next) {
                fail(unexpected()); // malformed: out of sync, text never passed on
                co_return false;
            }
            const int code = (*next)->code;
            if (std::find(allowed.begin(), allowed.end(), code) == allowed.end() &&
                std::find(common_codes.begin(), common_codes.end(), code) == common_codes.end()) {
                fail(unexpected());
                co_return false;
            }
            out = std::move(next->value());
            if (code == 421) usable_ = false; // RFC 5321 3.8: the hop is closing
            co_return true;
        }
        if (!d) d.emplace(co_await asio::this_coro::executor, socket_, timeout);
        boost::system::error_code ec;
        std::size_t n = 0;
        if (tls_)
            n = co_await tls_->async_read_some(asio::buffer(buffer),
                                               asio::redirect_error(asio::use_awaitable, ec));
        else
            n = co_await socket_.async_read_some(asio::buffer(buffer),
                                                 asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            fail(broken(d->fired() ? "timed out" : "lost"));
            co_return false;
        }
        heard_back_ = true;
        reader_.append(std::string_view(buffer.data(), n));
    }
}

bool client_connection::still_open() {
    if (!usable_ || !reader_.empty()) return false;
    char byte;
    const auto n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

asio::awaitable<bool> client_connection::exchange(std::string_view line,
                                                  client_timeouts::duration timeout,
                                                  std::span<const int> allowed, reply& out) {
    const std::string command = fmt::format("{}\r\n", line);
    const bool sent = co_await write(command, timeout);
    if (!sent) co_return false;
    const bool answered = co_await read_reply(timeout, allowed, out);
    co_return answered;
}

asio::awaitable<bool> client_connection::hello(const client_config& config, reply& out) {
    const auto& t = config.timeouts;
    const bool lmtp = config.protocol == client_protocol::lmtp;
    // RFC 5321 4.3.2 EHLO/HELO: 250, 504, 550, 502; RFC 2033 4.1 LHLO.
    const std::string greet = fmt::format("{} {}", lmtp ? "LHLO" : "EHLO", config.helo_name);
    bool ok = co_await exchange(greet, t.mail, ehlo_codes, out);
    if (!ok) co_return false;
    if (out.code != 250 && !lmtp) {
        const std::string helo = fmt::format("HELO {}", config.helo_name);
        ok = co_await exchange(helo, t.mail, ehlo_codes, out);
        if (!ok) co_return false;
    }
    if (out.code != 250) {
        fail(unreachable("greeting refused"));
        co_return false;
    }
    extensions_.clear();
    for (std::size_t i = 1; i < out.lines.size(); ++i) {
        std::string kw = out.lines[i].substr(0, out.lines[i].find(' '));
        std::transform(kw.begin(), kw.end(), kw.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        extensions_.insert(std::move(kw));
    }
    co_return true;
}

asio::awaitable<reply> client_connection::open(const client_config& config) {
    const auto& t = config.timeouts;
    auto ex = co_await asio::this_coro::executor;
    {
        deadline d(ex, socket_, t.connect);
        boost::system::error_code ec;
        tcp::resolver resolver(ex);
        auto endpoints =
            co_await resolver.async_resolve(config.host, std::to_string(config.port),
                                            asio::redirect_error(asio::use_awaitable, ec));
        if (!ec)
            co_await asio::async_connect(socket_, endpoints,
                                         asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            fail(unreachable(d.fired() ? "connect timed out" : "cannot connect"));
            co_return failure_;
        }
    }
    usable_ = true;
    {
        // Commands go out whole (a pipelined group, 64 KB pieces of DATA): no Nagle delay.
        boost::system::error_code ec;
        socket_.set_option(tcp::no_delay(true), ec);
    }
    reply r;
    // RFC 5321 4.3.2 connection establishment: 220, 554.
    bool ok = co_await read_reply(t.greeting, greeting_codes, r);
    if (!ok) co_return failure_;
    if (r.code != 220) {
        fail(unreachable("service refused"));
        co_return failure_;
    }
    ok = co_await hello(config, r);
    if (!ok) co_return failure_;
    if (config.tls && config.require_tls && !extensions_.contains("STARTTLS")) {
        fail(encryption_needed("does not offer STARTTLS"));
        co_return failure_;
    }
    if (config.tls && extensions_.contains("STARTTLS")) {
        reply go;
        // RFC 3207 4: 220 ready, 454 TLS not available; plain text goes on after 454.
        ok = co_await exchange("STARTTLS", t.mail, starttls_codes, go);
        if (!ok) co_return failure_;
        if (go.code == 220) {
            tls_.emplace(socket_, *config.tls);
            deadline d(ex, socket_, t.mail);
            boost::system::error_code ec;
            co_await tls_->async_handshake(asio::ssl::stream_base::client,
                                           asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                fail(broken(d.fired() ? "timed out in TLS handshake" : "failed TLS handshake"));
                co_return failure_;
            }
            ok = co_await hello(config, r); // RFC 3207 4.2
            if (!ok) co_return failure_;
        } else if (config.require_tls) {
            fail(encryption_needed("refused STARTTLS"));
            co_return failure_;
        }
    }
    co_return r;
}

asio::awaitable<bool> client_connection::reset(const client_config& config) {
    reply r;
    if (!usable_) co_return false;
    const bool ok = co_await exchange("RSET", config.timeouts.mail, rset_codes, r);
    co_return ok&& r.code == 250 && usable_;
}

asio::awaitable<bool> client_connection::envelope_lockstep(const client_config& config,
                                                           std::string_view mail,
                                                           const envelope& env,
                                                           envelope_replies& out) {
    const auto& to = config.timeouts;
    if (!co_await exchange(mail, to.mail, mail_codes, out.mail)) co_return false;
    if (out.mail.code != 250) co_return true;
    bool any = false;
    out.rcpts.resize(env.rcpts.size());
    for (std::size_t i = 0; i < env.rcpts.size(); ++i) {
        const std::string rcpt = fmt::format("RCPT TO:{}", path(env.rcpts[i]));
        if (!co_await exchange(rcpt, to.rcpt, rcpt_codes, out.rcpts[i])) co_return false;
        any = any || out.rcpts[i].positive();
    }
    if (!any) co_return true; // DATA is not sent
    out.data.emplace();
    co_return co_await exchange("DATA", to.data_initiation, data_codes, *out.data);
}

// RFC 2920 3.1: MAIL, every RCPT and DATA go out as one group (DATA last); the replies
// come back in command order, so each RCPT reply is read for its recipient.
asio::awaitable<bool> client_connection::envelope_pipelined(const client_config& config,
                                                            std::string_view mail,
                                                            const envelope& env,
                                                            envelope_replies& out) {
    const auto& to = config.timeouts;
    std::string group = fmt::format("{}\r\n", mail);
    for (const auto& rcpt : env.rcpts)
        group += fmt::format("RCPT TO:{}\r\n", path(rcpt));
    group += "DATA\r\n";
    if (!co_await write(group, to.mail)) co_return false;
    if (!co_await read_reply(to.mail, mail_codes, out.mail)) co_return false;
    out.rcpts.resize(env.rcpts.size());
    for (auto& r : out.rcpts)
        if (!co_await read_reply(to.rcpt, rcpt_codes, r)) co_return false;
    out.data.emplace();
    co_return co_await read_reply(to.data_initiation, data_codes, *out.data);
}

asio::awaitable<bool> client_connection::abort_data(const client_config& config) {
    // RFC 2920 3.1: DATA accepted although no recipient was: an empty message ends it.
    reply r;
    if (!co_await write(".\r\n", config.timeouts.data_block)) co_return false;
    co_return co_await read_reply(config.timeouts.data_final, final_codes, r);
}

asio::awaitable<delivery_result> client_connection::send(const client_config& config,
                                                         const transaction& t) {
    const auto& to = config.timeouts;
    const auto& env = t.env;
    delivery_result result;
    auto everyone = [&](const reply& r) {
        result.overall = r;
        result.recipients.assign(env.rcpts.size(), r);
        return result;
    };

    heard_back_ = false;
    // RFC 5321 3.3: a transaction needs a recipient; nothing is sent without one.
    if (env.rcpts.empty()) co_return everyone(make_reply(554, {5, 5, 1}, "No recipients"));
    std::string mail = fmt::format("MAIL FROM:{}", path(env.mail_from));
    if (extensions_.contains("SIZE")) mail += fmt::format(" SIZE={}", t.message.size());
    if (env.body == body_type::eight_bit_mime && extensions_.contains("8BITMIME"))
        mail += " BODY=8BITMIME";
    if (env.smtputf8) {
        if (!extensions_.contains("SMTPUTF8")) // RFC 6531 3.2
            co_return everyone(make_reply(550, {5, 6, 7}, "Next hop does not support SMTPUTF8"));
        mail += " SMTPUTF8";
    }
    // RFC 2920 when offered; RFC 2033 4.1 requires every LMTP server to support it.
    envelope_replies e;
    const bool pipelined =
        config.protocol == client_protocol::lmtp || extensions_.contains("PIPELINING");
    bool ok = pipelined ? co_await envelope_pipelined(config, mail, env, e)
                        : co_await envelope_lockstep(config, mail, env, e);
    if (!ok) co_return everyone(failure_);
    const bool data_open = e.data && e.data->code == 354;
    if (e.mail.code != 250) {
        if (data_open && !co_await abort_data(config)) usable_ = false;
        co_return everyone(e.mail);
    }

    std::vector<std::size_t> accepted;
    result.recipients = e.rcpts;
    for (std::size_t i = 0; i < e.rcpts.size(); ++i)
        if (e.rcpts[i].positive()) accepted.push_back(i);
    if (accepted.empty()) {
        result.overall = result.recipients.front();
        ok = (!data_open || co_await abort_data(config)) && co_await reset(config);
        if (!ok) usable_ = false;
        co_return result;
    }
    if (!data_open) {
        for (auto i : accepted)
            result.recipients[i] = *e.data;
        result.overall = *e.data;
        ok = co_await reset(config);
        if (!ok) usable_ = false;
        co_return result;
    }
    reply r;
    // In pieces, each under the data block timeout (RFC 5321 4.5.3.2.5).
    for (dot_stuffer content(t.message); !content.done();) {
        ok = co_await write(content.next(), to.data_block);
        if (!ok) co_return everyone(failure_);
    }

    // LMTP: one reply per accepted recipient, in RCPT order (RFC 2033 4.2).
    if (config.protocol == client_protocol::smtp) {
        ok = co_await read_reply(to.data_final, final_codes, r);
        if (!ok) co_return everyone(failure_);
        for (auto i : accepted)
            result.recipients[i] = r;
        result.overall = r;
        co_return result;
    }
    for (auto i : accepted) {
        ok = co_await read_reply(to.data_final, final_codes, r);
        if (!ok) {
            for (auto j : accepted)
                if (j >= i) result.recipients[j] = failure_;
            break;
        }
        result.recipients[i] = r;
    }
    const auto worst = [&]() -> const reply& {
        for (const auto& rr : result.recipients)
            if (rr.transient()) return rr;
        for (const auto& rr : result.recipients)
            if (rr.permanent()) return rr;
        return result.recipients.front();
    };
    result.overall = worst();
    co_return result;
}

} // namespace arcrelay::smtp
