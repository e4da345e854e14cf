// relay/cli_keygen.cpp — writes a new signing key and prints the DNS record to publish.
#include "relay/cli_keygen.hpp"

#include "relay/cli_args.hpp"
#include "relay/key_files.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {

int run_keygen(int argc, char** argv) {
    auto args =
        parse_cli_args(argc, argv, 2, {"--algorithm", "--domain", "--selector", "--out"}, {});
    if (!args) {
        fmt::print(stderr, "arcrelay keygen: {}\n", args.error().message);
        return 2;
    }
    auto algorithm = args->get("--algorithm").value_or("");
    auto domain = args->get("--domain");
    auto selector = args->get("--selector");
    auto out = args->get("--out");
    auto alg = auth::dkim::parse_algorithm(algorithm);
    if (!alg || *alg == auth::dkim::algorithm::rsa_sha1 || !domain || !selector || !out) {
        fmt::print(stderr, "usage: arcrelay keygen --algorithm rsa-sha256|ed25519-sha256 "
                           "--domain DOMAIN --selector SELECTOR --out DIR\n");
        return 2;
    }
    auto type = auth::dkim::key_type_of(*alg);
    std::string path =
        fmt::format("{}/{}.{}.{}.pem", *out, *domain, *selector, auth::dkim::key_type_name(type));
    auto key = generate_key_file(type, path);
    if (!key) {
        fmt::print(stderr, "arcrelay keygen: {}\n", key.error().message);
        return 1;
    }
    fmt::print("# private key: {} (mode 0600)\n# publish this record:\n{}\n", path,
               dns_txt_record(*domain, *selector, *key));
    return 0;
}

} // namespace arcrelay::relay
