// relay/main.cpp — the arcrelay command: serve, check-config, testkey, verify, seal, keygen,
// reports.
#include "relay/cli_keygen.hpp"
#include "relay/cli_reports.hpp"
#include "relay/cli_serve.hpp"
#include "relay/cli_testkey.hpp"
#include "relay/cli_usage.hpp"
#include "relay/cli_verify.hpp"

#include <fmt/format.h>

#include <string_view>

int main(int argc, char** argv) {
    using namespace arcrelay::relay;
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "--version" || command == "-V") {
        fmt::print("arcrelay {}\n", arcrelay_version());
        return 0;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        fmt::print("{}", full_usage());
        return 0;
    }
    if (auto usage = command_usage(command); usage && wants_help(argc, argv, 2)) {
        fmt::print("usage:\n{}", *usage);
        return 0;
    }
    if (command == "serve") return run_serve(argc, argv);
    if (command == "check-config") return run_check_config(argc, argv);
    if (command == "testkey") return run_testkey(argc, argv);
    if (command == "verify") return run_verify(argc, argv);
    if (command == "seal") return run_seal(argc, argv);
    if (command == "keygen") return run_keygen(argc, argv);
    if (command == "reports") return run_reports(argc, argv);
    fmt::print(stderr, "{}", full_usage());
    return 2;
}
