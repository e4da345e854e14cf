// tests/unit/smtp/protocol_fixture.hpp — drives server_protocol and summarises its
// actions as "code x.y.z" strings so tests can check every reply exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smtp/server_protocol.hpp"

namespace arcrelay::smtp::test {

inline reply accept_list_recipients(const envelope&, std::string_view rcpt) {
    if (rcpt.ends_with("@lists.example") || rcpt == "postmaster")
        return make_reply(250, {2, 1, 5}, "Recipient OK");
    if (rcpt.ends_with("@other.example"))
        return make_reply(452, {4, 5, 3}, "One list per transaction");
    return make_reply(550, {5, 1, 1}, "No such list");
}

struct protocol_run {
    std::vector<std::string> replies; // "250 2.1.0" per reply
    std::vector<transaction> delivered;
    bool tls = false;
    bool closed = false;

    void add(const std::vector<action>& actions) {
        for (const auto& a : actions) {
            if (auto* s = std::get_if<send_reply>(&a))
                replies.push_back(fmt::format("{} {}", s->r.code, s->r.status));
            else if (auto* d = std::get_if<deliver>(&a))
                delivered.push_back(d->t);
            else if (std::holds_alternative<start_tls>(a))
                tls = true;
            else
                closed = true;
        }
    }
};

inline server_config test_config() {
    server_config c;
    c.hostname = "mx.test";
    return c;
}

// Feeds `input` in one piece and, when given, completes a delivered transaction with
// 250 2.0.0 (as a next hop would).
inline protocol_run run(std::string_view input, server_config config = test_config(),
                        bool complete = true) {
    server_protocol p(std::move(config), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed(input));
    while (complete && p.phase() == protocol_phase::delivery)
        r.add(p.complete_transaction(make_reply(250, {2, 0, 0}, "Queued")));
    return r;
}

inline const std::string ehlo_mail_rcpt =
    "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n";

} // namespace arcrelay::smtp::test
