// tests/unit/config/load_errors_test.cpp — parse_config() errors: each names the file,
// the line and the key.
#include "config/load.hpp"
#include "config_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::config;
using arcrelay::config::test::expect_error;
using arcrelay::config::test::minimal;

namespace {

// minimal is 14 lines; text appended to it starts on line 15.
std::string with_listener(const std::string& body) {
    return minimal + "[[listener]]\nname = \"l2\"\n" + body;
}

} // namespace

BOOST_AUTO_TEST_SUITE(load_errors)

BOOST_AUTO_TEST_CASE(bad_port) {
    expect_error(with_listener("port = 70000\nstages = \"one-pass\"\n"),
                 "t.toml:17: listener[1].port: must be 1..65535", 17);
    expect_error(with_listener("port = 0\nstages = \"one-pass\"\n"),
                 "t.toml:17: listener[1].port: must be 1..65535", 17);
}

BOOST_AUTO_TEST_CASE(wrong_type) {
    expect_error(with_listener("port = \"2525\"\nstages = \"one-pass\"\n"),
                 "t.toml:17: listener[1].port: must be an integer", 17);
    expect_error(minimal + "[policy]\nreject_dmarc = \"yes\"\n",
                 "t.toml:16: policy.reject_dmarc: must be true or false", 16);
    expect_error(minimal + "[log]\ntimestamps = \"auto\"\n",
                 "t.toml:16: log.timestamps: must be true or false", 16);
    expect_error(minimal + "server = 3\n", "t.toml:15: arc.key[0].server: unknown key", 15);
    expect_error("server = 3\n", "t.toml:1: server: must be a table", 1);
    expect_error("[listener]\nname = \"x\"\n",
                 "t.toml:1: listener: must be an array of tables ([[listener]])", 1);
}

BOOST_AUTO_TEST_CASE(malformed_utf8_is_refused_before_toml11_sees_it) {
    // docs/ROBUSTNESS.md F4: toml11 read past its buffer on a stray continuation byte.
    expect_error("'\x91'", "t.toml:1: encoding: not valid UTF-8 (byte 2 of the file)", 1);
    expect_error(minimal + "# caf\xc3\n",
                 "t.toml:15: encoding: not valid UTF-8 (byte " +
                     std::to_string(minimal.size() + 6) + " of the file)",
                 15);
    expect_error("# \xc0\xaf overlong /\n",
                 "t.toml:1: encoding: not valid UTF-8 (byte 3 of the file)", 1);
    expect_error("# \xed\xa0\x80 surrogate\n",
                 "t.toml:1: encoding: not valid UTF-8 (byte 3 of the file)", 1);
    expect_error("# \xf4\x90\x80\x80 above U+10FFFF\n",
                 "t.toml:1: encoding: not valid UTF-8 (byte 3 of the file)", 1);
    // Well-formed UTF-8 of every length is accepted (the comment is ignored).
    BOOST_TEST(static_cast<bool>(
        parse_config(minimal + "# \xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7\n", "t.toml")));
}

BOOST_AUTO_TEST_CASE(unknown_key_in_a_table) {
    expect_error(with_listener("stages = \"one-pass\"\nprot = 25\n"),
                 "t.toml:18: listener[1].prot: unknown key", 18);
}

BOOST_AUTO_TEST_CASE(unknown_key_in_a_nested_override) {
    expect_error(with_listener("stages = \"one-pass\"\n[listener.limits]\nmax_rcpt = 5\n"),
                 "t.toml:19: listener[1].limits.max_rcpt: unknown key", 19);
}

BOOST_AUTO_TEST_CASE(unknown_section_is_reported_first) {
    expect_error("[sever]\nhostname = \"x.example.org\"\n", "t.toml:1: sever: unknown key", 1);
}

BOOST_AUTO_TEST_CASE(bad_cidr_names_the_element) {
    expect_error(with_listener("stages = \"one-pass\"\nallowed_clients = [\"10.0.0.0/8\",\n"
                               "  \"10.0.0.0/33\"]\n"),
                 "t.toml:19: listener[1].allowed_clients[1]: \"10.0.0.0/33\" is not a CIDR "
                 "network",
                 19);
}

BOOST_AUTO_TEST_CASE(bad_stage) {
    expect_error(with_listener("stages = [\"verify\", \"sign\", \"forward\"]\n"),
                 "t.toml:17: listener[1].stages[1]: unknown stage \"sign\" (stages are "
                 "\"verify\", \"record\", \"policy\", \"rewrite\", \"seal\" or \"forward\")",
                 17);
    expect_error(with_listener("stages = \"verify\"\n"),
                 "t.toml:17: listener[1].stages: unknown preset \"verify\" (\"one-pass\", "
                 "\"split-verify\" or \"split-seal\")",
                 17);
    expect_error(with_listener("stages = [\"verify\", \"verify\", \"forward\"]\n"),
                 "t.toml:17: listener[1].stages[1]: stage named twice", 17);
    expect_error(with_listener("stages = []\n"),
                 "t.toml:17: listener[1].stages: must name at least one stage", 17);
}

BOOST_AUTO_TEST_CASE(inconsistent_stages) {
    expect_error(with_listener("stages = [\"verify\", \"record\"]\n"),
                 "t.toml:17: listener[1].stages: must include forward", 17);
    expect_error(with_listener("stages = [\"policy\", \"forward\"]\n"),
                 "t.toml:17: listener[1].stages: policy needs verify", 17);
    expect_error(R"([server]
hostname = "relay.example.org"
[[list]]
address = "dev@lists.example.org"
[[listener]]
name = "mx"
stages = "one-pass"
)",
                 "t.toml:7: listener[0].stages: seal needs at least one [[arc.key]]", 7);
}

BOOST_AUTO_TEST_CASE(seal_without_verify_must_be_restricted) {
    // allowed_clients absent: the error points at the [[listener]] header.
    expect_error(with_listener("port = 10025\nstages = \"split-seal\"\n"),
                 "t.toml:15: listener[1].allowed_clients: a seal listener without verify "
                 "trusts the Authentication-Results it receives: list its clients (e.g. "
                 "[\"127.0.0.1/32\"]), no /0",
                 15);
    expect_error(with_listener("port = 10025\nstages = \"split-seal\"\n"
                               "allowed_clients = [\"0.0.0.0/0\"]\n"),
                 "t.toml:19: listener[1].allowed_clients: a seal listener without verify "
                 "trusts the Authentication-Results it receives: list its clients (e.g. "
                 "[\"127.0.0.1/32\"]), no /0",
                 19);
}

BOOST_AUTO_TEST_CASE(any_recipient_needs_restricted_clients) {
    expect_error(with_listener("port = 26\nstages = \"one-pass\"\nrecipients = \"any\"\n"),
                 "t.toml:19: listener[1].recipients: \"any\" makes an open relay unless "
                 "allowed_clients restricts the clients (no /0)",
                 19);
    expect_error(with_listener("port = 26\nstages = \"one-pass\"\nrecipients = \"all\"\n"),
                 "t.toml:19: listener[1].recipients: must be \"lists\" or \"any\"", 19);
}

BOOST_AUTO_TEST_CASE(list_recipients_need_a_list) {
    expect_error(R"([server]
hostname = "relay.example.org"
[[listener]]
name = "mx"
stages = "split-verify"
)",
                 "t.toml:3: listener[0].recipients: \"lists\" but no [[list]] is configured", 3);
}

BOOST_AUTO_TEST_CASE(duplicate_listener) {
    expect_error(minimal + "[[listener]]\nname = \"mx\"\nport = 2525\nstages = \"one-pass\"\n",
                 "t.toml:16: listener[1].name: duplicate listener name (listener[0])", 16);
    expect_error(with_listener("stages = \"one-pass\"\naddress = \"127.0.0.1\"\n"),
                 "t.toml:15: listener[1].port: address and port clash with listener[0]", 15);
}

BOOST_AUTO_TEST_CASE(half_configured_tls) {
    expect_error(with_listener("port = 26\nstages = \"one-pass\"\ntls_certificate = \"c.pem\"\n"),
                 "t.toml:15: listener[1].tls_private_key: needed with tls_certificate", 15);
}

BOOST_AUTO_TEST_CASE(bad_listener_address_and_name) {
    expect_error(with_listener("port = 26\nstages = \"one-pass\"\naddress = \"localhost\"\n"),
                 "t.toml:19: listener[1].address: \"localhost\" is not an IPv4 or IPv6 address",
                 19);
    expect_error(minimal + "[[listener]]\nname = \"a b\"\n",
                 "t.toml:16: listener[1].name: only letters, digits, '-', '_' and '.'", 16);
}

BOOST_AUTO_TEST_CASE(missing_required_fields) {
    expect_error(minimal + "[[list]]\nverp = true\n", "t.toml:15: list[1].address: required", 15);
    expect_error(minimal + "[[listener]]\nport = 26\nstages = \"one-pass\"\n",
                 "t.toml:15: listener[1].name: required", 15);
    expect_error(with_listener("port = 26\n"),
                 "t.toml:15: listener[1].stages: required (\"one-pass\", \"split-verify\", "
                 "\"split-seal\" or a list of \"verify\", \"record\", \"policy\", "
                 "\"rewrite\", \"seal\" or \"forward\")",
                 15);
    expect_error(minimal + "[[arc.key]]\ndomain = \"example.org\"\nprivate_key = \"k\"\n",
                 "t.toml:15: arc.key[1].selector: required", 15);
    expect_error("", "t.toml:1: listener: at least one [[listener]] is required", 1);
}

BOOST_AUTO_TEST_CASE(duplicate_list) {
    expect_error(minimal + "[[list]]\naddress = \"DEV@lists.example.org\"\n",
                 "t.toml:16: list[1].address: duplicate list (list[0])", 16);
}

BOOST_AUTO_TEST_CASE(list_clashing_with_service_addresses) {
    expect_error(minimal + "[[list]]\naddress = \"dev-request@lists.example.org\"\n",
                 "t.toml:16: list[1].address: clashes with the service addresses of list[0] "
                 "(dev@lists.example.org)",
                 16);
    // The other way round: a later list "x" whose service address x-owner is an earlier
    // list's posting address.
    expect_error(minimal + "[[list]]\naddress = \"x-owner@lists.example.org\"\n"
                           "[[list]]\naddress = \"x@lists.example.org\"\n",
                 "t.toml:18: list[2].address: clashes with the service addresses of list[1] "
                 "(x-owner@lists.example.org)",
                 18);
}

BOOST_AUTO_TEST_CASE(bad_list_fields) {
    expect_error(minimal + "[[list]]\naddress = \"nobody\"\n",
                 "t.toml:16: list[1].address: not an address (no @)", 16);
    expect_error(minimal + "[[list]]\naddress = \"a..b@lists.example.org\"\n",
                 "t.toml:16: list[1].address: bad local part \"a..b\"", 16);
    expect_error(minimal + "[[list]]\naddress = \"a@localhost\"\n",
                 "t.toml:16: list[1].address: bad domain \"localhost\"", 16);
    expect_error(minimal +
                     "[[list]]\naddress = \"a@x.org\"\nsubject_prefix = \"[a]\\r\\nBcc: x\"\n",
                 "t.toml:17: list[1].subject_prefix: must not contain control characters", 17);
    expect_error(minimal + "[[list]]\naddress = \"a@x.org\"\nlist_id = \"nodot\"\n",
                 "t.toml:17: list[1].list_id: must be LABEL.NAMESPACE (RFC 2919 2), e.g. "
                 "dev.example.org",
                 17);
    expect_error(minimal + "[[list]]\naddress = \"a@x.org\"\ndkim_sign = true\n",
                 "t.toml:17: list[1].dkim_sign: needs an [[arc.key]] with domain x.org or a "
                 "parent of it",
                 17);
}

BOOST_AUTO_TEST_CASE(bad_next_hop_uri) {
    const auto uri = [](const std::string& value) {
        return minimal + "[next_hop]\nuri = \"" + value + "\"\n";
    };
    expect_error(uri("lmtp:127.0.0.1"), "t.toml:16: next_hop.uri: lmtp: needs HOST:PORT", 16);
    expect_error(uri("smtp:mail.example.org:"), "t.toml:16: next_hop.uri: bad port \"\"", 16);
    expect_error(uri("http://x:80"),
                 "t.toml:16: next_hop.uri: must be lmtp:HOST:PORT, smtp:HOST:PORT or "
                 "maildir:PATH",
                 16);
    expect_error(uri("smtp:::1:25"), "t.toml:16: next_hop.uri: bad host \"::1\" ([] around IPv6)",
                 16);
    expect_error(uri("smtp:[192.0.2.1]:25"),
                 "t.toml:16: next_hop.uri: bad IPv6 address \"192.0.2.1\"", 16);
    expect_error(uri("lmtp:host:99999"), "t.toml:16: next_hop.uri: bad port \"99999\"", 16);
    expect_error(uri("maildir:"), "t.toml:16: next_hop.uri: maildir: needs a directory", 16);
    expect_error(minimal + "[next_hop]\nuri = \"maildir:/m\"\nstarttls = true\n",
                 "t.toml:17: next_hop.starttls: a maildir next hop has no STARTTLS", 17);
}

BOOST_AUTO_TEST_CASE(bad_arc_settings) {
    expect_error(minimal + "[[arc.key]]\nalgorithm = \"rsa-sha256\"\ndomain = \"x.org\"\n"
                           "selector = \"b\"\nprivate_key = \"k\"\n",
                 "t.toml:16: arc.key[1].algorithm: a second rsa-sha256 key (one key per "
                 "algorithm)",
                 16);
    expect_error(minimal + "algorithm = \"rsa-sha1\"\n",
                 "t.toml:15: arc.key[0].algorithm: must be \"rsa-sha256\" or "
                 "\"ed25519-sha256\"",
                 15);
    expect_error("[arc]\nsign_headers = [\"subject\"]\n",
                 "t.toml:2: arc.sign_headers: must include from (RFC 6376 5.4)", 2);
    expect_error("[arc]\nsign_headers = [\"from\", \"ARC-Seal\"]\n",
                 "t.toml:2: arc.sign_headers[1]: arc-seal must not be signed by the AMS", 2);
    expect_error("[arc]\nseal_unsealed = \"always\"\n",
                 "t.toml:2: arc.seal_unsealed: must be \"none\" or \"new-chain\"", 2);
    expect_error("[arc]\ntrusted_sealers = [\"example\"]\n",
                 "t.toml:2: arc.trusted_sealers[0]: must be a domain name", 2);
}

BOOST_AUTO_TEST_CASE(bad_dns_and_dmarc_values) {
    expect_error(minimal + "[dns]\nservers = [\"192.0.2.1:53\", \"ns1.example.org\"]\n",
                 "t.toml:16: dns.servers[1]: must be IP, IP:PORT or [IPv6]:PORT", 16);
    expect_error(minimal + "[dns]\ntimeout_ms = 0\n", "t.toml:16: dns.timeout_ms: must be 1..60000",
                 16);
    expect_error(
        minimal + "[dmarc]\nvirtual = \"on\"\n",
        "t.toml:16: dmarc.virtual: must be \"property\", \"pass\", \"bestguesspass\" or \"off\"",
        16);
    expect_error(minimal + "[log]\nlevel = \"trace\"\n",
                 "t.toml:16: log.level: must be \"debug\", \"info\", \"warning\" or \"error\"", 16);
}

BOOST_AUTO_TEST_CASE(bad_server_values) {
    expect_error("[server]\nhostname = \"relay_1.example.org\"\n",
                 "t.toml:2: server.hostname: \"relay_1.example.org\" is not a host name", 2);
    expect_error("[server]\nauthserv_id = \"a;b\"\n",
                 "t.toml:2: server.authserv_id: must be an authserv-id (RFC 8601 2.5)", 2);
    expect_error("[server]\nthreads = -1\n", "t.toml:2: server.threads: must be 0..1024", 2);
    expect_error("[server]\nio_threads = 1025\n", "t.toml:2: server.io_threads: must be 0..1024",
                 2);
}

BOOST_AUTO_TEST_CASE(toml_syntax_error_has_its_line) {
    const auto c = parse_config("[server]\nhostname = \"x\"\nthreads 4\n", "t.toml");
    BOOST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().line == 3u);
    BOOST_TEST(c.error().message.starts_with("t.toml:3: syntax error: "));
    BOOST_TEST(c.error().message.find('\n') == std::string::npos);
    BOOST_TEST(arcrelay::config::test::has_error_format(c.error().message, 3));
}

BOOST_AUTO_TEST_CASE(deep_nesting_has_its_line_and_a_key) {
    expect_error("a = 1\nb = " + std::string(65, '[') + std::string(65, ']') + "\n",
                 "t.toml:2: nesting: arrays or inline tables nested deeper than 64", 2);
}

BOOST_AUTO_TEST_CASE(toml_duplicate_key_is_an_error) {
    const auto c = parse_config("[server]\nthreads = 1\nthreads = 2\n", "t.toml");
    BOOST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().message.starts_with("t.toml:"));
    BOOST_TEST(c.error().line != 0u);
}

BOOST_AUTO_TEST_SUITE_END()
