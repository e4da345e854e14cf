// auth/dmarc/public_suffix_list.cpp — libpsl wrapper (RFC 7489 3.2).
#include "auth/dmarc/public_suffix_list.hpp"

#include "dns/name.hpp"

#include <libpsl.h>

#include <stdexcept>

namespace arcrelay::auth::dmarc {

void public_suffix_list::deleter::operator()(psl_ctx_st* ctx) const {
    psl_free(ctx);
}

public_suffix_list public_suffix_list::latest(const std::string& path) {
    psl_ctx_t* ctx = psl_latest(path.c_str());
    if (!ctx) throw std::runtime_error("no usable public suffix list (built-in or " + path + ")");
    return public_suffix_list(ctx);
}

public_suffix_list public_suffix_list::load(const std::string& path) {
    psl_ctx_t* ctx = psl_load_file(path.c_str());
    if (!ctx) throw std::runtime_error("cannot load the public suffix list " + path);
    return public_suffix_list(ctx);
}

std::string public_suffix_list::organizational_domain(std::string_view domain) const {
    // libpsl wants lower-case names without the root's dot.
    std::string name = dns::canonical_name(domain);
    const char* registrable = psl_registrable_domain(ctx_.get(), name.c_str());
    if (!registrable) return name; // a public suffix itself, or no registrable part
    return std::string(registrable);
}

} // namespace arcrelay::auth::dmarc
