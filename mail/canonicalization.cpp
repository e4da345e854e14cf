// mail/canonicalization.cpp — RFC 6376 §3.4 canonicalization, §3.7 body hash.
#include "mail/canonicalization.hpp"

#include "mail/relaxed_scan.hpp"

#include <botan/hash.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace arcrelay::mail {

namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Short pieces (an SP, a CRLF, a word) are gathered and hashed together; a piece of at least
// direct_limit bytes is hashed where it lies, without a copy.
constexpr std::size_t staging_limit = 16 * 1024;
constexpr std::size_t direct_limit = 256;

} // namespace

void append_canonical_header(std::string& out, std::string_view raw, canonicalization c) {
    if (c == canonicalization::simple) { // §3.4.1: no change at all
        out.append(raw);
        return;
    }
    // §3.4.2: lower-case the name, unfold, reduce WSP runs to one SP, trim the value.
    if (raw.size() >= 2 && raw.substr(raw.size() - 2) == "\r\n") raw.remove_suffix(2);
    auto colon = raw.find(':');
    std::string_view name = raw.substr(0, colon);
    while (!name.empty() && is_wsp(name.back()))
        name.remove_suffix(1);
    // The canonical field is never longer than the raw one plus ':' and CRLF: written in
    // place, then cut to its length.
    const std::size_t start = out.size();
    out.resize(start + raw.size() + 3);
    char* o = out.data() + start;
    for (char ch : name)
        *o++ = lower(ch);
    *o++ = ':';
    if (colon != std::string_view::npos) {
        const auto value = raw.substr(colon + 1);
        bool space = false, started = false;
        for (std::size_t i = 0; i < value.size();) {
            const char ch = value[i];
            if (ch == '\r' || ch == '\n' || is_wsp(ch)) { // unfolding; WSP runs
                space = space || is_wsp(ch);
                ++i;
                continue;
            }
            if (space && started) *o++ = ' ';
            space = false;
            started = true;
            // From an ordinary byte, the text up to the next fold or WSP run is canonical.
            const auto end = std::max(detail::relaxed_header_run_end(value, i), i + 1);
            std::memcpy(o, value.data() + i, end - i);
            o += end - i;
            i = end;
        }
    }
    *o++ = '\r';
    *o++ = '\n';
    out.resize(static_cast<std::size_t>(o - out.data()));
}

body_canonicalizer::body_canonicalizer(canonicalization c, sink out)
    : c_(c), out_(std::move(out)) {}

void body_canonicalizer::emit(std::string_view bytes) {
    if (bytes.size() >= direct_limit) {
        flush();
        out_(bytes);
        return;
    }
    staging_.append(bytes);
    if (staging_.size() >= staging_limit) flush();
}

void body_canonicalizer::flush() {
    if (!staging_.empty()) out_(staging_);
    staging_.clear();
}

void body_canonicalizer::content(std::string_view bytes) {
    // Empty lines are only known to be inside the body once content follows them.
    for (; pending_crlf_ > 0; --pending_crlf_)
        emit("\r\n");
    if (pending_space_) emit(" "); // §3.4.4: a WSP run (leading ones too) becomes one SP
    pending_space_ = false;
    emit(bytes);
    line_has_content_ = true;
    emitted_any_ = true;
}

void body_canonicalizer::end_line() {
    pending_space_ = false; // §3.4.4: trailing WSP is removed
    ++pending_crlf_;
    line_has_content_ = false;
}

// §3.4.3: the simple body is the input itself minus the empty lines at its end, so a chunk
// goes out whole but for its trailing CRLFs (and a last CR whose LF may come next), which
// are only emitted once content follows them.
void body_canonicalizer::update_simple(std::string_view chunk) {
    if (chunk.empty()) return; // keeps a pending CR pending
    std::size_t end = chunk.size();
    const bool cr_at_end = end > 0 && chunk[end - 1] == '\r';
    if (cr_at_end) --end;
    std::uint64_t crlfs = 0;
    while (end >= 2 && chunk[end - 2] == '\r' && chunk[end - 1] == '\n') {
        end -= 2;
        ++crlfs;
    }
    if (end > 0) content(chunk.substr(0, end));
    for (; crlfs > 0; --crlfs)
        end_line();
    pending_cr_ = cr_at_end;
}

void body_canonicalizer::update(std::string_view chunk) {
    const bool relaxed = c_ == canonicalization::relaxed;
    std::size_t i = 0;
    if (pending_cr_ && !chunk.empty()) {
        pending_cr_ = false;
        if (chunk[0] == '\n') {
            end_line();
            i = 1;
        } else {
            content("\r");
        }
    }
    if (!relaxed) return update_simple(chunk.substr(i));
    while (i < chunk.size()) {
        // A run of ordinary bytes goes out in one piece. After a WSP (pending_space_) another
        // WSP, CR or LF continues or ends that WSP run: only the byte-by-byte loop below
        // handles that; an ordinary byte starts a run (content() emits the one SP first).
        // A scan starts only at content: it backs off the line ends it ends on, which a
        // scan from each of them would cross again (quadratic over a body of empty lines).
        const char first = chunk[i];
        const bool line_end = first == '\r' || first == '\n';
        std::size_t j =
            line_end || (pending_space_ && is_wsp(first)) ? i : detail::relaxed_run_end(chunk, i);
        while (j < chunk.size()) {
            char ch = chunk[j];
            if (ch == '\r' || ch == '\n') break;
            if (is_wsp(ch)) {
                // A lone SP between two ordinary bytes is already canonical (§3.4.4): keep it
                // in the run, so a line goes out in one piece instead of word by word.
                bool lone = ch == ' ' && j > i && j + 1 < chunk.size();
                if (lone) {
                    char next = chunk[j + 1];
                    lone = !is_wsp(next) && next != '\r' && next != '\n';
                }
                if (!lone) break;
            }
            ++j;
        }
        if (j > i) content(chunk.substr(i, j - i));
        if (j >= chunk.size()) break;
        char ch = chunk[j];
        if (ch == '\r') {
            if (j + 1 >= chunk.size()) {
                pending_cr_ = true;
                return;
            }
            if (chunk[j + 1] == '\n') {
                end_line();
                i = j + 2;
            } else {
                content("\r");
                i = j + 1;
            }
        } else if (ch == '\n') { // bare LF: not a line end in CRLF canonical form
            content("\n");
            i = j + 1;
        } else { // relaxed WSP
            pending_space_ = true;
            i = j + 1;
        }
    }
}

void body_canonicalizer::finish() {
    if (pending_cr_) {
        pending_cr_ = false;
        content("\r");
    }
    if (line_has_content_) { // an incomplete last line gets its CRLF (§3.4.3)
        emit("\r\n");
    } else if (emitted_any_) {
        emit("\r\n"); // the last content line's own CRLF; trailing empty lines dropped
    } else if (c_ == canonicalization::simple) {
        emit("\r\n"); // §3.4.3: an empty body is one CRLF
    }
    // relaxed: an empty body stays empty (§3.4.4, erratum 1384)
    pending_crlf_ = 0;
    flush();
}

std::string canonicalize_body(std::string_view body, canonicalization c) {
    std::string out;
    body_canonicalizer bc(c, [&out](std::string_view s) { out.append(s); });
    bc.update(body);
    bc.finish();
    return out;
}

struct body_hasher::impl {
    std::unique_ptr<Botan::HashFunction> hash = Botan::HashFunction::create_or_throw("SHA-256");
    std::optional<std::uint64_t> limit;
    std::uint64_t total = 0;
    std::optional<body_canonicalizer> canon;
};

body_hasher::body_hasher(canonicalization c, std::optional<std::uint64_t> length_limit)
    : impl_(std::make_unique<impl>()) {
    impl_->limit = length_limit;
    impl* p = impl_.get(); // stable across moves of the body_hasher
    impl_->canon.emplace(c, [p](std::string_view s) {
        std::uint64_t before = p->total;
        p->total += s.size();
        if (p->limit) {
            if (before >= *p->limit) return;
            s = s.substr(0, static_cast<std::size_t>(*p->limit - before));
        }
        p->hash->update(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    });
}

body_hasher::~body_hasher() = default;
body_hasher::body_hasher(body_hasher&&) noexcept = default;
body_hasher& body_hasher::operator=(body_hasher&&) noexcept = default;

std::uint64_t body_hasher::canonical_length() const {
    return impl_->total;
}

void body_hasher::update(std::string_view chunk) {
    impl_->canon->update(chunk);
}

sha256_digest body_hasher::finish() {
    impl_->canon->finish();
    sha256_digest d{};
    impl_->hash->final(d.data());
    return d;
}

sha256_digest sha256(std::string_view data) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    sha256_digest d{};
    h->final(d.data());
    return d;
}

} // namespace arcrelay::mail
