// mail/canonicalization.hpp — RFC 6376 §3.4 header and body canonicalization,
// and the streaming SHA-256 body hash (§3.7) with the optional l= length (§3.5).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace arcrelay::mail {

enum class canonicalization { simple, relaxed };

// Appends the canonical form of one raw header field (including its CRLF) to `out`
// (RFC 6376 §3.4.1 simple, §3.4.2 relaxed). The result ends in CRLF.
void append_canonical_header(std::string& out, std::string_view raw_field, canonicalization c);

// Streaming body canonicalizer (RFC 6376 §3.4.3 simple, §3.4.4 relaxed). Input may be
// split anywhere (even between CR and LF); the output is the same for every split.
class body_canonicalizer {
public:
    using sink = std::function<void(std::string_view)>;
    body_canonicalizer(canonicalization c, sink out);
    void update(std::string_view chunk);
    void finish(); // flushes; call once at the end of the body

private:
    void update_simple(std::string_view chunk);
    void content(std::string_view bytes);
    void end_line();
    void emit(std::string_view bytes);
    void flush();

    canonicalization c_;
    sink out_;
    std::string staging_;
    std::uint64_t pending_crlf_ = 0; // line ends seen but not yet emitted (RFC 6376 §3.4.3)
    bool pending_space_ = false;     // relaxed: a WSP run awaiting the next non-WSP byte
    bool pending_cr_ = false;        // a CR whose LF may arrive in the next chunk
    bool line_has_content_ = false;
    bool emitted_any_ = false;
};

// The canonical body as a string (tests, small bodies).
std::string canonicalize_body(std::string_view body, canonicalization c);

using sha256_digest = std::array<std::uint8_t, 32>;

// SHA-256 over the canonical body, limited to the first `length_limit` canonical bytes
// when l= is given. canonical_length() is the full canonical length, so a verifier can
// tell an l= larger than the body (RFC 6376 §3.5 "l=").
class body_hasher {
public:
    body_hasher(canonicalization c, std::optional<std::uint64_t> length_limit);
    ~body_hasher();
    body_hasher(body_hasher&&) noexcept;
    body_hasher& operator=(body_hasher&&) noexcept;

    void update(std::string_view chunk);
    sha256_digest finish();
    std::uint64_t canonical_length() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// One-shot SHA-256 (header hashes, Ed25519 pre-hash of RFC 8463 §3).
sha256_digest sha256(std::string_view data);

} // namespace arcrelay::mail
