// relay/handover_secrets.cpp — see handover_secrets.hpp. Random octets from OpenSSL's
// RAND_bytes (the system CSPRNG behind it).
#include "relay/handover_secrets.hpp"

#include "relay/key_files.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace arcrelay::relay {
namespace {

using config::stage;

status create_secret_file(const std::string& path) {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        return permanent_error("no random octets for " + path);
    std::string hex;
    for (unsigned char b : bytes)
        hex += fmt::format("{:02x}", b);
    return write_new_private_file(path, hex + "\n");
}

result<std::string> read_secret(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return permanent_error(fmt::format("cannot read hand-over secret {}", path));
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret = ss.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' ||
                               secret.back() == ' ' || secret.back() == '\t'))
        secret.pop_back();
    if (secret.size() < min_handover_secret_size)
        return permanent_error(fmt::format("hand-over secret {}: {} octets, at least {} needed",
                                           path, secret.size(), min_handover_secret_size));
    return secret;
}

} // namespace

bool uses_handover(const config::configuration& c) {
    for (const auto& l : c.listeners) {
        const bool hands_over = l.stages.contains(stage::record) && !l.stages.contains(stage::seal);
        const bool takes_over = l.stages.contains(stage::seal) && !l.stages.contains(stage::verify);
        if (hands_over || takes_over) return true;
    }
    return false;
}

std::string default_handover_secret_path(const config::configuration& c) {
    return (std::filesystem::path(c.server.state_dir) / "handover.secret").string();
}

result<handover_keys> load_handover_keys(const config::configuration& c) {
    handover_keys keys;
    keys.max_age = c.arc.handover_max_age;
    auto paths = c.arc.handover_secrets;
    if (paths.empty()) {
        paths.push_back(default_handover_secret_path(c));
        std::error_code ec;
        if (!std::filesystem::exists(paths.front(), ec))
            if (auto created = create_secret_file(paths.front()); !created) return created.error();
    }
    for (const auto& p : paths) {
        auto secret = read_secret(p);
        if (!secret) return secret.error();
        keys.secrets.push_back(std::move(secret).value());
    }
    return keys;
}

} // namespace arcrelay::relay
