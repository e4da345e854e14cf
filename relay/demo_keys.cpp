// relay/demo_keys.cpp — see demo_keys.hpp.
#include "relay/demo_keys.hpp"

#include "relay/key_files.hpp"

#include <filesystem>
#include <system_error>

namespace arcrelay::relay {

result<std::vector<std::string>> generate_missing_keys(const config::arc_settings& arc) {
    std::vector<std::string> records;
    for (const auto& k : arc.keys) {
        const std::filesystem::path path(k.private_key);
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) continue;
        if (path.has_parent_path()) {
            std::filesystem::create_directories(path.parent_path(), ec);
            if (ec)
                return permanent_error("cannot create " + path.parent_path().string() + ": " +
                                       ec.message());
            std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::replace, ec);
        }
        const auto type = k.algorithm == config::signing_algorithm::rsa_sha256
                              ? auth::dkim::key_type::rsa
                              : auth::dkim::key_type::ed25519;
        auto key = generate_key_file(type, k.private_key);
        if (!key) return key.error();
        records.push_back(dns_txt_record(k.domain, k.selector, *key));
    }
    return records;
}

} // namespace arcrelay::relay
