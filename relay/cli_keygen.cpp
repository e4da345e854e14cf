// relay/cli_keygen.cpp — writes new signing keys and prints the DNS records to publish.
#include "relay/cli_keygen.hpp"

#include "auth/dkim/key_record.hpp"
#include "config/load.hpp"
#include "relay/cli_args.hpp"
#include "relay/cli_usage.hpp"
#include "relay/demo_keys.hpp"
#include "relay/key_files.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {
namespace {

int fail(const std::string& message) {
    fmt::print(stderr, "arcrelay keygen: {}\n", message);
    return 1;
}

// The record in both forms: the zone-file line to paste, and the TXT text testkey expects.
void print_records(const std::string& path, const std::string& domain, const std::string& selector,
                   const auth::dkim::private_key& key) {
    fmt::print("# private key: {} (mode 0600)\n"
               "# publish this record (zone-file form, strings of at most 255 octets):\n"
               "{}\n"
               "# arcrelay testkey expects this TXT text at {}:\n"
               "# {}\n",
               path, dns_txt_record(domain, selector, key), auth::dkim::key_name(selector, domain),
               dns_txt_value(key));
}

// keygen --config FILE: every [[arc.key]] whose private_key does not exist yet.
int keygen_from_config(const std::string& config_path) {
    auto cfg = config::load_config_file(config_path);
    if (!cfg) {
        fmt::print(stderr, "arcrelay keygen: {}\n", cfg.error().message);
        return 2;
    }
    auto generated = generate_missing_keys(cfg->arc);
    if (!generated) return fail(generated.error().message);
    if (generated->empty()) fmt::print("# every [[arc.key]] of {} exists already\n", config_path);
    for (const auto& g : *generated)
        print_records(g.settings.private_key, g.settings.domain, g.settings.selector, g.key);
    return 0;
}

} // namespace

int run_keygen(int argc, char** argv) {
    auto args = parse_cli_args(argc, argv, 2,
                               {"--algorithm", "--domain", "--selector", "--out", "--config"}, {});
    if (!args) return usage_error("keygen", args.error().message);
    if (!args->positional.empty()) return usage_error("keygen", "unexpected argument");
    if (auto config_path = args->get("--config")) {
        if (args->options.size() != 1)
            return usage_error("keygen", "--config goes without the other options");
        return keygen_from_config(*config_path);
    }
    auto algorithm = args->get("--algorithm").value_or("");
    auto domain = args->get("--domain");
    auto selector = args->get("--selector");
    auto out = args->get("--out");
    auto alg = auth::dkim::parse_algorithm(algorithm);
    if (!alg || *alg == auth::dkim::algorithm::rsa_sha1)
        return usage_error("keygen", "--algorithm must be rsa-sha256 or ed25519-sha256");
    if (!domain || !selector || !out)
        return usage_error("keygen", "--domain, --selector and --out are required");
    if (auto dir = make_private_directory(*out); !dir) return fail(dir.error().message);
    auto type = auth::dkim::key_type_of(*alg);
    std::string path =
        fmt::format("{}/{}.{}.{}.pem", *out, *domain, *selector, auth::dkim::key_type_name(type));
    auto key = generate_key_file(type, path);
    if (!key) return fail(key.error().message);
    print_records(path, *domain, *selector, *key);
    return 0;
}

} // namespace arcrelay::relay
