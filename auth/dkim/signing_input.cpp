// auth/dkim/signing_input.cpp — RFC 6376 §3.7 (b= removal) and §5.4.2 (header selection).
#include "auth/dkim/signing_input.hpp"

#include <unordered_map>

namespace arcrelay::auth::dkim {

namespace {
bool is_fws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}
} // namespace

std::string remove_b_value(std::string_view raw) {
    std::string out(raw);
    auto colon = out.find(':');
    if (colon == std::string::npos) return out;
    std::size_t end = out.size();
    if (end >= 2 && out.compare(end - 2, 2, "\r\n") == 0) end -= 2;
    std::size_t spec = colon + 1;
    while (spec < end) {
        std::size_t semi = out.find(';', spec);
        if (semi == std::string::npos || semi > end) semi = end;
        std::size_t n = spec;
        while (n < semi && is_fws(out[n]))
            ++n;
        std::size_t name_end = n;
        while (name_end < semi && out[name_end] != '=' && !is_fws(out[name_end]))
            ++name_end;
        std::size_t eq = out.find('=', name_end);
        if (name_end - n == 1 && out[n] == 'b' && eq != std::string::npos && eq < semi) {
            out.erase(eq + 1, semi - (eq + 1));
            return out;
        }
        spec = semi + 1;
    }
    return out;
}

std::string header_signing_input(const mail::message& m,
                                 const std::vector<std::string>& signed_headers,
                                 const mail::header_field& signature_field,
                                 mail::canonicalization c) {
    const auto& headers = m.headers();
    std::string out;
    // Per name, the index above which instances are used up (bottom-up selection).
    std::unordered_map<std::string, std::size_t> next;
    for (const auto& name : signed_headers) {
        auto key = lower(name);
        auto [it, fresh] = next.try_emplace(key, headers.size());
        std::size_t i = it->second;
        while (i > 0) {
            --i;
            if (&headers[i] != &signature_field && headers[i].is(key)) {
                mail::append_canonical_header(out, headers[i].raw(), c);
                it->second = i;
                break;
            }
            if (i == 0) it->second = 0;
        }
    }
    std::string own;
    mail::append_canonical_header(own, remove_b_value(signature_field.raw()), c);
    if (own.size() >= 2 && own.compare(own.size() - 2, 2, "\r\n") == 0) own.resize(own.size() - 2);
    out += own;
    return out;
}

} // namespace arcrelay::auth::dkim
