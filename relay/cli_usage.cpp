// relay/cli_usage.cpp — see cli_usage.hpp.
#include "relay/cli_usage.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace arcrelay::relay {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> usages{{
    {"serve", R"(  arcrelay serve [--config FILE]
      Run the relay. Without --config: the embedded demo (127.0.0.1:2525, keys generated
      into ./state, delivery into ./state/maildir, sealing with rsa-sha256 and ed25519-sha256).
      SIGHUP reloads the configuration and keys (a reload that fails keeps the old ones);
      SIGTERM drains open transactions and exits.
      exit status: 0 after a clean drain on SIGTERM; 1 start-up failed; 2 bad configuration
)"},
    {"check-config", R"(  arcrelay check-config FILE
      Validate a configuration file and describe what it would run. Warnings (such as no
      rsa-sha256 sealing key) go to standard error and do not change the exit status.
      exit status: 0 valid; 2 invalid
)"},
    {"testkey", R"(  arcrelay testkey [--config FILE] [--zone ZONE]
      Look up the DNS TXT record of every [[arc.key]] (SELECTOR._domainkey.DOMAIN) through
      the configured resolvers (or ZONE, an RFC 1035 master file) and compare it with the
      private key. FILE defaults to /etc/arcrelay/arcrelay.toml. One line per key.
      exit status (the highest of all keys): 0 every record matches its key; 1 DNS failure
      (try again); 2 usage error or bad configuration; 3 no record; 4 revoked (empty p=);
      5 unusable (does not parse, or k=, h=, t=y forbid this use); 6 another key
)"},
    {"verify", R"(  arcrelay verify [--zone ZONE] [--client-ip IP] [--helo NAME] [--mail-from ADDR]
                  [--authserv-id ID] [--timestamp T] [--json] FILE|-
      Check iprev, SPF, DKIM, DMARC and ARC; print our Authentication-Results value (or
      a JSON object with --json). --zone answers DNS from an RFC 1035 master file.
      exit status: 0 checked; 1 checked, but a DNS temporary failure affected a verdict;
      2 usage error, unreadable or malformed input
)"},
    {"seal",
     R"(  arcrelay seal --config FILE [--zone ZONE] [envelope options as verify] [--timestamp T] FILE|-
      Verify, record our Authentication-Results and add ARC sets with every configured key;
      write the message to standard output.
      exit status: as verify
)"},
    {"keygen",
     R"(  arcrelay keygen --algorithm rsa-sha256|ed25519-sha256 --domain D --selector S --out DIR
      Write a new private key DIR/D.S.TYPE.pem (mode 0600; DIR is created with mode 0700
      when missing) and print its DNS TXT record twice: as a zone-file line to paste, and
      as the record text `arcrelay testkey` expects to find.
  arcrelay keygen --config FILE
      Write every [[arc.key]] private_key of FILE that does not exist yet (missing
      directories 0700) and print the records of the new keys as above.
      exit status: 0 written (or nothing missing); 1 could not write; 2 usage error or
      bad configuration
)"},
    {"reports", R"(  arcrelay reports status|show DOMAIN --config FILE
  arcrelay reports send --config FILE [--out DIR | --dry-run] [--timestamp T]
      DMARC aggregate reports (RFC 9990): what the store holds, what will be reported.
      send mails the report of every finished period to its consenting rua destinations
      through [reports] next_hop (DKIM-signed, STARTTLS when offered; retried after a 4xx
      with backoff, never after a 5xx); --out DIR writes the .xml.gz files instead, and
      --dry-run lists what would be sent to whom. --timestamp T (UTC seconds) decides which
      periods are finished and which retries are due; mail Date and DKIM t= stay real time.
      exit status: 0 done (everything due was sent); 1 store, file or DNS error; 2 usage
      error or bad configuration; 3 some deliveries deferred (kept for a later run); 4 some
      deliveries failed for good; 5 another instance holds the sending lease
)"},
}};

} // namespace

std::string_view arcrelay_version() {
    return ARCRELAY_VERSION;
}

std::optional<std::string_view> command_usage(std::string_view command) {
    for (const auto& [name, text] : usages)
        if (name == command) return text;
    return std::nullopt;
}

std::string full_usage() {
    std::string out =
        fmt::format("arcrelay {} — ARC-validating, ARC-sealing SMTP relay for mailing lists\n\n"
                    "usage:\n  arcrelay --help | --version\n  arcrelay COMMAND --help\n",
                    arcrelay_version());
    for (const auto& [name, text] : usages)
        out += text;
    return out;
}

bool wants_help(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") return true;
    }
    return false;
}

int usage_error(std::string_view command, std::string_view message) {
    fmt::print(stderr, "arcrelay {}: {}\nusage:\n{}", command, message,
               command_usage(command).value_or(""));
    return 2;
}

} // namespace arcrelay::relay
