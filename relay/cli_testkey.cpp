// relay/cli_testkey.cpp — see cli_testkey.hpp.
#include "relay/cli_testkey.hpp"

#include "auth/dkim/key_record.hpp"
#include "config/load.hpp"
#include "relay/cli_args.hpp"
#include "relay/cli_resolver.hpp"
#include "relay/cli_usage.hpp"
#include "relay/key_check.hpp"
#include "relay/message_checks.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::relay {

namespace {

constexpr std::string_view default_config = "/etc/arcrelay/arcrelay.toml";

// A configuration, key or zone that cannot be used: exit 2 without the usage text.
int fail(const std::string& message) {
    fmt::print(stderr, "arcrelay testkey: {}\n", message);
    return 2;
}

} // namespace

int run_testkey(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2, {"--config", "--zone"}, {});
    if (!args) return usage_error("testkey", args.error().message);
    if (!args->positional.empty()) return usage_error("testkey", "unexpected argument");
    const auto path = args->get("--config").value_or(std::string(default_config));
    auto cfg = config::load_config_file(path);
    if (!cfg) return fail(cfg.error().message);
    if (cfg->arc.keys.empty()) return fail(path + " has no [[arc.key]]");
    auto keys = load_sealing_keys(*cfg);
    if (!keys) return fail(keys.error().message);
    auto resolver = make_cli_resolver(args->get("--zone"), cfg->dns);
    if (!resolver) return fail(resolver.error().message);

    std::vector<dns::question> questions;
    for (const auto& k : *keys)
        questions.push_back(
            {auth::dkim::key_name(k.settings.selector, k.settings.domain), dns::rr_type::txt});
    const auto answers = (*resolver)->resolve(questions);
    int worst = 0;
    for (std::size_t i = 0; i < keys->size(); ++i) {
        const auto& k = (*keys)[i];
        const auto alg = k.settings.algorithm == config::signing_algorithm::rsa_sha256
                             ? auth::dkim::algorithm::rsa_sha256
                             : auth::dkim::algorithm::ed25519_sha256;
        const auto checked = check_published_key(answers[i], k.key, alg);
        fmt::print("{} {} ({}): {}: {}\n", questions[i].name, auth::dkim::algorithm_name(alg),
                   k.settings.private_key, key_check_status_name(checked.status), checked.detail);
        worst = std::max(worst, static_cast<int>(checked.status));
    }
    return worst;
}

} // namespace arcrelay::relay
