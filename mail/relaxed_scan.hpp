// mail/relaxed_scan.hpp — the vector scans behind relaxed canonicalization of bodies (RFC
// 6376 §3.4.4) and header fields (§3.4.2): how far from a given byte the text is already
// canonical, so it can be hashed or copied as it lies. One source compiled twice: 16 bytes
// per step (SSE2, every x86-64) and 32 (AVX2); the unsuffixed functions take the widest this
// CPU runs.
#pragma once

#include <cstddef>
#include <string_view>

namespace arcrelay::mail::detail {

// Where a relaxed run starting at `from` may end without looking at its bytes one by one:
// it holds no HTAB, no SP followed by WSP, CR or LF, and no CR or LF but those of CRLFs; it
// never ends inside or right after a CRLF (the caller defers line ends), so each CRLF in it,
// an empty line's too, has content after it.
// `from` itself when nothing can be skipped; the last few bytes of `chunk` are never
// included (the caller's byte loop does them).
std::size_t relaxed_run_end(std::string_view chunk, std::size_t from);

// The two widths, for tests that hold them to the same answers.
std::size_t relaxed_run_end_16(std::string_view chunk, std::size_t from);
std::size_t relaxed_run_end_32(std::string_view chunk, std::size_t from); // needs AVX2
bool cpu_has_avx2();

// Where a run of a header field's value starting at `from` may end with relaxed header
// canonicalization leaving it as it is: it holds no CR, LF or HTAB and no SP followed by
// WSP, CR or LF (a lone SP between two other bytes stays). `from` when nothing can be
// skipped; the last few bytes of `value` are never included (the caller's byte loop does
// them).
std::size_t relaxed_header_run_end(std::string_view value, std::size_t from);
std::size_t relaxed_header_run_end_16(std::string_view value, std::size_t from);
std::size_t relaxed_header_run_end_32(std::string_view value, std::size_t from); // AVX2

} // namespace arcrelay::mail::detail
