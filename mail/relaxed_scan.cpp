// mail/relaxed_scan.cpp — see relaxed_scan.hpp. GCC vector extensions: one template per
// scan, instantiated for 16-byte blocks (baseline x86-64) and, inside an AVX2 function, for 32.
#include "mail/relaxed_scan.hpp"

#include <cstring>

namespace arcrelay::mail::detail {

#if defined(__GNUC__) && defined(__x86_64__)
namespace {

// One typedef per width: the attribute does not survive a template alias.
typedef char block16 __attribute__((vector_size(16)));
typedef char block32 __attribute__((vector_size(32)));
typedef unsigned long long lanes16 __attribute__((vector_size(16)));
typedef unsigned long long lanes32 __attribute__((vector_size(32)));
template <std::size_t N>
struct width;
template <>
struct width<16> {
    using block = block16;
    using lanes = lanes16;
};
template <>
struct width<32> {
    using block = block32;
    using lanes = lanes32;
};

// Vectors go by reference: a 32-byte vector by value would depend on the ISA (-Wpsabi).
template <class Block>
[[gnu::always_inline]] inline void load(Block& v, const char* p) {
    std::memcpy(&v, p, sizeof v);
}

// The index of the first byte whose mask is set, or N (x86 is little-endian).
template <std::size_t N, class Mask>
[[gnu::always_inline]] inline std::size_t first_set(const Mask& m) {
    typename width<N>::lanes lanes;
    std::memcpy(&lanes, &m, N);
    unsigned long long any = 0;
    for (std::size_t k = 0; k < N / 8; ++k)
        any |= lanes[k];
    if (any == 0) return N;
    for (std::size_t k = 0;; ++k)
        if (lanes[k] != 0) return k * 8 + static_cast<std::size_t>(__builtin_ctzll(lanes[k])) / 8;
}

template <std::size_t N>
[[gnu::always_inline]] inline std::size_t scan(std::string_view chunk, std::size_t from) {
    // The byte before `from` counts as 0, so an LF there is not part of a CRLF.
    if (from < chunk.size() && chunk[from] == '\n') return from;
    std::size_t i = from;
    while (i + N + 1 <= chunk.size()) { // bytes i-1 .. i+N are read
        const char* p = chunk.data() + i;
        typename width<N>::block here, next, prev;
        load(here, p);
        load(next, p + 1);
        if (i == 0) { // no byte before; any will do, as byte 0 is no LF (above)
            char first[N] = {};
            std::memcpy(first + 1, p, N - 1);
            load(prev, first);
        } else {
            load(prev, p - 1);
        }
        const auto eol_here = (here == '\r') | (here == '\n');
        const auto eol_next = (next == '\r') | (next == '\n');
        // RFC 6376 §3.4.4: a CRLF is canonical as it is, empty lines' too, as long as content
        // follows it (the run never ends in one, below) ...
        const auto crlf_cr = (here == '\r') & (next == '\n');
        const auto crlf_lf = (here == '\n') & (prev == '\r');
        // ... a WSP run is not (one SP stands for it, none at a line's end), unless it is
        // one SP before an ordinary byte.
        const auto wide_space = (here == ' ') & ((next == ' ') | (next == '\t') | eol_next);
        const auto trouble = (here == '\t') | wide_space | (eol_here & ~(crlf_cr | crlf_lf));
        if (const auto at = first_set<N>(trouble); at < N) {
            i += at;
            break;
        }
        i += N;
    }
    // Line ends are deferred by the caller (trailing empty lines are dropped, §3.4.3): never
    // end a run inside or right after a CRLF, so every CRLF kept in it has content after it.
    if (i > from && chunk[i - 1] == '\r') --i;
    while (i >= from + 2 && chunk[i - 1] == '\n' && chunk[i - 2] == '\r')
        i -= 2;
    return i;
}

// §3.4.2 in a header field's value: unfolding drops every CR and LF, a WSP run becomes one
// SP, so only a lone SP before another byte is left as it is.
template <std::size_t N>
[[gnu::always_inline]] inline std::size_t scan_header(std::string_view value, std::size_t from) {
    std::size_t i = from;
    while (i + N + 1 <= value.size()) { // bytes i .. i+N are read
        const char* p = value.data() + i;
        typename width<N>::block here, next;
        load(here, p);
        load(next, p + 1);
        const auto wsp_next = (next == ' ') | (next == '\t') | (next == '\r') | (next == '\n');
        const auto trouble =
            (here == '\t') | (here == '\r') | (here == '\n') | ((here == ' ') & wsp_next);
        if (const auto at = first_set<N>(trouble); at < N) return i + at;
        i += N;
    }
    return i;
}

} // namespace

std::size_t relaxed_header_run_end_16(std::string_view value, std::size_t from) {
    return scan_header<16>(value, from);
}

[[gnu::target("avx2")]] std::size_t relaxed_header_run_end_32(std::string_view value,
                                                              std::size_t from) {
    return scan_header<32>(value, from);
}

std::size_t relaxed_header_run_end(std::string_view value, std::size_t from) {
    return cpu_has_avx2() ? relaxed_header_run_end_32(value, from)
                          : relaxed_header_run_end_16(value, from);
}

std::size_t relaxed_run_end_16(std::string_view chunk, std::size_t from) {
    return scan<16>(chunk, from);
}

[[gnu::target("avx2")]] std::size_t relaxed_run_end_32(std::string_view chunk, std::size_t from) {
    return scan<32>(chunk, from);
}

bool cpu_has_avx2() {
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}

std::size_t relaxed_run_end(std::string_view chunk, std::size_t from) {
    return cpu_has_avx2() ? relaxed_run_end_32(chunk, from) : relaxed_run_end_16(chunk, from);
}

#else // elsewhere update()'s byte loop does it all

std::size_t relaxed_run_end_16(std::string_view, std::size_t from) {
    return from;
}
std::size_t relaxed_run_end_32(std::string_view, std::size_t from) {
    return from;
}
bool cpu_has_avx2() {
    return false;
}
std::size_t relaxed_run_end(std::string_view, std::size_t from) {
    return from;
}
std::size_t relaxed_header_run_end_16(std::string_view, std::size_t from) {
    return from;
}
std::size_t relaxed_header_run_end_32(std::string_view, std::size_t from) {
    return from;
}
std::size_t relaxed_header_run_end(std::string_view, std::size_t from) {
    return from;
}

#endif

} // namespace arcrelay::mail::detail
