// config/config.hpp — the daemon's configuration: plain, immutable value types.
//
// Parsed once at start-up (config/load.hpp) or taken from the built-in demo
// (config/embedded_defaults.hpp), then passed by const& (STYLE.md: no globals).
// Every default below is the one a field left out of the TOML file gets; the
// TOML key is named next to each member. DESIGN.md sections Pipeline, Mailman
// integration, Policy and status codes and Limits explain what the fields drive.
#pragma once

#include "base/ip_address.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arcrelay::config {

using seconds = std::chrono::seconds;
using milliseconds = std::chrono::milliseconds;

// ---- [server] ----------------------------------------------------------------------------
inline constexpr std::string_view default_state_dir = "/var/lib/arcrelay";

struct server_settings {
    std::string hostname; // hostname: greeting, Received, HELO/LHLO (default: gethostname())
    // authserv_id: our A-R/AAR authserv-id, RFC 8601 2.5 (default: hostname)
    std::string authserv_id;
    unsigned threads = 0;    // threads: worker threads for the pipeline; 0 = one per core
    unsigned io_threads = 0; // io_threads: io_context threads; 0 = one per 4 workers, at least 1
    std::string state_dir{default_state_dir}; // state_dir: keys, demo maildir, runtime state
};

// ---- [limits] (and [listener.limits] overrides) ------------------------------------------
// RFC 5321 4.5.3.2 timeouts: the server side waits 5 minutes for a command or a data
// block (4.5.3.2.7); the client side ones are in next_hop_settings.
struct limit_settings {
    std::size_t max_message_size = 10 * 1024 * 1024; // max_message_size: octets, SIZE (RFC 1870)
    std::size_t max_recipients = 100;     // max_recipients: per transaction (RFC 5321 4.5.3.1.8)
    std::size_t max_header_fields = 1000; // max_header_fields: per message
    std::size_t max_header_bytes = 256 * 1024; // max_header_bytes: whole header section
    std::size_t max_arc_sets = 50;            // max_arc_sets: ARC instances, RFC 8617 4.2.1 (1..50)
    std::size_t max_dkim_signatures = 10;     // max_dkim_signatures: verified per message
    std::size_t connections_total = 500;      // connections_total: concurrent, per listener
    std::size_t connections_per_ip = 20;      // connections_per_ip: concurrent, per client address
    milliseconds message_time_budget{30'000}; // message_time_budget_ms: verify..seal, per message
    seconds command_timeout{300}; // command_timeout_s: wait for a command (RFC 5321 4.5.3.2.7)
    // data_block_timeout_s: wait for each DATA/BDAT read (4.5.3.2.7)
    seconds data_block_timeout{300};

    bool operator==(const limit_settings&) const = default;
};

// ---- [next_hop] (and [listener.next_hop] overrides) --------------------------------------
enum class next_hop_protocol { lmtp, smtp, maildir };

// RFC 5321 4.5.3.2.1-6 client timeouts, used when talking to the next hop.
struct next_hop_settings {
    std::string uri = "lmtp:127.0.0.1:8024"; // uri: lmtp:HOST:PORT | smtp:HOST:PORT | maildir:PATH
    next_hop_protocol protocol = next_hop_protocol::lmtp; // from uri
    std::string host = "127.0.0.1";  // from uri (lmtp/smtp): a name, IPv4 or IPv6 (without [])
    std::uint16_t port = 8024;       // from uri (lmtp/smtp)
    std::string path;                // from uri (maildir)
    bool starttls = false;           // starttls: insist on STARTTLS (451 if not offered)
    std::size_t pool_size = 4;       // pool_size: idle persistent connections kept
    seconds connect_timeout{30};     // connect_timeout_s
    seconds greeting_timeout{300};   // greeting_timeout_s     (4.5.3.2.1)
    seconds mail_timeout{300};       // mail_timeout_s         (4.5.3.2.2)
    seconds rcpt_timeout{300};       // rcpt_timeout_s         (4.5.3.2.3)
    seconds data_init_timeout{120};  // data_init_timeout_s    (4.5.3.2.4)
    seconds data_block_timeout{180}; // data_block_timeout_s   (4.5.3.2.5)
    seconds data_term_timeout{600};  // data_term_timeout_s    (4.5.3.2.6)

    bool operator==(const next_hop_settings&) const = default;
};

// ---- [[listener]] ------------------------------------------------------------------------
// DESIGN.md Pipeline steps 2..7 (receive always runs).
enum class stage : std::uint8_t { verify, record, policy, rewrite, seal, forward };

// A set of stages. TOML: stages = ["verify", "record", ...] or a preset string:
//   "one-pass"     every stage
//   "split-verify" verify, record, policy, forward   (in front of Mailman)
//   "split-seal"   seal, forward                     (Mailman's outgoing mail)
struct stage_set {
    std::uint8_t bits = 0;

    bool contains(stage s) const { return (bits >> static_cast<unsigned>(s)) & 1u; }
    stage_set& insert(stage s) {
        bits = static_cast<std::uint8_t>(bits | (1u << static_cast<unsigned>(s)));
        return *this;
    }
    bool operator==(const stage_set&) const = default;
};

// Which RCPT TO a listener accepts (DESIGN.md Pipeline step 1).
enum class recipient_policy {
    lists, // only configured lists and their Mailman service addresses (never an open relay)
    any,   // anything: only for listeners restricted by allowed_clients (split seal listener)
};

struct tls_files {
    std::string certificate; // tls_certificate: PEM chain
    std::string private_key; // tls_private_key: PEM key

    bool operator==(const tls_files&) const = default;
};

struct listener {
    std::string name;                        // name: required, unique (logs, metrics)
    ip_address address{};                    // address: IP literal to bind (default 0.0.0.0)
    std::uint16_t port = 25;                 // port
    stage_set stages;                        // stages: required (see stage_set)
    std::vector<ip_network> allowed_clients; // allowed_clients: CIDRs; empty = every client
    // recipients: "lists" | "any" (default "any" for seal-without-verify listeners)
    recipient_policy recipients = recipient_policy::lists;
    std::optional<tls_files> tls; // tls_certificate + tls_private_key: enables STARTTLS
    limit_settings limits;        // [limits] merged with [listener.limits]
    next_hop_settings next_hop;   // [next_hop] merged with [listener.next_hop]
};

// ---- [[list]] ----------------------------------------------------------------------------
struct mailing_list {
    std::string address;        // address: required, the posting address, stored lower-case
    std::string local_part;     // from address
    std::string domain;         // from address
    std::string bounce_address; // bounce_address: envelope MAIL FROM of posts (LIST-bounces@domain)
    std::string subject_prefix; // subject_prefix: e.g. "[dev] "; empty = none
    bool verp = false;          // verp: LIST-bounces+rcpt=domain@domain per recipient
    bool list_headers = false;  // list_headers: add List-Id/-Post/-Unsubscribe... (RFC 2369,
                                // 2919, 8058); off by default because Mailman adds them itself
    std::string list_id;        // list_id: RFC 2919 list-id (default LOCAL.DOMAIN, as Mailman)
    bool dkim_sign = false;     // dkim_sign: DKIM-sign posts as the list domain before sealing,
                                // with the [[arc.key]] entries of that domain (or a parent)
};

// ---- [arc] and [[arc.key]] ---------------------------------------------------------------
enum class signing_algorithm { rsa_sha256, ed25519_sha256 }; // "rsa-sha256" | "ed25519-sha256"

struct signing_key {
    signing_algorithm algorithm = signing_algorithm::rsa_sha256; // algorithm
    std::string domain;                                          // domain: required, d=
    std::string selector;                                        // selector: required, s=
    std::string private_key; // private_key: required, PEM path (loaded by the daemon)
};

// What the split seal listener does with mail that carries no A-R of ours (welcome
// mails, notices, digests): DESIGN.md Mailman integration.
enum class unsealed_policy {
    none,      // "none": relay unsealed
    new_chain, // "new-chain": seal as i=1, cv=none
};

struct arc_settings {
    std::vector<signing_key> keys; // [[arc.key]]: their algorithms are the ones we seal with
    std::vector<std::string> sign_headers; // sign_headers: AMS h= (lower-case); empty = arc default
    unsealed_policy seal_unsealed = unsealed_policy::none; // seal_unsealed
    std::vector<std::string> trusted_sealers;      // trusted_sealers: domains (RFC 8617 7.2)
    std::vector<std::string> trusted_authserv_ids; // trusted_authserv_ids: upstream A-R kept
    // handover_secrets: files holding the HMAC secrets of the verify -> seal hand-over
    // (relay/handover.hpp); the first signs, every one is accepted (rotation). Empty =
    // STATE_DIR/handover.secret, created on first start when missing.
    std::vector<std::string> handover_secrets;
    seconds handover_max_age{86'400}; // handover_max_age_s: oldest hand-over the seal accepts
};

// ---- [dns] -------------------------------------------------------------------------------
struct dns_server {
    ip_address address;
    std::uint16_t port = 53;

    bool operator==(const dns_server&) const = default;
};

struct dns_settings {
    std::vector<dns_server> servers;           // servers: ["ip:port", "[v6]:port", "ip"]; empty =
                                               // nameservers of /etc/resolv.conf
    milliseconds timeout{2000};                // timeout_ms: per query attempt
    unsigned retries = 2;                      // retries: after the first attempt
    std::size_t cache_size = 10000;            // cache_size: answers cached; 0 = no cache
    std::string zone_file;                     // zone_file: RFC 1035 master file instead of the
                                               // network (offline/demo); empty = network
    std::size_t max_queries_per_message = 200; // max_queries_per_message
};

// ---- [dmarc] -----------------------------------------------------------------------------
enum class org_domain_method {
    psl,       // "psl": RFC 7489 3.2 with the Public Suffix List (libpsl)
    tree_walk, // "tree-walk": RFC 9989 4.10 DNS tree walk (the default)
};
enum class virtual_dmarc {
    property,      // "property": dmarc=none, the virtual pass as comment + policy properties
    pass,          // "pass": an aligned pass without a record reads dmarc=pass (explicit only)
    bestguesspass, // "bestguesspass": aligned pass without a record reads dmarc=bestguesspass
    off,           // "off": dmarc=none
};

struct dmarc_settings {
    org_domain_method org_domain = org_domain_method::tree_walk; // org_domain
    virtual_dmarc virtual_policy = virtual_dmarc::property;      // virtual
};

// ---- [policy]: opt-in rejections (DESIGN.md Policy and status codes) ---------------------
struct policy_settings {
    bool reject_dmarc = false;      // reject_dmarc: p=reject honoured with 550 5.7.1
    bool reject_spf_fail = false;   // reject_spf_fail: 550 5.7.23
    bool reject_dkim_fail = false;  // reject_dkim_fail: 550 5.7.20
    bool reject_iprev_fail = false; // reject_iprev_fail: 550 5.7.25
    bool reject_arc_fail = false;   // reject_arc_fail: 550 5.7.29 (RFC 8617 5.2 discourages it)
    bool temperror_defer = false;   // temperror_defer: 451 4.7.x on a DNS temperror of an
                                    // enabled check instead of accepting
};

// ---- [log], [metrics] --------------------------------------------------------------------
enum class log_level { debug, info, warning, error };
enum class log_format { text, json };

struct log_settings {
    log_level level = log_level::info;    // level: "debug" | "info" | "warning" | "error"
    log_format format = log_format::text; // format: "text" | "json"
    std::optional<bool> timestamps;       // timestamps: absent = on unless under journald
};

struct metrics_settings {
    ip_address address{.v6 = false, .bytes = {127, 0, 0, 1}}; // address (loopback)
    std::uint16_t port = 9464;                                // port
};

// ---- the whole file ----------------------------------------------------------------------
// ---- [reports]: DMARC aggregate reports (RFC 9990), DESIGN.md report/ -------------------
inline constexpr std::size_t default_report_queue = 10000;
inline constexpr unsigned hours_per_day = 24;

// [reports] next_hop's default: the local MTA on port 25.
inline next_hop_settings report_next_hop_default() {
    next_hop_settings hop;
    hop.uri = "smtp:127.0.0.1:25";
    hop.protocol = next_hop_protocol::smtp;
    hop.port = 25;
    return hop;
}

struct reports_settings {
    bool enabled = false;       // enabled: record one row per DMARC evaluation (published records)
    std::string database;       // database: SQLite file ("" = <state_dir>/reports.sqlite) or a
                                // postgresql:// URI (several instances, one database)
    std::string database_shown; // database for logs and check-config: no password
    std::size_t queue_size = default_report_queue; // queue_size: rows waiting for the writer;
                                                   // beyond it rows are dropped and counted
    unsigned period_hours = hours_per_day;         // period_hours: report period, a divisor of 24,
                                                   // aligned to 00:00 UTC (RFC 9990 2.1)
    unsigned retention_hours = 168; // retention_hours: rows older than this are deleted
    std::string org_name;           // org_name: report_metadata; "" = server hostname
    std::string email;              // email: report contact; "" = postmaster@hostname
    // Sending (RFC 9990 5.2): the From of report mails is `email`.
    bool send = false; // send: `serve` mails due reports itself (a timer, off the mail path)
    std::chrono::seconds send_interval{300}; // send_interval_s: how often `serve` looks
    // next_hop: "smtp:HOST:PORT", STARTTLS when offered; timeouts as [next_hop]'s defaults
    next_hop_settings next_hop = report_next_hop_default();
    std::uint64_t max_report_bytes = 10 * 1024 * 1024; // max_report_bytes: a whole report mail
    bool dkim_sign = true; // dkim_sign: sign with every [[arc.key]] covering email's domain
    std::vector<std::string> suppress; // suppress: "domain" or "local@domain": never reported to
    std::chrono::seconds retry_first{900};  // retry_first_s: wait after the first 4xx
    std::chrono::seconds retry_max{21'600}; // retry_max_s: the doubling stops here
    unsigned max_attempts = 8;              // max_attempts: then the delivery fails
};

struct configuration {
    std::string source; // file name it came from ("<embedded>" for the demo)
    // The line of each key that names a file ("arc.key[0].private_key",
    // "arc.handover_secrets[1]", "listener[0].tls_certificate", "dns.zone_file"), for
    // messages about the file (located_error()).
    std::map<std::string, std::size_t, std::less<>> file_key_lines;
    server_settings server;                  // [server]
    std::vector<listener> listeners;         // [[listener]]: at least one
    next_hop_settings next_hop;              // [next_hop]: the default of every listener
    limit_settings limits;                   // [limits]: the default of every listener
    std::vector<mailing_list> lists;         // [[list]]
    arc_settings arc;                        // [arc], [[arc.key]]
    dns_settings dns;                        // [dns]
    dmarc_settings dmarc;                    // [dmarc]
    policy_settings policy;                  // [policy]
    log_settings log;                        // [log]
    std::optional<metrics_settings> metrics; // [metrics]: disabled if the table is absent
    reports_settings reports;                // [reports]
};

} // namespace arcrelay::config
