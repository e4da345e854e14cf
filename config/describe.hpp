// config/describe.hpp — the human summary printed by `arcrelay check-config FILE`.
#pragma once

#include "config/config.hpp"

#include <string>

namespace arcrelay::config {

// What will run: server identity, each listener (address, stages, clients, recipients,
// STARTTLS, next hop, limits that differ from [limits]), lists, ARC keys, DNS, DMARC,
// policy, logging and metrics. One line per item, newline-terminated.
std::string describe(const configuration& config);

} // namespace arcrelay::config
