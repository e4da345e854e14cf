// relay/cli_serve.cpp — see cli_serve.hpp.
#include "relay/cli_serve.hpp"

#include "config/describe.hpp"
#include "config/embedded_defaults.hpp"
#include "config/load.hpp"
#include "config/warnings.hpp"
#include "relay/cli_args.hpp"
#include "relay/cli_usage.hpp"
#include "relay/daemon.hpp"
#include "relay/demo_keys.hpp"
#include "relay/key_files.hpp"
#include "relay/message_checks.hpp"
#include "relay/transaction_log.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace arcrelay::relay {
namespace {

constexpr int exit_usage = 2;

void log_info(const config::configuration& c, const std::string& message) {
    if (c.log.level <= config::log_level::info)
        write_log_line(c.log, format_event(config::log_level::info, message, c.log.format));
}

// The demo: keys generated on first start, their DNS records logged, the maildir created.
result<config::configuration> demo_configuration() {
    const auto state_dir = config::demo_state_dir();
    auto c = config::embedded_defaults(state_dir);
    if (!c) return c;
    auto generated = generate_missing_keys(c->arc);
    if (!generated) return generated.error();
    log_info(*c, fmt::format("demo configuration, state directory {}", state_dir));
    for (const auto& g : *generated)
        log_info(*c, "generated a sealing key; publish this DNS record: " +
                         dns_txt_record(g.settings.domain, g.settings.selector, g.key));
    return c;
}

} // namespace

int run_serve(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2, {"--config"}, {});
    if (!args) return usage_error("serve", args.error().message);
    if (!args->positional.empty()) return usage_error("serve", "unexpected argument");
    const auto path = args->get("--config");
    config_source source = [path]() -> result<config::configuration> {
        if (!path) return demo_configuration();
        return config::load_config_file(*path);
    };
    auto c = source();
    if (!c) {
        fmt::print(stderr, "arcrelay serve: {}\n", c.error().message);
        return exit_usage;
    }
    if (auto files = config::check_files(*c); !files) {
        fmt::print(stderr, "arcrelay serve: {}\n", files.error().message);
        return exit_usage;
    }
    return run_daemon(std::move(c).value(), std::move(source));
}

int run_check_config(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2, {}, {});
    if (!args) return usage_error("check-config", args.error().message);
    if (args->positional.size() != 1) return usage_error("check-config", "expected one FILE");
    auto c = config::load_config_file(args->positional.front());
    if (!c) {
        fmt::print(stderr, "{}\n", c.error().message);
        return exit_usage;
    }
    if (auto files = config::check_files(*c); !files) {
        fmt::print(stderr, "{}\n", files.error().message); // FILE:LINE: key: reason
        return exit_usage;
    }
    if (auto keys = load_sealing_keys(*c); !keys) { // readable, but not a key of its algorithm
        fmt::print(stderr, "{}\n", keys.error().message);
        return exit_usage;
    }
    for (const auto& w : config::warnings(*c))
        fmt::print(stderr, "{}: warning: {}\n", args->positional.front(), w);
    fmt::print("{}", config::describe(*c));
    return 0;
}

} // namespace arcrelay::relay
