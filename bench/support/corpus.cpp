// bench/support/corpus.cpp — see corpus.hpp.
#include "bench/support/corpus.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace arcrelay::bench {

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Where a message, a key and the zone live: the shared corpus keeps the manifest's layout,
// the repository copy keeps the 2k messages and keys flat (tests/data/arc/SOURCE.md).
struct layout {
    fs::path root;
    fs::path zone;
    bool flat = false;

    fs::path message(const std::string& file) const {
        return flat ? root / fs::path(file).filename() : root / file;
    }
};

layout find_layout(const fs::path& shared_dir, const fs::path& source_dir) {
    if (fs::exists(shared_dir / "manifest.json"))
        return {shared_dir, shared_dir / "zone.txt", false};
    return {source_dir / "tests/data/arc/bench-corpus",
            source_dir / "tests/data/dns/bench-corpus-zone.txt", true};
}

config::signing_key signing_key(const layout& l, const nlohmann::json& relay,
                                const std::string& algorithm) {
    const auto& k = relay.at("keys").at(algorithm);
    config::signing_key key;
    key.algorithm = algorithm == "rsa-sha256" ? config::signing_algorithm::rsa_sha256
                                              : config::signing_algorithm::ed25519_sha256;
    key.domain = relay.at("domain").get<std::string>();
    key.selector = k.at("selector").get<std::string>();
    key.private_key = (l.root / k.at("private").get<std::string>()).string();
    return key;
}

corpus_message read_message(const layout& l, const nlohmann::json& entry) {
    corpus_message m;
    m.id = entry.at("id").get<std::string>();
    m.size_class = entry.at("size_class").get<std::string>();
    m.scenario = entry.at("scenario").get<std::string>();
    m.role = entry.at("role").get<std::string>();
    const auto& expected = entry.at("expected");
    m.arc_sets = expected.at("arc_instances").get<std::size_t>();
    m.arc_algorithms = expected.at("arc_algorithms").get<std::vector<std::string>>();
    m.expected_arc = expected.at("arc").get<std::string>();
    for (const auto& d : expected.at("dkim"))
        m.expected_dkim.push_back(d.at("result").get<std::string>());
    const auto& env = entry.at("envelope");
    m.envelope.client_ip = env.at("client_ip").get<std::string>();
    m.envelope.helo = env.at("helo").get<std::string>();
    m.envelope.mail_from = env.at("mail_from").get<std::string>();
    m.envelope.recipients = env.at("rcpt_to").get<std::vector<std::string>>();
    m.raw = read_file(l.message(entry.at("file").get<std::string>()));
    return m;
}

} // namespace

corpus load_corpus(const fs::path& shared_dir, const fs::path& source_dir) {
    auto l = find_layout(shared_dir, source_dir);
    auto manifest_path = l.root / "manifest.json";
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(read_file(manifest_path));
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(manifest_path.string() + ": " + e.what());
    }
    auto zone = dns::static_zone::load(l.zone.string());
    if (!zone) throw std::runtime_error(zone.error().message);

    corpus c;
    c.root = l.root;
    c.complete = !l.flat;
    c.zone = std::move(*zone);
    try {
        const auto& relay = manifest.at("relay");
        c.authserv_id = relay.at("authserv_id").get<std::string>();
        c.list_address = relay.at("list_address").get<std::string>();
        c.relay_domain = relay.at("domain").get<std::string>();
        c.signing_time = manifest.at("signing_time").get<std::uint64_t>();
        for (const auto* algorithm : {"rsa-sha256", "ed25519-sha256"})
            c.sealing_keys.push_back(signing_key(l, relay, algorithm));
        for (const auto& entry : manifest.at("messages")) {
            // The repository copy holds the 2k class only (tests/data/arc/SOURCE.md).
            if (l.flat && entry.at("size_class").get<std::string>() != "2k") continue;
            c.messages.push_back(read_message(l, entry));
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(manifest_path.string() + ": " + e.what());
    }
    return c;
}

} // namespace arcrelay::bench
