// relay/main.cpp — the arcrelay command: serve, verify, seal, keygen, check-config, reports.
#include "relay/cli_keygen.hpp"
#include "relay/cli_reports.hpp"
#include "relay/cli_serve.hpp"
#include "relay/cli_verify.hpp"

#include <fmt/format.h>

#include <string_view>

namespace {

constexpr std::string_view usage =
    R"(arcrelay — ARC-validating, ARC-sealing SMTP relay for mailing lists

usage:
  arcrelay serve [--config FILE]
      Run the relay. Without --config: the embedded demo (127.0.0.1:2525, keys generated
      into ./state, delivery into ./state/maildir, sealing with rsa-sha256 and ed25519-sha256).
  arcrelay check-config FILE
      Validate a configuration file and describe what it would run.
  arcrelay verify [--zone ZONE] [--client-ip IP] [--helo NAME] [--mail-from ADDR]
                  [--authserv-id ID] [--timestamp T] [--json] FILE|-
      Check iprev, SPF, DKIM, DMARC and ARC; print our Authentication-Results value (or
      a JSON object with --json). --zone answers DNS from an RFC 1035 master file.
  arcrelay seal --config FILE [--zone ZONE] [envelope options as verify] [--timestamp T] FILE|-
      Verify, record our Authentication-Results and add ARC sets with every configured key;
      write the message to standard output.
  arcrelay keygen --algorithm rsa-sha256|ed25519-sha256 --domain D --selector S --out DIR
      Write a new private key (mode 0600) and print the DNS TXT record to publish.
  arcrelay reports status|show DOMAIN|send --config FILE [--out DIR] [--dry-run]
      DMARC aggregate reports (RFC 9990): what the store holds, what will be reported, and
      the .xml.gz report of every finished period written into DIR (or listed).

exit status:
  verify/seal: 0 checked; 1 checked, but a DNS temporary failure affected a verdict;
               2 usage error, unreadable or malformed input
  serve: 0 after a clean drain on SIGTERM; 2 bad configuration
  check-config: 0 valid; 2 invalid
  keygen: 0 written; 1 could not write; 2 usage error
  reports: 0 done; 1 store or file error; 2 usage error or bad configuration
)";

} // namespace

int main(int argc, char** argv) {
    using namespace arcrelay::relay;
    std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "serve") return run_serve(argc, argv);
    if (command == "check-config") return run_check_config(argc, argv);
    if (command == "verify") return run_verify(argc, argv);
    if (command == "seal") return run_seal(argc, argv);
    if (command == "keygen") return run_keygen(argc, argv);
    if (command == "reports") return run_reports(argc, argv);
    if (command == "--version") {
        fmt::print("arcrelay 0.1.0\n");
        return 0;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        fmt::print("{}", usage);
        return 0;
    }
    fmt::print(stderr, "{}", usage);
    return 2;
}
