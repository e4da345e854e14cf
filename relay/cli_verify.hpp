// relay/cli_verify.hpp — `arcrelay verify` and `arcrelay seal`: the verify and seal stages
// on a message file, offline with --zone or over the network resolver.
#pragma once

namespace arcrelay::relay {
int run_verify(int argc, char** argv);
int run_seal(int argc, char** argv);
} // namespace arcrelay::relay
