// relay/demo_keys.hpp — the demo's first start: the [[arc.key]] files that do not exist yet
// are generated (RSA 2048 / Ed25519, PKCS#8 PEM, mode 0600) and the DNS TXT records to
// publish are returned for the log.
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"

#include <string>
#include <vector>

namespace arcrelay::relay {

// Creates the keys' directories and every missing key file. Returns one DNS record text per
// generated key (empty when all existed). Errors: a directory or file cannot be written.
result<std::vector<std::string>> generate_missing_keys(const config::arc_settings& arc);

} // namespace arcrelay::relay
