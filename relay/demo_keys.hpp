// relay/demo_keys.hpp — the demo's first start: the [[arc.key]] files that do not exist yet
// are generated (RSA 2048 / Ed25519, PKCS#8 PEM, mode 0600) and the DNS TXT records to
// publish are returned for the log.
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"
#include "config/config.hpp"

#include <string>
#include <vector>

namespace arcrelay::relay {

// Creates the keys' missing directories (mode 0700; existing ones keep their mode) and every
// missing key file (the demo's first start, and `arcrelay keygen --config FILE`). Returns the
// generated keys (empty when all existed). Errors: a directory or file cannot be written.
struct generated_key {
    config::signing_key settings;
    auth::dkim::private_key key;
};
result<std::vector<generated_key>> generate_missing_keys(const config::arc_settings& arc);

} // namespace arcrelay::relay
