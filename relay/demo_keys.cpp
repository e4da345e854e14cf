// relay/demo_keys.cpp — see demo_keys.hpp.
#include "relay/demo_keys.hpp"

#include "relay/key_files.hpp"

#include <filesystem>
#include <system_error>

namespace arcrelay::relay {

result<std::vector<generated_key>> generate_missing_keys(const config::arc_settings& arc) {
    std::vector<generated_key> generated;
    for (const auto& k : arc.keys) {
        const std::filesystem::path path(k.private_key);
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) continue;
        if (path.has_parent_path()) {
            auto dir = make_private_directory(path.parent_path().string());
            if (!dir) return dir.error();
        }
        const auto type = k.algorithm == config::signing_algorithm::rsa_sha256
                              ? auth::dkim::key_type::rsa
                              : auth::dkim::key_type::ed25519;
        auto key = generate_key_file(type, k.private_key);
        if (!key) return key.error();
        generated.push_back({k, std::move(*key)});
    }
    return generated;
}

} // namespace arcrelay::relay
