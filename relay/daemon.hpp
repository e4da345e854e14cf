// relay/daemon.hpp — `arcrelay serve`: one smtp::listener per [[listener]], the worker pool
// for the pipeline, the metrics endpoint, and the signals: SIGTERM/SIGINT drain open
// transactions and return, SIGHUP reloads the configuration and keys without dropping
// connections (new transactions use the new runtime; listener addresses need a restart).
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace arcrelay::relay {

// How long open sessions may take to finish their transaction after SIGTERM.
inline constexpr std::chrono::seconds drain_deadline{30};

// Produces the configuration for a reload (re-reads the file); errors keep the old one.
using config_source = std::function<result<config::configuration>()>;

// Runs until SIGTERM or SIGINT; returns the process exit code (0 after a clean drain, 1 when
// start-up failed, with the reason logged).
int run_daemon(config::configuration initial, config_source reload);

} // namespace arcrelay::relay
