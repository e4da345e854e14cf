// smtp/client_connection.hpp — one SMTP (RFC 5321) or LMTP (RFC 2033) connection to a
// next hop over Asio coroutines: greeting, EHLO/LHLO, optional STARTTLS (RFC 3207),
// MAIL/RCPT/DATA (pipelined as one group when the hop offers RFC 2920 PIPELINING, and
// always for LMTP, RFC 2033 4.1) with dot-stuffing (4.5.2), RSET after a transaction that
// did not complete (RFC 5321 4.1.1.5), a check without a round trip before reuse; every wait has a
// deadline (RFC 5321 4.5.3.2). Failures become replies: 451 4.4.1 when the hop cannot be reached,
// 451 4.4.2 when the connection breaks or times out, 451 4.3.0 for a reply that is
// malformed or not one RFC 5321 4.3.2 allows (its text is never passed on).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"
#include "smtp/reply_reader.hpp"

namespace arcrelay::smtp {

enum class client_protocol { smtp, lmtp };

// RFC 5321 4.5.3.2 client timeouts, plus connect and pool idle time.
struct client_timeouts {
    using duration = std::chrono::steady_clock::duration;
    duration connect = std::chrono::seconds(30);
    duration greeting = std::chrono::minutes(5);        // 4.5.3.2.1
    duration mail = std::chrono::minutes(5);            // 4.5.3.2.2 (also EHLO, RSET)
    duration rcpt = std::chrono::minutes(5);            // 4.5.3.2.3
    duration data_initiation = std::chrono::minutes(2); // 4.5.3.2.4
    duration data_block = std::chrono::minutes(3);      // 4.5.3.2.5
    duration data_final = std::chrono::minutes(10);     // 4.5.3.2.6
    duration idle = std::chrono::seconds(60);           // a pooled connection's life unused
};

struct client_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 25;
    client_protocol protocol = client_protocol::smtp;
    std::string helo_name = "localhost";
    // STARTTLS when the next hop offers it; null: never.
    std::shared_ptr<boost::asio::ssl::context> tls;
    // With `tls`: a next hop that does not offer STARTTLS, refuses it (454) or fails the
    // handshake gets no mail; the transaction fails with 451 4.7.10 (encryption needed).
    bool require_tls = false;
    client_timeouts timeouts;
    std::size_t max_idle = 4; // pooled connections kept per next hop
};

struct delivery_result {
    // SMTP: the reply to the final "." (or the failure); LMTP: the first non-positive
    // per-recipient reply, transient ones first, else the first positive one.
    reply overall;
    // One reply per envelope recipient, in order: the RCPT refusal, or the final reply
    // (LMTP: that recipient's own reply after DATA, RFC 2033 4.2).
    std::vector<reply> recipients;
};

class client_connection {
public:
    explicit client_connection(boost::asio::any_io_executor ex);

    // Connects, reads the greeting, EHLO/LHLO (HELO fallback for SMTP), STARTTLS when
    // configured and offered. Returns the EHLO reply, or the failure reply.
    boost::asio::awaitable<reply> open(const client_config& config);
    // One transaction; the connection stays usable when the dialog stayed in sync.
    // A transaction without recipients is answered 554 5.5.1 without a dialog.
    boost::asio::awaitable<delivery_result> send(const client_config& config, const transaction& t);
    // RSET; false when the connection is no longer usable.
    boost::asio::awaitable<bool> reset(const client_config& config);

    bool usable() const { return usable_; }
    // Whether an idle connection may carry another transaction, without a round trip: usable,
    // nothing buffered, and the socket neither closed by the hop nor holding bytes it sent
    // unasked (a 421 on its idle timeout, RFC 5321 3.8).
    bool still_open();
    // Whether the last send() got any byte back from the hop. A reused connection that broke
    // before that lost nothing: no command of the transaction was answered.
    bool heard_back() const { return heard_back_; }

private:
    boost::asio::awaitable<bool> exchange(std::string_view line, client_timeouts::duration timeout,
                                          std::span<const int> allowed, reply& out);
    boost::asio::awaitable<bool> read_reply(client_timeouts::duration timeout,
                                            std::span<const int> allowed, reply& out);
    boost::asio::awaitable<bool> write(std::string_view bytes, client_timeouts::duration timeout);
    boost::asio::awaitable<bool> hello(const client_config& config, reply& out);
    // The replies up to DATA's; `data` empty when DATA was not sent (lock-step, nobody
    // accepted). False: the connection failed (failure_).
    struct envelope_replies {
        reply mail;
        std::vector<reply> rcpts; // one per recipient (empty when MAIL was refused)
        std::optional<reply> data;
    };
    boost::asio::awaitable<bool> envelope_lockstep(const client_config& config,
                                                   std::string_view mail, const envelope& env,
                                                   envelope_replies& out);
    boost::asio::awaitable<bool> envelope_pipelined(const client_config& config,
                                                    std::string_view mail, const envelope& env,
                                                    envelope_replies& out);
    boost::asio::awaitable<bool> abort_data(const client_config& config);
    void fail(reply r);

    boost::asio::ip::tcp::socket socket_;
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    reply_reader reader_;
    std::set<std::string> extensions_; // EHLO keywords, upper case
    bool usable_ = false;
    bool heard_back_ = false;
    reply failure_;
};

} // namespace arcrelay::smtp
