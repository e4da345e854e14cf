// tests/fuzz/smtp_server_fuzz.cpp — smtp::server_protocol (RFC 5321, 2920, 3207) fed arbitrary
// client bytes in chunks. Input: byte 0 picks the chunk size (0: all at once), byte 1 the
// configuration (STARTTLS offered, small limits), the rest is the client's byte stream.
// Invariants checked (abort on violation):
//  - never more replies than command lines plus completed transactions;
//  - nothing after close_connection, and nothing at all once closed;
//  - start_tls leaves the machine in tls_handshake, deliver in delivery;
//  - a delivered message has only CRLF line ends (no bare CR or LF: SMTP smuggling) and at
//    most limits.recipients recipients.
#include "smtp/server_protocol.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <algorithm>
#include <cstdlib>

namespace {

using namespace arcrelay::smtp;

void check(bool condition) {
    if (!condition) std::abort();
}

bool only_crlf(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
    }
    return true;
}

reply accept_lists(const envelope&, std::string_view rcpt) {
    if (rcpt.ends_with("@lists.example")) return make_reply(250, {2, 1, 5}, "OK");
    if (rcpt.ends_with("@other.example")) return make_reply(452, {4, 5, 3}, "One list");
    return make_reply(550, {5, 1, 1}, "No such list");
}

struct driver {
    server_protocol protocol;
    server_limits limits;
    std::size_t replies = 0;
    std::size_t completions = 0;
    bool saw_close = false;

    // Checks one batch of actions and answers the ones that wait for the session.
    void handle(std::vector<action> actions) {
        while (!actions.empty()) {
            bool tls = false, delivery = false;
            for (const auto& a : actions) {
                check(!saw_close); // close_connection is the last action ever
                if (std::holds_alternative<send_reply>(a)) ++replies;
                if (std::holds_alternative<close_connection>(a)) saw_close = true;
                if (std::holds_alternative<start_tls>(a)) tls = true;
                if (const auto* d = std::get_if<deliver>(&a)) {
                    delivery = true;
                    check(only_crlf(d->t.message));
                    check(d->t.env.rcpts.size() <= limits.recipients);
                    check(!d->t.env.rcpts.empty());
                }
            }
            actions.clear();
            if (tls) {
                check(protocol.phase() == protocol_phase::tls_handshake);
                protocol.tls_started();
            }
            if (delivery) {
                check(protocol.phase() == protocol_phase::delivery);
                ++completions;
                actions = protocol.complete_transaction(
                    completions % 2 ? make_reply(250, {2, 0, 0}, "Queued")
                                    : make_reply(451, {4, 3, 0}, "Next hop down"));
            }
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t chunk = data[0] == 0 ? size : data[0];
    const std::uint8_t flags = data[1];
    const std::string_view stream = arcrelay::fuzz::as_text(data + 2, size - 2);

    server_config config;
    config.hostname = "mx.fuzz.test";
    config.starttls_available = flags & 1;
    if (flags & 2) {
        config.limits.command_line = 64;
        config.limits.text_line = 80;
        config.limits.message_size = 4096;
        config.limits.recipients = 3;
        config.limits.errors = 5;
    }
    driver d{server_protocol(config, "192.0.2.1", accept_lists), config.limits};
    (void)d.protocol.greeting();
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
        const bool was_closed = d.protocol.closed();
        auto actions = d.protocol.feed(stream.substr(at, chunk));
        if (was_closed) check(actions.empty());
        d.handle(std::move(actions));
    }
    const auto lines = static_cast<std::size_t>(std::count(stream.begin(), stream.end(), '\n'));
    const std::size_t unterminated = !stream.empty() && stream.back() != '\n' ? 1 : 0;
    check(d.replies <= lines + unterminated + d.completions);
    return 0;
}
