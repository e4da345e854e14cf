// auth/spf/verdict.cpp — result names (RFC 7208 2.6) and Authentication-Results properties
// (draft-ietf-dmarc-rfc7601bis 2.7.2).
#include "auth/spf/verdict.hpp"

namespace arcrelay::auth::spf {

std::string_view to_string(result r) {
    switch (r) {
    case result::none:
        return "none";
    case result::neutral:
        return "neutral";
    case result::pass:
        return "pass";
    case result::fail:
        return "fail";
    case result::softfail:
        return "softfail";
    case result::temperror:
        return "temperror";
    case result::permerror:
        return "permerror";
    }
    return "permerror";
}

std::string_view property_name(identity id) {
    return id == identity::helo ? "helo" : "mailfrom";
}

std::string property_value(const verdict& v) {
    if (v.identity == identity::mailfrom && v.used_local_part) return v.sender;
    return v.domain;
}

} // namespace arcrelay::auth::spf
