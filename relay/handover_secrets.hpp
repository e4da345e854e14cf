// relay/handover_secrets.hpp — the hand-over secrets (relay/handover.hpp) read from their
// files at start and on every SIGHUP, so a secret is rotated by adding the new file first,
// reloading every instance, and removing the old one a handover_max_age_s later.
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"
#include "relay/handover.hpp"

#include <cstddef>
#include <string>

namespace arcrelay::relay {

inline constexpr std::size_t min_handover_secret_size = 32; // octets, file content trimmed

// Does some listener hand over (records without sealing) or take over (seals without
// verifying)? Only then are secrets needed.
bool uses_handover(const config::configuration& c);

// STATE_DIR/handover.secret, the file used when [arc] handover_secrets is not set.
std::string default_handover_secret_path(const config::configuration& c);

// Reads [arc] handover_secrets (or the default file, created with 32 random octets, hex,
// mode 0600, when it does not exist yet). Errors name the file: unreadable, or shorter than
// min_handover_secret_size once trailing whitespace is removed.
result<handover_keys> load_handover_keys(const config::configuration& c);

} // namespace arcrelay::relay
