// relay/rewrite.hpp — the "rewrite" stage (DESIGN.md Pipeline step 5): what a post to a list
// address gets before it is sealed and forwarded. The envelope sender becomes the list's
// bounce address (optionally VERP, one next-hop transaction per recipient), the Subject gets
// the list's prefix exactly once, and, when the list asks for it, RFC 2369 / RFC 2919 List-*
// fields are added. Mail to the service addresses (-request, -owner, -bounces, -join, ...)
// is never rewritten; the caller decides which transactions are posts. Pure functions.
#pragma once

#include "config/config.hpp"
#include "mail/message.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::relay {

// One next-hop transaction: the envelope sender and the recipients that share it.
struct forward_envelope {
    std::string mail_from;
    std::vector<std::string> recipients;

    bool operator==(const forward_envelope&) const = default;
};

// "LIST-bounces+user=example.com@lists.example.org" for `recipient` "user@example.com" under
// the bounce address "LIST-bounces@lists.example.org" (the VERP form Mailman 3 decodes).
// A recipient without "@" is encoded as its local part alone.
std::string verp_address(std::string_view bounce_address, std::string_view recipient);

// The envelopes of a post: MAIL FROM = the list's bounce address for all recipients in one
// transaction, or with `verp`, one transaction per recipient with its VERP address.
std::vector<forward_envelope> rewrite_envelope(const config::mailing_list& list,
                                               std::span<const std::string> recipients);

// Placeholder Mailman 3 also uses when a post has no (or an empty) Subject.
inline constexpr std::string_view no_subject = "(no subject)";

// True when the decoded Subject value (RFC 2047 encoded-words decoded, folds removed)
// already contains `prefix` without its trailing whitespace, compared ASCII
// case-insensitively: "Re: [dev] x", "AW: Fwd: [DEV] x" and "=?utf-8?q?=5Bdev=5D_x?=" all do.
bool subject_has_prefix(std::string_view subject_value, std::string_view prefix);

// The Subject value (text after the colon) with `prefix` added in front, or unchanged when
// subject_has_prefix() (idempotent: never doubled). An ASCII prefix is written as plain
// text, also before encoded-words; a non-ASCII one as a UTF-8 encoded-word (RFC 2047 5).
// An empty value becomes prefix + no_subject. The result starts with one space.
std::string prefixed_subject(std::string_view subject_value, std::string_view prefix);

// Applies prefixed_subject() to the first Subject field, or adds "Subject: PREFIX(no
// subject)" when there is none. Nothing happens for an empty prefix.
void rewrite_subject(mail::message& m, std::string_view prefix);

// The RFC 2919 List-Id and RFC 2369 List-Post, List-Help, List-Subscribe and
// List-Unsubscribe fields of `list` (mailto: URIs of its Mailman addresses).
// List-Unsubscribe-Post (RFC 8058) is never written: RFC 8058 3.1 requires an HTTPS URI in
// List-Unsubscribe, which a mailto-only list does not have.
std::vector<mail::header_field> list_header_fields(const config::mailing_list& list);

// Replaces any fields of those names in `m` with list_header_fields(list), appended at the
// end of the header block.
void set_list_headers(mail::message& m, const config::mailing_list& list);

// Every header rewrite of a post: subject prefix, then List-* fields when list_headers.
void rewrite_post(mail::message& m, const config::mailing_list& list);

} // namespace arcrelay::relay
