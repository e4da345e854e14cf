// smtp/server_protocol.cpp — ESMTP server state machine; see the header. Reply codes
// follow RFC 5321 4.2.2-4.3.2 with RFC 3463 enhanced codes.
#include "smtp/server_protocol.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "smtp/address.hpp"

namespace arcrelay::smtp {

namespace {

reply ok_reply(std::string text = "OK") {
    return make_reply(250, {2, 0, 0}, std::move(text));
}
reply need_helo() {
    return make_reply(503, {5, 5, 1}, "Send EHLO/HELO first");
}
reply need_mail() {
    return make_reply(503, {5, 5, 1}, "Need MAIL command first");
}
reply no_params(std::string_view verb) {
    return make_reply(501, {5, 5, 4}, fmt::format("Syntax: {} takes no parameters", verb));
}

// Splits "VERB rest" at the first space; the verb is upper-cased.
std::pair<std::string, std::string_view> split_command(std::string_view line) {
    const auto sp = line.find(' ');
    std::string verb(line.substr(0, sp));
    std::transform(verb.begin(), verb.end(), verb.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string_view arg = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    while (!arg.empty() && arg.back() == ' ')
        arg.remove_suffix(1);
    return {verb, arg};
}

// "FROM:" / "TO:" prefix, case-insensitive; returns what follows or nullopt.
std::optional<std::string_view> after_prefix(std::string_view arg, std::string_view prefix) {
    if (arg.size() < prefix.size() || !iequals(arg.substr(0, prefix.size()), prefix))
        return std::nullopt;
    return arg.substr(prefix.size());
}

reply defect_reply(data_defect d) {
    switch (d) {
    case data_defect::too_big:
        return make_reply(552, {5, 3, 4}, "Message size exceeds fixed maximum message size");
    case data_defect::bare_lf:
        return make_reply(550, {5, 6, 0},
                          "Message refused: bare LF in message data, lines must end in CRLF");
    case data_defect::bare_cr:
        return make_reply(550, {5, 6, 0},
                          "Message refused: bare CR in message data, lines must end in CRLF");
    case data_defect::nul:
        return make_reply(550, {5, 6, 0}, "Message refused: NUL octet in message data");
    case data_defect::line_too_long:
        return make_reply(552, {5, 6, 0}, "Message refused: text line longer than 998 octets");
    case data_defect::none:
        break;
    }
    throw std::logic_error("defect_reply without a defect");
}

} // namespace

server_protocol::server_protocol(server_config config, std::string client_ip, recipient_check check)
    : config_(std::move(config)), check_(std::move(check)) {
    env_.client_ip = std::move(client_ip);
}

reply server_protocol::greeting() const {
    reply r = make_reply(220, {2, 0, 0}, fmt::format("{} ESMTP", config_.hostname));
    r.status_on_wire = false; // RFC 2034 3
    return r;
}

reply server_protocol::timeout_reply() {
    return make_reply(421, {4, 4, 2}, "Timeout exceeded, closing connection");
}

protocol_phase server_protocol::phase() const {
    if (closed_) return protocol_phase::closed;
    if (tls_pending_) return protocol_phase::tls_handshake;
    if (awaiting_delivery_) return protocol_phase::delivery;
    if (data_) return protocol_phase::data;
    if (in_transaction_) return protocol_phase::rcpt;
    return any_command_ ? protocol_phase::mail : protocol_phase::first_command;
}

std::vector<action> server_protocol::feed(std::string_view bytes) {
    std::vector<action> out;
    // RFC 3207 4.2 / CVE-2011-0411: nothing sent before the handshake is kept.
    if (closed_ || tls_pending_) return out;
    buffer_.append(bytes);
    process(out);
    return out;
}

std::vector<action> server_protocol::complete_transaction(reply final_reply) {
    if (!awaiting_delivery_) throw std::logic_error("complete_transaction without a transaction");
    std::vector<action> out;
    awaiting_delivery_ = false;
    out.push_back(send_reply{std::move(final_reply)});
    reset_transaction();
    process(out);
    return out;
}

void server_protocol::tls_started() {
    if (!tls_pending_) throw std::logic_error("tls_started without STARTTLS");
    tls_pending_ = false;
    env_.tls = true;
    // RFC 3207 4.2: discard all knowledge obtained from the client.
    env_.helo.clear();
    env_.esmtp = false;
    reset_transaction();
}

void server_protocol::process(std::vector<action>& out) {
    std::size_t pos = 0;
    while (pos < buffer_.size() && !closed_ && !awaiting_delivery_ && !tls_pending_) {
        std::string_view rest = std::string_view(buffer_).substr(pos);
        if (data_) {
            pos += data_->consume(rest);
            if (!data_->done()) break;
            finish_data(out);
            continue;
        }
        const auto lf = rest.find('\n');
        if (lf == std::string_view::npos) {
            // RFC 5321 4.5.3.1.4: an unterminated line already over the limit is dropped
            // up to its LF, then answered, so pipelined replies stay in order.
            if (skipping_line_ || rest.size() >= config_.limits.command_line) {
                skipping_line_ = true;
                pos = buffer_.size();
            }
            break;
        }
        std::string_view line = rest.substr(0, lf + 1);
        pos += line.size();
        if (skipping_line_ || line.size() > config_.limits.command_line) {
            skipping_line_ = false;
            respond(make_reply(500, {5, 5, 6}, "Line too long"), out);
            continue;
        }
        line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        handle_command(line, out);
        // RFC 3207 4.2 / CVE-2011-0411: input pipelined after STARTTLS is discarded.
        if (tls_pending_) pos = buffer_.size();
    }
    buffer_.erase(0, pos);
}

void server_protocol::respond(reply r, std::vector<action>& out) {
    // The error that reaches the limit is answered with the 421 instead, so every
    // command line still gets exactly one reply.
    if (r.permanent() && ++errors_ >= config_.limits.errors)
        return close(make_reply(421, {4, 7, 0}, "Too many errors, closing connection"), out);
    out.push_back(send_reply{std::move(r)});
}

void server_protocol::close(reply r, std::vector<action>& out) {
    out.push_back(send_reply{std::move(r)});
    out.push_back(close_connection{});
    closed_ = true;
    buffer_.clear();
}

void server_protocol::reset_transaction() {
    in_transaction_ = false;
    data_.reset();
    env_.mail_from.clear();
    env_.rcpts.clear();
    env_.declared_size.reset();
    env_.body = body_type::seven_bit;
    env_.smtputf8 = false;
}

void server_protocol::handle_command(std::string_view line, std::vector<action>& out) {
    any_command_ = true;
    if (line.find_first_of(std::string_view("\0\r", 2)) != std::string_view::npos) {
        respond(make_reply(500, {5, 5, 2}, "Syntax error: invalid character in command"), out);
        return;
    }
    auto [verb, arg] = split_command(line);
    if (verb == "EHLO" || verb == "HELO") {
        cmd_ehlo(arg, verb == "EHLO", out);
    } else if (verb == "MAIL") {
        cmd_mail(arg, out);
    } else if (verb == "RCPT") {
        cmd_rcpt(arg, out);
    } else if (verb == "DATA") {
        cmd_data(arg, out);
    } else if (verb == "RSET") {
        if (!arg.empty()) return respond(no_params("RSET"), out);
        reset_transaction();
        respond(ok_reply(), out);
    } else if (verb == "NOOP") {
        respond(ok_reply(), out); // RFC 5321 4.1.1.9: the argument is ignored
    } else if (verb == "QUIT") {
        if (!arg.empty()) return respond(no_params("QUIT"), out);
        close(make_reply(221, {2, 0, 0}, fmt::format("{} closing connection", config_.hostname)),
              out);
    } else if (verb == "VRFY") {
        if (arg.empty()) return respond(make_reply(501, {5, 5, 4}, "Syntax: VRFY <address>"), out);
        // RFC 5321 3.5.3
        respond(make_reply(252, {2, 5, 0}, "Cannot VRFY user, but will accept message"), out);
    } else if (verb == "HELP") {
        respond(make_reply(214, {2, 0, 0},
                           "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"),
                out);
    } else if (verb == "STARTTLS") {
        cmd_starttls(arg, out);
    } else {
        respond(make_reply(500, {5, 5, 2}, "Command unrecognized"), out);
    }
}

void server_protocol::cmd_ehlo(std::string_view arg, bool esmtp, std::vector<action>& out) {
    const auto name = arg.substr(0, arg.find(' '));
    if (name.empty())
        return respond(
            make_reply(501, {5, 5, 4}, esmtp ? "Syntax: EHLO hostname" : "Syntax: HELO hostname"),
            out);
    // RFC 5321 4.1.4: EHLO/HELO resets the transaction.
    reset_transaction();
    env_.helo = std::string(name);
    env_.esmtp = esmtp;
    reply r = ok_reply(config_.hostname);
    r.status_on_wire = false; // RFC 2034 3
    if (esmtp) {
        r.lines.push_back("PIPELINING");
        r.lines.push_back(fmt::format("SIZE {}", config_.limits.message_size));
        r.lines.push_back("8BITMIME");
        r.lines.push_back("SMTPUTF8");
        r.lines.push_back("ENHANCEDSTATUSCODES");
        if (config_.starttls_available && !env_.tls) r.lines.push_back("STARTTLS");
    }
    respond(std::move(r), out);
}

void server_protocol::cmd_mail(std::string_view arg, std::vector<action>& out) {
    if (env_.helo.empty()) return respond(need_helo(), out);
    if (in_transaction_) return respond(make_reply(503, {5, 5, 1}, "Nested MAIL command"), out);
    const auto after = after_prefix(arg, "FROM:");
    if (!after) return respond(make_reply(501, {5, 5, 4}, "Syntax: MAIL FROM:<address>"), out);
    auto parsed = parse_path_argument(*after, true, false, true);
    if (!parsed)
        return respond(
            make_reply(501, {5, 1, 7}, "Bad sender address syntax: " + parsed.error().message),
            out);
    if (!parsed->params.empty() && !env_.esmtp)
        return respond(make_reply(555, {5, 5, 4}, "MAIL parameters require EHLO"), out);

    std::optional<std::size_t> size;
    body_type body = body_type::seven_bit;
    bool utf8 = false;
    for (const auto& p : parsed->params) {
        if (iequals(p.keyword, "SIZE") && p.has_value) {
            std::size_t n = 0;
            auto [end, ec] = std::from_chars(p.value.data(), p.value.data() + p.value.size(), n);
            if (ec != std::errc{} || end != p.value.data() + p.value.size())
                return respond(make_reply(501, {5, 5, 4}, "Syntax: SIZE=<number>"), out);
            size = n;
        } else if (iequals(p.keyword, "BODY") && p.has_value) {
            if (iequals(p.value, "8BITMIME"))
                body = body_type::eight_bit_mime;
            else if (!iequals(p.value, "7BIT"))
                return respond(make_reply(501, {5, 5, 4}, "Syntax: BODY=7BIT|8BITMIME"), out);
        } else if (iequals(p.keyword, "SMTPUTF8") && !p.has_value) {
            utf8 = true;
        } else {
            // RFC 5321 4.1.1.11
            return respond(
                make_reply(555, {5, 5, 4}, fmt::format("Unsupported parameter {}", p.keyword)),
                out);
        }
    }
    // RFC 6531 3.2: non-ASCII addresses only with SMTPUTF8.
    if (!utf8 && has_non_ascii(parsed->mailbox))
        return respond(make_reply(553, {5, 6, 7}, "Non-ASCII sender address requires SMTPUTF8"),
                       out);
    // RFC 1870 6.2
    if (size && *size > config_.limits.message_size)
        return respond(
            make_reply(552, {5, 3, 4}, "Message size exceeds fixed maximum message size"), out);

    in_transaction_ = true;
    env_.mail_from = std::move(parsed->mailbox);
    env_.declared_size = size;
    env_.body = body;
    env_.smtputf8 = utf8;
    respond(make_reply(250, {2, 1, 0}, "Sender OK"), out);
}

void server_protocol::cmd_rcpt(std::string_view arg, std::vector<action>& out) {
    if (env_.helo.empty()) return respond(need_helo(), out);
    if (!in_transaction_) return respond(need_mail(), out);
    const auto after = after_prefix(arg, "TO:");
    if (!after) return respond(make_reply(501, {5, 5, 4}, "Syntax: RCPT TO:<address>"), out);
    auto parsed = parse_path_argument(*after, false, true, true);
    if (!parsed)
        return respond(
            make_reply(501, {5, 1, 3}, "Bad recipient address syntax: " + parsed.error().message),
            out);
    if (!parsed->params.empty())
        return respond(
            make_reply(555, {5, 5, 4},
                       fmt::format("Unsupported parameter {}", parsed->params.front().keyword)),
            out);
    if (!env_.smtputf8 && has_non_ascii(parsed->mailbox))
        return respond(make_reply(553, {5, 6, 7}, "Non-ASCII recipient address requires SMTPUTF8"),
                       out);
    // RFC 5321 4.5.3.1.10
    if (env_.rcpts.size() >= config_.limits.recipients)
        return respond(make_reply(452, {4, 5, 3}, "Too many recipients"), out);
    reply r = check_(env_, parsed->mailbox);
    if (r.positive()) env_.rcpts.push_back(std::move(parsed->mailbox));
    respond(std::move(r), out);
}

void server_protocol::cmd_data(std::string_view arg, std::vector<action>& out) {
    if (env_.helo.empty()) return respond(need_helo(), out);
    if (!in_transaction_) return respond(need_mail(), out);
    // RFC 5321 3.3: DATA without an accepted recipient.
    if (env_.rcpts.empty()) return respond(make_reply(554, {5, 5, 1}, "No valid recipients"), out);
    if (!arg.empty()) return respond(no_params("DATA"), out);
    data_.emplace(config_.limits.message_size, config_.limits.text_line,
                  env_.declared_size.value_or(0));
    reply r = make_reply(354, {2, 0, 0}, "End data with <CR><LF>.<CR><LF>");
    r.status_on_wire = false;
    respond(std::move(r), out);
}

void server_protocol::cmd_starttls(std::string_view arg, std::vector<action>& out) {
    if (!config_.starttls_available || env_.tls)
        return respond(make_reply(502, {5, 5, 1}, "STARTTLS not available"), out);
    if (!arg.empty()) return respond(no_params("STARTTLS"), out);
    if (!env_.esmtp) return respond(make_reply(503, {5, 5, 1}, "Send EHLO first"), out);
    respond(make_reply(220, {2, 0, 0}, "Ready to start TLS"), out);
    out.push_back(start_tls{});
    tls_pending_ = true;
}

void server_protocol::finish_data(std::vector<action>& out) {
    const auto defect = data_->defect();
    if (defect != data_defect::none) {
        reset_transaction();
        out.push_back(send_reply{defect_reply(defect)});
        return;
    }
    transaction t{env_, data_->take_message()};
    data_.reset();
    awaiting_delivery_ = true;
    out.push_back(deliver{std::move(t)});
}

} // namespace arcrelay::smtp
