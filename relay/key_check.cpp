// relay/key_check.cpp — see key_check.hpp.
#include "relay/key_check.hpp"

#include "auth/dkim/key_record.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {
namespace {

using auth::dkim::key_record;

// The record's key is ours when it verifies a signature made with our private key: this
// holds whatever DER form (SubjectPublicKeyInfo or PKCS#1) the p= value uses.
bool same_key(const key_record& record, const auth::dkim::private_key& key,
              auth::dkim::algorithm alg) {
    constexpr std::string_view probe = "arcrelay testkey probe";
    auto signature = auth::dkim::sign_data(key, alg, probe);
    return signature && record.key &&
           auth::dkim::verify_signature(*record.key, alg, probe, *signature);
}

key_check check_record(const key_record& record, const auth::dkim::private_key& key,
                       auth::dkim::algorithm alg) {
    using enum key_check_status;
    if (record.revoked) return {revoked, "p= is empty: the key is revoked (RFC 6376 3.6.1)"};
    if (record.type != key.type())
        return {unusable, fmt::format("k={} but the private key is {}",
                                      auth::dkim::key_type_name(record.type),
                                      auth::dkim::key_type_name(key.type()))};
    if (!record.allows(alg))
        return {unusable, fmt::format("h= does not allow sha256, which {} needs",
                                      auth::dkim::algorithm_name(alg))};
    // RFC 6376 3.6.1: verifiers must not treat mail signed in testing mode differently
    // from unsigned mail, so a seal under t=y counts for nothing.
    if (record.testing) return {unusable, "t=y: receivers treat signatures as absent"};
    if (!same_key(record, key, alg))
        return {different, "the record holds another key than the private key file"};
    return {match, "the record matches the private key"};
}

} // namespace

std::string_view key_check_status_name(key_check_status s) {
    switch (s) {
    case key_check_status::match:
        return "match";
    case key_check_status::dns_failure:
        return "DNS failure";
    case key_check_status::not_found:
        return "not found";
    case key_check_status::revoked:
        return "revoked";
    case key_check_status::unusable:
        return "unusable";
    case key_check_status::different:
        return "different key";
    }
    return "?";
}

key_check check_published_key(const dns::answer& answer, const auth::dkim::private_key& key,
                              auth::dkim::algorithm alg) {
    using enum key_check_status;
    switch (answer.result) {
    case dns::outcome::nxdomain:
        return {not_found, "no such name (NXDOMAIN)"};
    case dns::outcome::nodata:
        return {not_found, "the name has no TXT record"};
    case dns::outcome::temp_failure:
    case dns::outcome::malformed:
        return {dns_failure, answer.reason};
    case dns::outcome::records:
        break;
    }
    std::string first_error;
    for (const auto& txt : answer.records) {
        auto record = auth::dkim::parse_key_record(txt);
        if (record) return check_record(*record, key, alg);
        if (first_error.empty()) first_error = record.error().message;
    }
    return {unusable, "the record does not parse: " + first_error};
}

} // namespace arcrelay::relay
