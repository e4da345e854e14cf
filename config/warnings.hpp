// config/warnings.hpp — what a valid configuration may still get wrong: printed by
// `arcrelay check-config` on standard error, never an error (the exit status stays 0).
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace arcrelay::config {

// One sentence per finding, each naming its key and saying why:
//   arc.key: sealing keys without an rsa-sha256 one (draft-ietf-dmarc-arc-multi 5.1: a
//   sealer extends only the chains of its algorithms, and every chain written today is
//   rsa-sha256).
std::vector<std::string> warnings(const configuration& config);

} // namespace arcrelay::config
