// relay/cli_testkey.hpp — `arcrelay testkey [--config FILE] [--zone ZONE]`: every
// [[arc.key]]'s DNS TXT record against its private key (relay/key_check.hpp), after
// opendkim-testkey. The exit status is the worst key's key_check_status.
#pragma once

namespace arcrelay::relay {
int run_testkey(int argc, char** argv);
} // namespace arcrelay::relay
