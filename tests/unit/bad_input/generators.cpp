// tests/unit/bad_input/generators.cpp — the catalog's big cases (generators.hpp). Sizes are the
// ones the issue names: 10 000 fields, 1 MB lines, 10 000-deep nesting, 51 ARC sets, a
// million-character tag, 10 000 recipients; each goes past the limit it probes.
#include "tests/unit/bad_input/generators.hpp"

#include <cstdint>
#include <functional>
#include <utility>

namespace arcrelay::bad_input {

namespace {

constexpr std::string_view basic_header =
    "From: a@example.com\r\nTo: l@lists.example\r\nSubject: t\r\n";

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

// Folds `value` into lines of at most 76 characters (RFC 5322 §2.2.3), so a huge field stays
// within the line limit and only the field or block limits apply.
std::string fold(std::string_view value) {
    constexpr std::size_t width = 76;
    std::string out;
    for (std::size_t at = 0; at < value.size(); at += width) {
        if (at) out += "\r\n ";
        out += value.substr(at, width);
    }
    return out;
}

std::string message(std::string_view extra_header, std::string_view body = "body\r\n") {
    return std::string(extra_header) + std::string(basic_header) + "\r\n" + std::string(body);
}

std::string nested(std::size_t depth, std::string_view open, std::string_view middle,
                   std::string_view close) {
    return repeat(open, depth) + std::string(middle) + repeat(close, depth);
}

std::string arc_set(unsigned i) {
    const std::string n = std::to_string(i);
    return "ARC-Seal: i=" + n + "; a=rsa-sha256; cv=" + (i == 1 ? "none" : "pass") +
           "; d=example.org; s=sel; t=1767225600; b=AAAA\r\n"
           "ARC-Message-Signature: i=" +
           n +
           "; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; h=from:to;"
           " bh=AAAA; b=AAAA\r\n"
           "ARC-Authentication-Results: i=" +
           n + "; mx.example.org; spf=pass\r\n";
}

std::string multipart_nested(std::size_t depth) {
    std::string body;
    for (std::size_t i = 0; i < depth; ++i)
        body += "--b" + std::to_string(i) + "\r\nContent-Type: multipart/mixed; boundary=\"b" +
                std::to_string(i + 1) + "\"\r\n\r\n";
    for (std::size_t i = depth; i-- > 0;)
        body += "--b" + std::to_string(i) + "--\r\n";
    return message("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n", body);
}

// A TXT answer of 250 character-strings of 255 octets for q.bad.test, id 0x5a17 (RFC 1035
// 4.1): about 64 000 octets, near the 65 535 limit of a TCP message.
std::string huge_txt_packet() {
    constexpr std::size_t strings = 250;
    std::string p("\x5a\x17\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00", 12);
    p += std::string("\x01q\x03"
                     "bad\x04test\x00",
                     12);
    p += std::string("\x00\x10\x00\x01", 4);                          // TXT IN
    p += std::string("\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c", 10); // name, TXT IN, TTL 300
    const std::size_t rdlength = strings * 256;
    p += static_cast<char>(rdlength >> 8);
    p += static_cast<char>(rdlength & 0xff);
    for (std::size_t i = 0; i < strings; ++i)
        p += '\xff' + std::string(255, 'x');
    return p;
}

std::string quoted_strings(std::string_view text) {
    std::string out;
    for (std::size_t at = 0; at < text.size(); at += 255)
        out += " \"" + std::string(text.substr(at, 255)) + "\"";
    return out;
}

std::string smtp_transaction_start() {
    return "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n";
}

using generator = std::function<std::string()>;

const std::vector<std::pair<std::string_view, generator>>& generators() {
    static const std::vector<std::pair<std::string_view, generator>> table = {
        {"header_bomb_10000_fields", [] { return message(repeat("X-F: v\r\n", 10000)); }},
        {"header_1000_fields", [] { return message(repeat("X-F: v\r\n", 997)); }},
        {"header_line_1mb",
         [] { return message("X-Long: " + std::string(1024 * 1024, 'a') + "\r\n"); }},
        {"header_block_over_1mib",
         [] { return message(repeat("X-Big: " + fold(std::string(1100, 'a')) + "\r\n", 990)); }},
        {"body_line_1mb", [] { return message("", std::string(1024 * 1024, 'b') + "\r\n"); }},
        {"nul_bytes_100k", [] { return std::string(100000, '\0'); }},
        {"multipart_nested_10000", [] { return multipart_nested(10000); }},
        {"arc_51_sets",
         [] {
             std::string sets;
             for (unsigned i = 51; i >= 1; --i)
                 sets += arc_set(i);
             return message(sets);
         }},
        {"arc_seal_gigantic_tag",
         [] {
             std::string set = arc_set(1);
             const auto b = set.find("b=AAAA");
             set.replace(b, 6, fold("b=" + std::string(500000, 'A')));
             return message(set);
         }},
        {"message_dkim_signature_million_char_tag",
         [] {
             return message("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;"
                            " h=from:to; bh=AAAA;\r\n " +
                            fold("b=" + std::string(1000000, 'A')) + "\r\n");
         }},
        {"message_authres_comment_10000_deep",
         [] {
             return message("Authentication-Results: mx.example; spf=pass\r\n " +
                            fold(nested(10000, "(", "x", ")")) + "\r\n");
         }},
        {"dkim_signatures_50",
         [] {
             return message(repeat("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;"
                                   " h=from; bh=AAAA; b=AAAA\r\n",
                                   50));
         }},
        // A relaxed body hash over a million empty lines inside the body and half a million
        // at its end (RFC 6376 §3.4.3 drops those): linear time, as every other case.
        {"dkim_body_of_empty_lines",
         [] {
             return message("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;"
                            " d=example.com; s=rsa2026; h=from; bh=AAAA; b=AAAA\r\n",
                            "a\r\n" + repeat("\r\n", 1 << 20) + "b\r\n" + repeat("\r\n", 1 << 19));
         }},
        {"authres_comment_10000_deep",
         [] { return "example.com; spf=pass " + nested(10000, "(", "x", ")"); }},
        {"authres_over_64k",
         [] { return "example.com; spf=pass (" + std::string(70000, 'c') + ")"; }},
        {"dkim_signature_value_million_char_tag",
         [] {
             return "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh=AAAA; b=AAAA; zz=" +
                    std::string(1000000, 'a');
         }},
        {"address_comment_10000_deep", [] { return "a@b.test " + nested(10000, "(", "x", ")"); }},
        {"address_list_10000",
         [] {
             std::string list;
             for (int i = 0; i < 10000; ++i)
                 list += (i ? ", u" : "u") + std::to_string(i) + "@example.com";
             return list;
         }},
        {"spf_record_10000_terms",
         [] { return "v=spf1" + repeat(" ip4:10.0.0.1", 10000) + " -all"; }},
        {"spf_huge_txt",
         [] {
             return "$ORIGIN bad.test.\n$TTL 300\nspf IN TXT" +
                    quoted_strings("v=spf1" + repeat(" ip4:10.0.0.1", 1000) + " -all") + "\n";
         }},
        {"dns_zone_huge_txt",
         [] {
             return "$ORIGIN bad.test.\n$TTL 300\nq IN TXT" +
                    quoted_strings(std::string(250 * 255, 'x')) + "\n";
         }},
        {"dns_wire_huge_txt", huge_txt_packet},
        {"config_nested_arrays_10000", [] { return "a = " + nested(10000, "[", "", "]") + "\n"; }},
        {"config_nested_tables_10000",
         [] { return "a = " + nested(10000, "{b = ", "1", "}") + "\n"; }},
        {"smtp_10000_recipients",
         [] {
             std::string s = "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\n";
             for (int i = 0; i < 10000; ++i)
                 s += "RCPT TO:<l" + std::to_string(i) + "@lists.example>\r\n";
             return s + "DATA\r\nA: b\r\n\r\nx\r\n.\r\n";
         }},
        {"smtp_data_26mb",
         [] {
             // 26 MiB of 1000-octet lines: over the default 25 MiB SIZE limit.
             return smtp_transaction_start() + "A: b\r\n\r\n" +
                    repeat(std::string(998, 'x') + "\r\n", 26 * 1024 * 1024 / 1000) + ".\r\n";
         }},
        {"smtp_10000_pipelined_noop", [] { return repeat("NOOP\r\n", 10000); }},
    };
    return table;
}

} // namespace

std::optional<std::string> generate(std::string_view name) {
    for (const auto& [n, g] : generators())
        if (n == name) return g();
    return std::nullopt;
}

std::vector<std::string_view> generator_names() {
    std::vector<std::string_view> names;
    for (const auto& entry : generators())
        names.push_back(entry.first);
    return names;
}

} // namespace arcrelay::bad_input
