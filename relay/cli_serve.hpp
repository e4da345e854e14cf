// relay/cli_serve.hpp — `arcrelay serve [--config FILE]` and `arcrelay check-config FILE`.
#pragma once

namespace arcrelay::relay {

// arcrelay serve [--config FILE]: runs the daemon (relay/daemon.hpp). Without --config it
// runs the built-in demo (config/embedded_defaults.hpp) under $ARCRELAY_STATE_DIR (default
// ./state), generating its sealing keys on first start and logging the DNS TXT records to
// publish. Exit 0 after SIGTERM/SIGINT, 1 when start-up fails, 2 for a bad command line or
// configuration.
int run_serve(int argc, char** argv);

// arcrelay check-config FILE: exit 0 and the describe() summary on stdout when the file is
// valid and every file it names is readable; the error ("FILE:LINE: key: reason") on stderr
// and exit 2 otherwise.
int run_check_config(int argc, char** argv);

} // namespace arcrelay::relay
