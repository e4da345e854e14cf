// config/embedded_defaults.cpp — see embedded_defaults.hpp.
//
// The demo is TOML text run through parse_config(), so it gets exactly the defaults and
// the validation of a configuration file.
#include "config/embedded_defaults.hpp"

#include "config/load.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace arcrelay::config {
namespace {

// A TOML basic string (TOML 1.0 "String"): quotes, backslashes and control characters
// escaped.
std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\u{:04X}", c);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string under(std::string_view state_dir, std::string_view relative) {
    return (std::filesystem::path(state_dir) / relative).string();
}

} // namespace

std::string demo_state_dir() {
    const char* dir = std::getenv(std::string(demo_state_dir_variable).c_str());
    return dir && *dir ? std::string(dir) : std::string(demo_default_state_dir);
}

std::string embedded_config_text(std::string_view state_dir) {
    return fmt::format(
        R"(# arcrelay demo configuration (built in; used when no file is given)
[server]
hostname = "relay.lists.example.org"
authserv_id = "lists.example.org"
state_dir = {state_dir}

[[listener]]
name = "demo"
address = "127.0.0.1"
port = 2525
stages = "one-pass"

[next_hop]
uri = {maildir}

[[list]]
address = "test@lists.example.org"
subject_prefix = "[test] "
list_headers = true

[[arc.key]]
algorithm = "rsa-sha256"
domain = "lists.example.org"
selector = "demo-rsa"
private_key = {rsa_key}

[[arc.key]]
algorithm = "ed25519-sha256"
domain = "lists.example.org"
selector = "demo-ed25519"
private_key = {ed25519_key}
)",
        fmt::arg("state_dir", toml_string(state_dir)),
        fmt::arg("maildir", toml_string("maildir:" + under(state_dir, "maildir"))),
        fmt::arg("rsa_key", toml_string(under(state_dir, "keys/demo-rsa.pem"))),
        fmt::arg("ed25519_key", toml_string(under(state_dir, "keys/demo-ed25519.pem"))));
}

result<configuration> embedded_defaults(std::string_view state_dir) {
    return parse_config(embedded_config_text(state_dir), embedded_source);
}

} // namespace arcrelay::config
