// relay/cli_keygen.hpp — `arcrelay keygen`.
#pragma once

namespace arcrelay::relay {
// arcrelay keygen --algorithm rsa-sha256|ed25519-sha256 --domain D --selector S --out DIR
int run_keygen(int argc, char** argv);
} // namespace arcrelay::relay
