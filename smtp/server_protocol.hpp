// smtp/server_protocol.hpp — the ESMTP server state machine (RFC 5321 3-4) with
// PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531),
// ENHANCEDSTATUSCODES (RFC 2034/3463) and STARTTLS (RFC 3207). It does no I/O: bytes go
// in through feed(), actions (replies to send, TLS to start, a transaction to deliver,
// the connection to close) come out.
//
// Before-queue proxy: the reply to the final "." is not made here. A complete
// transaction is emitted as a `deliver` action and the machine waits for
// complete_transaction(reply), buffering any further input meanwhile.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtp/data_reader.hpp"
#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"

namespace arcrelay::smtp {

// RFC 5321 4.5.3.1 sizes and the policy limits; every one is configurable.
struct server_limits {
    static constexpr std::size_t default_command_line = 512; // 4.5.3.1.4, incl. CRLF
    static constexpr std::size_t default_text_line = 1000;   // 4.5.3.1.6, incl. CRLF
    static constexpr std::size_t default_message_size = 25 * 1024 * 1024;
    static constexpr std::size_t default_recipients = 100; // 4.5.3.1.8 minimum
    static constexpr std::size_t default_errors = 20;

    std::size_t command_line = default_command_line;
    std::size_t text_line = default_text_line;
    std::size_t message_size = default_message_size; // advertised as SIZE (RFC 1870)
    std::size_t recipients = default_recipients;     // per transaction; then 452 4.5.3
    std::size_t errors = default_errors;             // the n-th 5xx becomes 421 4.7.0
};

struct server_config {
    std::string hostname = "localhost"; // in the greeting and EHLO reply
    server_limits limits;
    bool starttls_available = false; // offer STARTTLS (a TLS context is configured)
};

// Decides on one RCPT TO (already syntax-checked). A 2xx reply accepts the recipient;
// anything else is sent to the client as is (e.g. 550 5.1.1, 452 4.5.3).
using recipient_check = std::function<reply(const envelope&, std::string_view rcpt)>;

struct send_reply {
    reply r;
};
struct start_tls {}; // the 220 was sent: run the TLS handshake, then call tls_started()
struct deliver {
    transaction t;
};
struct close_connection {};
using action = std::variant<send_reply, start_tls, deliver, close_connection>;

// What the machine waits for; the session picks its timeout from it (RFC 5321 4.5.3.2).
enum class protocol_phase {
    first_command, // nothing received yet after the greeting
    mail,          // idle: expecting EHLO/MAIL/...
    rcpt,          // in a transaction: expecting RCPT/DATA
    data,          // reading message content
    delivery,      // waiting for complete_transaction()
    tls_handshake, // waiting for tls_started()
    closed,
};

class server_protocol {
public:
    server_protocol(server_config config, std::string client_ip, recipient_check check);

    // The 220 greeting (RFC 5321 4.2, 3.1).
    reply greeting() const;
    // Consumes input; returns the actions in order. Nothing happens once closed.
    std::vector<action> feed(std::string_view bytes);
    // The final reply to a delivered transaction; processes input buffered meanwhile.
    // Calling it without a pending transaction is a broken invariant (std::logic_error).
    std::vector<action> complete_transaction(reply final_reply);
    // The TLS handshake succeeded: the session restarts from EHLO (RFC 3207 4.2).
    void tls_started();

    protocol_phase phase() const;
    bool closed() const { return closed_; }

    // 421 4.4.2 for an idle client (RFC 5321 4.5.3.2.7).
    static reply timeout_reply();

private:
    void process(std::vector<action>& out);
    void handle_command(std::string_view line, std::vector<action>& out);
    void cmd_ehlo(std::string_view arg, bool esmtp, std::vector<action>& out);
    void cmd_mail(std::string_view arg, std::vector<action>& out);
    void cmd_rcpt(std::string_view arg, std::vector<action>& out);
    void cmd_data(std::string_view arg, std::vector<action>& out);
    void cmd_starttls(std::string_view arg, std::vector<action>& out);
    void finish_data(std::vector<action>& out);
    void respond(reply r, std::vector<action>& out);
    void close(reply r, std::vector<action>& out);
    void reset_transaction();

    server_config config_;
    recipient_check check_;
    envelope env_; // session facts plus the current transaction
    bool in_transaction_ = false;
    std::string buffer_;
    bool skipping_line_ = false; // discarding an overlong command line up to its LF
    std::optional<data_reader> data_;
    bool awaiting_delivery_ = false;
    bool tls_pending_ = false;
    bool any_command_ = false;
    std::size_t errors_ = 0;
    bool closed_ = false;
};

} // namespace arcrelay::smtp
