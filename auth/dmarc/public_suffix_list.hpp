// auth/dmarc/public_suffix_list.hpp — RFC 7489 3.2 organizational domains from the Public
// Suffix List, through libpsl.
//
// The organizational domain is the registrable domain: the longest public suffix that
// matches plus one label (RFC 7489 3.2 steps 1-4). A name that is itself a public suffix, or
// that has no registrable part, is its own organizational domain.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct psl_ctx_st;

namespace arcrelay::auth::dmarc {

// Debian's publicsuffix package.
inline constexpr std::string_view debian_public_suffix_file =
    "/usr/share/publicsuffix/public_suffix_list.dat";

class public_suffix_list {
public:
    // The newer of libpsl's built-in list and `path` (psl_latest). Throws std::runtime_error
    // when neither is usable (start-up configuration).
    static public_suffix_list
    latest(const std::string& path = std::string(debian_public_suffix_file));
    // Exactly the list in `path` (psl_load_file). Throws std::runtime_error when unreadable.
    static public_suffix_list load(const std::string& path);

    // The organizational domain of `domain` (any case, optional trailing dot), lower-case.
    std::string organizational_domain(std::string_view domain) const;

private:
    struct deleter {
        void operator()(psl_ctx_st* ctx) const;
    };
    explicit public_suffix_list(psl_ctx_st* ctx) : ctx_(ctx) {}
    std::unique_ptr<psl_ctx_st, deleter> ctx_;
};

} // namespace arcrelay::auth::dmarc
