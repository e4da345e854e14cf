#!/usr/bin/python3
"""The command-line contract of `arcrelay` (`arcrelay --help`; tests/integration/cli).

verify: text output (an Authentication-Results value led by the authserv-id), the --json
keys, stdin with "-", LF-only input, exit statuses 0 / 1 (DNS temperror, from a loopback UDP
server that never answers) / 2 (usage, unreadable file, malformed message).
keygen: a 0600 key and a TXT record that works (seal with the key, verify against a zone made
from the printed records), no overwrite. check-config: examples/arcrelay.toml (its key files
do not exist here), a valid generated file, a bad one (file:line: key), the rsa-less
warning. Manners: --help on every subcommand (exit 0, its usage on stdout), --version (the
CMake project version), keygen into a missing directory (created 0700). testkey: each
outcome against a zone file made from keygen's output, and SERVFAIL from a loopback UDP
server that answers every query so.

Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA. Every process has a timeout; temporary
directories are removed; the UDP socket is closed at exit.
"""
import json
import os
import threading
import re
import socket
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from seal_config import arc_key, write_seal_config  # noqa: E402

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE_CONFIG = os.path.join(HERE, "..", "..", "..", "examples", "arcrelay.toml")
CORPUS = os.path.join(DATA, "arc", "bench-corpus")
ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
S3 = os.path.join(CORPUS, "s3-arc1-rsa-dkimrsa-plain.eml")  # ARC pass, DKIM pass + fail
S3_ENVELOPE = ["--client-ip", "198.51.100.12", "--helo", "mail.lists.upstream.example",
               "--mail-from", "upstream-bounces@lists.upstream.example"]
TIMESTAMP = "1767312000"
LIMIT_S = 60  # seconds any one process may run


def arcrelay(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, timeout=LIMIT_S)


def verify(*args, stdin=None):
    return arcrelay("verify", "--zone", ZONE, "--timestamp", TIMESTAMP, *args, stdin=stdin)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def seal_config(path, keys, extra=""):
    """keys: (algorithm, domain, selector, pem path) for each [[arc.key]]."""
    return write_seal_config(path, "relay.lists.example.org", "lists.example.org",
                             "".join(arc_key(*k) for k in keys), extra)


def servfail_server():
    """A loopback UDP server answering every DNS query with SERVFAIL (RCODE 2, RFC 1035
    4.1.1). Returns (port, stop)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stopping = threading.Event()

    def serve():
        while not stopping.is_set():
            try:
                query, peer = sock.recvfrom(4096)
            except socket.timeout:
                continue
            if len(query) < 12:
                continue
            flags = 0x8000 | (query[2] & 0x79) << 8 | 0x0080 | 2  # QR, opcode+RD, RA, SERVFAIL
            sock.sendto(query[:2] + flags.to_bytes(2, "big") + query[4:6] + b"\0" * 6 +
                        query[12:], peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def stop():
        stopping.set()
        thread.join(2)
        sock.close()
    return sock.getsockname()[1], stop


class cli_case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="arcrelay-cli-")
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def assert_exit(self, done, status):
        self.assertEqual(done.returncode, status,
                         f"stdout {done.stdout[:300]!r} stderr {done.stderr[:300]!r}")


class verify_output(cli_case):
    def test_text_is_an_authentication_results_value(self):
        done = verify("--authserv-id", "mx.cli.test", *S3_ENVELOPE, S3)
        self.assert_exit(done, 0)
        text = done.stdout.decode()
        self.assertTrue(text.startswith("mx.cli.test; "), text)
        unfolded = re.sub(r"\r?\n[ \t]+", " ", text)
        for part in ("iprev=pass", "spf=pass smtp.mailfrom=lists.upstream.example",
                     "header.d=lists.upstream.example", "dkim=fail", "dmarc=fail",
                     "arc=pass"):
            self.assertIn(part, unfolded)
        self.assertEqual(done.stderr, b"")

    def test_json_keys(self):
        done = verify("--json", "--authserv-id", "mx.cli.test", *S3_ENVELOPE, S3)
        self.assert_exit(done, 0)
        out = json.loads(done.stdout)
        self.assertTrue(out["authentication_results"].startswith("mx.cli.test; "))
        arc = out["arc"]
        self.assertEqual((arc["result"], arc["oldest_pass"], arc["reason"]), ("pass", 0, ""))
        self.assertEqual(len(arc["chains"]), 1)
        chain = arc["chains"][0]
        self.assertEqual((chain["algorithm"], chain["length"], chain["result"], chain["reason"]),
                         ("rsa-sha256", 1, "pass", ""))
        dkim = {(d["domain"], d["selector"], d["algorithm"]): (d["result"], d["reason"])
                for d in out["dkim"]}
        self.assertEqual(dkim[("lists.upstream.example", "rsa2026", "rsa-sha256")], ("pass", ""))
        result, reason = dkim[("example.com", "rsa2026", "rsa-sha256")]
        self.assertEqual(result, "fail")
        self.assertNotEqual(reason, "")
        self.assertEqual(out["spf"]["result"], "pass")
        self.assertEqual(out["dmarc"]["result"], "fail")
        self.assertEqual(out["iprev"]["result"], "pass")

    def test_json_of_a_failed_chain_names_the_reason(self):
        done = verify("--json", os.path.join(CORPUS, "b4-arc2-rsa-dkimrsa-plain.eml"))
        self.assert_exit(done, 0)
        arc = json.loads(done.stdout)["arc"]
        self.assertEqual(arc["result"], "fail")
        self.assertIn("cv=fail", arc["reason"])
        self.assertEqual(arc["chains"][0]["result"], "fail")

    def test_stdin_gives_the_same_answer_as_the_file(self):
        from_file = verify("--json", *S3_ENVELOPE, S3)
        from_stdin = verify("--json", *S3_ENVELOPE, "-", stdin=read(S3))
        self.assert_exit(from_stdin, 0)
        self.assertEqual(from_stdin.stdout, from_file.stdout)

    def test_lf_only_input_is_normalised(self):
        crlf = read(S3)
        self.assertIn(b"\r\n", crlf)
        lf = write(self.path("lf.eml"), crlf.replace(b"\r\n", b"\n"))
        from_lf = verify("--json", *S3_ENVELOPE, lf)
        self.assert_exit(from_lf, 0)
        self.assertEqual(from_lf.stdout, verify("--json", *S3_ENVELOPE, S3).stdout)
        self.assertEqual(json.loads(from_lf.stdout)["arc"]["result"], "pass")


class verify_exit_status(cli_case):
    def test_usage_errors_exit_2(self):
        for args in ([], ["--bogus", S3], ["--timestamp", "soon", S3], [S3, S3], ["--zone"]):
            with self.subTest(args=args):
                done = arcrelay("verify", *args)
                self.assert_exit(done, 2)
                self.assertTrue(done.stderr.startswith(b"arcrelay verify: "), done.stderr)
                self.assertEqual(done.stdout, b"")

    def test_unknown_command_exits_2(self):
        self.assert_exit(arcrelay("frobnicate"), 2)

    def test_unreadable_file_exits_2(self):
        missing = self.path("missing.eml")
        done = verify(missing)
        self.assert_exit(done, 2)
        self.assertIn(missing.encode(), done.stderr)

    def test_unreadable_zone_exits_2(self):
        done = arcrelay("verify", "--zone", self.path("missing-zone.txt"), S3)
        self.assert_exit(done, 2)

    def test_malformed_message_exits_2(self):
        bad = write(self.path("bad.eml"), b"From: a@example.com\r\nno colon here\r\n\r\nbody\r\n")
        done = verify(bad)
        self.assert_exit(done, 2)
        self.assertIn(b"line 2", done.stderr)
        self.assertEqual(done.stdout, b"")

    def test_dns_temperror_exits_1(self):
        # A loopback UDP "server" that never answers: every lookup times out.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            silent.bind(("127.0.0.1", 0))
            port = silent.getsockname()[1]
            pem = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
            config = seal_config(
                self.path("seal.toml"), [("rsa-sha256", "lists.example.org", "rsa2026", pem)],
                f'\n[dns]\nservers = ["127.0.0.1:{port}"]\ntimeout_ms = 100\nretries = 0\n')
            done = arcrelay("seal", "--config", config, "--timestamp", TIMESTAMP,
                            os.path.join(CORPUS, "s1-arc0-none-dkimrsa-plain.eml"))
        self.assert_exit(done, 1)
        self.assertIn(b"dkim=temperror", re.sub(rb"\r?\n[ \t]+", b" ", done.stdout))


class keygen(cli_case):
    def keygen(self, algorithm, selector, out):
        return arcrelay("keygen", "--algorithm", algorithm, "--domain", "cli.test",
                        "--selector", selector, "--out", out)

    def test_generated_keys_seal_a_chain_that_verifies(self):
        records, keys = [], []
        for algorithm, selector in (("rsa-sha256", "r1"), ("ed25519-sha256", "e1")):
            done = self.keygen(algorithm, selector, self.tmp.name)
            self.assert_exit(done, 0)
            out = done.stdout.decode()
            pem = re.search(r"private key: (\S+)", out).group(1)
            self.assertEqual(stat.S_IMODE(os.stat(pem).st_mode), 0o600)
            self.assertIn(b"PRIVATE KEY", read(pem))
            record = [line for line in out.splitlines() if not line.startswith("#")]
            self.assertTrue(record[0].startswith(f"{selector}._domainkey.cli.test."), out)
            records += record
            keys.append((algorithm, "cli.test", selector, pem))
        zone = write(self.path("zone.txt"), read(ZONE).decode() + "\n" + "\n".join(records) + "\n")
        config = seal_config(self.path("seal.toml"), keys)
        self.assert_exit(arcrelay("check-config", config), 0)
        sealed = arcrelay("seal", "--config", config, "--zone", zone, "--timestamp", TIMESTAMP,
                          os.path.join(CORPUS, "s1-arc0-none-dkimrsa-plain.eml"))
        self.assert_exit(sealed, 0)
        done = arcrelay("verify", "--json", "--zone", zone, "--timestamp", TIMESTAMP, "-",
                        stdin=sealed.stdout)
        self.assert_exit(done, 0)
        arc = json.loads(done.stdout)["arc"]
        self.assertEqual(arc["result"], "pass", arc)
        self.assertEqual(sorted(c["algorithm"] for c in arc["chains"]),
                         ["ed25519-sha256", "rsa-sha256"])
        # Without the published records the same message cannot pass.
        done = verify("--json", "-", stdin=sealed.stdout)
        self.assertNotEqual(json.loads(done.stdout)["arc"]["result"], "pass")

    def test_refuses_to_overwrite(self):
        self.assert_exit(self.keygen("ed25519-sha256", "e1", self.tmp.name), 0)
        pem = self.path("cli.test.e1.ed25519.pem")
        before = read(pem)
        done = self.keygen("ed25519-sha256", "e1", self.tmp.name)
        self.assert_exit(done, 1)
        self.assertIn(pem.encode(), done.stderr)
        self.assertEqual(read(pem), before)

    def test_usage_errors_exit_2(self):
        self.assert_exit(self.keygen("rsa-sha1", "r1", self.tmp.name), 2)
        self.assert_exit(arcrelay("keygen", "--algorithm", "rsa-sha256"), 2)
        self.assertEqual(os.listdir(self.tmp.name), [])


class check_config(cli_case):
    def test_example_fails_on_its_missing_key_file(self):
        done = arcrelay("check-config", EXAMPLE_CONFIG)
        self.assert_exit(done, 2)
        self.assertIn(b"arc.key[0].private_key", done.stderr)
        # The name `arcrelay keygen` writes (DIR/DOMAIN.SELECTOR.rsa.pem), and the
        # configuration file named once (issue 15).
        self.assertIn(b"/etc/arcrelay/keys/lists.example.org.arc2026.rsa.pem", done.stderr)
        self.assertEqual(done.stderr.count(b"arcrelay.toml"), 1, done.stderr)
        # FILE:LINE: key: reason, LINE the one of the private_key that names the file
        line = next(n for n, text in enumerate(read(EXAMPLE_CONFIG).decode().splitlines(), 1)
                    if text.startswith("private_key = "))
        self.assertEqual(done.stderr.decode(),
                         f"{EXAMPLE_CONFIG}:{line}: arc.key[0].private_key: cannot read "
                         "/etc/arcrelay/keys/lists.example.org.arc2026.rsa.pem: "
                         "No such file or directory\n")

    def test_file_errors_name_file_line_and_key_once(self):
        """Every way a named file can be unusable: one line FILE:LINE: key: reason."""
        pem = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
        ed = os.path.join(CORPUS, "keys", "lists.example.org.ed2026.ed25519.pem")
        garbage = write(self.path("garbage.pem"), "not a key\n")
        cases = {  # (key file, more TOML, the key in error, the start of the reason)
            "directory": (self.tmp.name, "", "arc.key[0].private_key",
                          f"cannot read {self.tmp.name}: "),
            "not a key": (garbage, "", "arc.key[0].private_key", f"{garbage}: "),
            "wrong algorithm": (ed, "", "arc.key[0].private_key",
                                f"{ed}: a ed25519 key cannot seal rsa"),
            "secret": (pem, '[arc]\nhandover_secrets = ["/nonexistent/s1"]\n',
                       "arc.handover_secrets[0]", "cannot read /nonexistent/s1: No such file"),
            "zone": (pem, '\n[dns]\nzone_file = "/nonexistent/zone"\n', "dns.zone_file",
                     "cannot read /nonexistent/zone: No such file"),
        }
        for name, (key_file, extra, key, reason) in cases.items():
            with self.subTest(case=name):
                config = seal_config(self.path("c.toml"),
                                     [("rsa-sha256", "lists.example.org", "rsa2026", key_file)],
                                     "" if extra.startswith("[arc]") else extra)
                if extra.startswith("[arc]"):  # before [[arc.key]]: TOML has no [arc] after it
                    text = read(config).decode()
                    at = text.index("[[arc.key]]")
                    write(config, text[:at] + extra + text[at:])
                name_in_file = key.split(".")[-1].split("[")[0] + " = "
                line = next(n for n, text in enumerate(read(config).decode().splitlines(), 1)
                            if text.startswith(name_in_file))
                done = arcrelay("check-config", config)
                self.assert_exit(done, 2)
                err = done.stderr.decode()
                self.assertTrue(err.startswith(f"{config}:{line}: {key}: {reason}"), err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertEqual(err.count(config), 1, err)

    def test_valid_generated_config_exits_0(self):
        pem = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
        config = seal_config(self.path("ok.toml"),
                             [("rsa-sha256", "lists.example.org", "rsa2026", pem)])
        done = arcrelay("check-config", config)
        self.assert_exit(done, 0)
        self.assertIn(b"arc key rsa-sha256: d=lists.example.org s=rsa2026", done.stdout)
        self.assertEqual(done.stderr, b"")  # an rsa-sha256 key: no warning

    def test_bad_config_names_file_line_and_key(self):
        pem = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
        key = [("rsa-sha256", "lists.example.org", "rsa2026", pem)]
        cases = {"type.toml": ('[server]\nhostname = "x"\nthreads = "many"\n',
                               "type.toml:3: server.threads"),
                 "unknown.toml": (read(seal_config(self.path("base.toml"), key)).decode() +
                                  "\n[dns]\nfrob = 1\n", "unknown.toml:{}: dns.frob")}
        for name, (text, expected) in cases.items():
            with self.subTest(config=name):
                line = text.count("\n")  # the bad key is on the last line
                done = arcrelay("check-config", write(self.path(name), text))
                self.assert_exit(done, 2)
                self.assertIn(expected.format(line), done.stderr.decode())

    def test_missing_file_exits_2(self):
        self.assert_exit(arcrelay("check-config", self.path("none.toml")), 2)


class manners(cli_case):
    COMMANDS = ("serve", "check-config", "testkey", "verify", "seal", "keygen")

    def test_help_on_every_subcommand_exits_0_with_its_usage(self):
        for command in self.COMMANDS:
            for flag in ("--help", "-h"):
                with self.subTest(command=command, flag=flag):
                    # --help wins over every other argument, even bad ones.
                    done = arcrelay(command, "--bogus", flag)
                    self.assert_exit(done, 0)
                    text = done.stdout.decode()
                    self.assertTrue(text.startswith(f"usage:\n  arcrelay {command}"), text)
                    self.assertIn("exit status", text)
                    self.assertEqual(done.stderr, b"")
                    for other in self.COMMANDS:
                        if other != command:
                            self.assertNotIn(f"arcrelay {other} ", text)

    def test_top_level_help_lists_every_command(self):
        done = arcrelay("--help")
        self.assert_exit(done, 0)
        for command in self.COMMANDS:
            self.assertIn(f"\n  arcrelay {command}", done.stdout.decode())

    def test_version_is_the_project_version(self):
        with open(os.path.join(HERE, "..", "..", "..", "CMakeLists.txt")) as f:
            version = re.search(r"project\(arcrelay VERSION (\S+)", f.read()).group(1)
        done = arcrelay("--version")
        self.assert_exit(done, 0)
        self.assertEqual(done.stdout.decode(), f"arcrelay {version}\n")

    def test_usage_errors_print_the_usage_on_stderr(self):
        done = arcrelay("keygen", "--algorithm", "rsa-sha256")
        self.assert_exit(done, 2)
        self.assertIn(b"usage:\n  arcrelay keygen", done.stderr)
        self.assertEqual(done.stdout, b"")


class keygen_into_a_new_directory(cli_case):
    def test_missing_out_directory_is_created_0700(self):
        out = self.path("a/b/keys")
        os.umask(0o022)  # what a shell usually has; keygen must not leave 0755 behind
        done = arcrelay("keygen", "--algorithm", "ed25519-sha256", "--domain", "cli.test",
                        "--selector", "e1", "--out", out)
        self.assert_exit(done, 0)
        for d in (self.path("a"), self.path("a/b"), out):
            self.assertEqual(stat.S_IMODE(os.stat(d).st_mode), 0o700, d)
        pem = os.path.join(out, "cli.test.e1.ed25519.pem")
        self.assertEqual(stat.S_IMODE(os.stat(pem).st_mode), 0o600)

    def test_an_existing_directory_keeps_its_mode(self):
        os.chmod(self.tmp.name, 0o750)
        done = arcrelay("keygen", "--algorithm", "ed25519-sha256", "--domain", "cli.test",
                        "--selector", "e1", "--out", self.tmp.name)
        self.assert_exit(done, 0)
        self.assertEqual(stat.S_IMODE(os.stat(self.tmp.name).st_mode), 0o750)

    def test_out_that_is_a_file_exits_1(self):
        blocker = write(self.path("file"), "x")
        done = arcrelay("keygen", "--algorithm", "ed25519-sha256", "--domain", "cli.test",
                        "--selector", "e1", "--out", os.path.join(blocker, "keys"))
        self.assert_exit(done, 1)
        self.assertIn(blocker.encode(), done.stderr)


class testkey(cli_case):
    """arcrelay testkey against a zone file made from keygen's two printed forms."""

    def keygen(self, algorithm, selector):
        done = arcrelay("keygen", "--algorithm", algorithm, "--domain", "cli.test",
                        "--selector", selector, "--out", self.path("keys"))
        self.assert_exit(done, 0)
        out = done.stdout.decode()
        pem = re.search(r"private key: (\S+)", out).group(1)
        zone_line = [line for line in out.splitlines() if not line.startswith("#")][0]
        expected = out.splitlines()[-1][2:]  # "# v=DKIM1; ..."
        self.assertTrue(expected.startswith("v=DKIM1; k="), out)
        return pem, zone_line, expected

    def setUp(self):
        super().setUp()
        self.rsa, self.rsa_line, self.rsa_text = self.keygen("rsa-sha256", "r1")
        self.ed, self.ed_line, self.ed_text = self.keygen("ed25519-sha256", "e1")

    def run_testkey(self, records, extra=""):
        zone = write(self.path("zone.txt"),
                     "$ORIGIN cli.test.\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n" +
                     "\n".join(records) + "\n")
        config = seal_config(self.path("seal.toml"),
                             [("rsa-sha256", "cli.test", "r1", self.rsa),
                              ("ed25519-sha256", "cli.test", "e1", self.ed)], extra)
        return arcrelay("testkey", "--config", config, "--zone", zone)

    def lines(self, done):
        return {line.split(" ")[0]: line for line in done.stdout.decode().splitlines()}

    def test_both_keys_match(self):
        done = self.run_testkey([self.rsa_line, f'e1._domainkey IN TXT "{self.ed_text}"'])
        self.assert_exit(done, 0)
        lines = self.lines(done)
        self.assertIn(": match:", lines["r1._domainkey.cli.test"])
        self.assertIn(": match:", lines["e1._domainkey.cli.test"])
        self.assertIn(self.rsa, lines["r1._domainkey.cli.test"])

    def test_each_failure_has_its_exit_status(self):
        other = self.keygen("ed25519-sha256", "x1")[2]
        p_ed = self.ed_text.split("p=")[1]
        cases = [  # (e1's record, status name, exit status)
            (None, "not found", 3),
            ('"v=DKIM1; k=ed25519; p="', "revoked", 4),
            (f'"v=DKIM1; k=rsa; p={p_ed}"', "unusable", 5),
            (f'"v=DKIM1; k=ed25519; t=y; p={p_ed}"', "unusable", 5),
            (f'"{other}"', "different key", 6),
        ]
        for record, name, status in cases:
            with self.subTest(status=name, record=record):
                records = [self.rsa_line]
                if record:
                    records.append(f"e1._domainkey IN TXT {record}")
                done = self.run_testkey(records)
                self.assert_exit(done, status)
                lines = self.lines(done)
                self.assertIn(f": {name}:", lines["e1._domainkey.cli.test"])
                self.assertIn(": match:", lines["r1._domainkey.cli.test"])

    def test_the_worst_key_decides(self):
        other = self.keygen("ed25519-sha256", "x1")[2]
        done = self.run_testkey([f'e1._domainkey IN TXT "{other}"'])  # and r1 absent
        self.assert_exit(done, 6)
        self.assertIn(": not found:", self.lines(done)["r1._domainkey.cli.test"])

    def test_servfail_through_the_configured_resolver_exits_1(self):
        port, stop = servfail_server()
        try:
            config = seal_config(self.path("seal.toml"),
                                 [("rsa-sha256", "cli.test", "r1", self.rsa)],
                                 f'\n[dns]\nservers = ["127.0.0.1:{port}"]\ntimeout_ms = 500\n'
                                 'retries = 0\n')
            done = arcrelay("testkey", "--config", config)
        finally:
            stop()
        self.assert_exit(done, 1)
        self.assertIn(": DNS failure:", done.stdout.decode())

    def test_bad_configuration_or_key_exits_2(self):
        self.assert_exit(arcrelay("testkey", "--config", self.path("none.toml")), 2)
        config = seal_config(self.path("seal.toml"),
                             [("rsa-sha256", "cli.test", "r1", self.path("no-key.pem"))])
        done = arcrelay("testkey", "--config", config, "--zone", ZONE)
        self.assert_exit(done, 2)
        self.assertIn(b"no-key.pem", done.stderr)


class keygen_from_config(cli_case):
    def test_generates_only_the_missing_keys(self):
        existing = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
        new = self.path("keys/new/e1.pem")
        config = seal_config(self.path("seal.toml"),
                             [("rsa-sha256", "lists.example.org", "rsa2026", existing),
                              ("ed25519-sha256", "cli.test", "e1", new)])
        done = arcrelay("keygen", "--config", config)
        self.assert_exit(done, 0)
        out = done.stdout.decode()
        self.assertIn(f"private key: {new}", out)
        self.assertNotIn(existing, out)
        self.assertIn("e1._domainkey.cli.test. IN TXT", out)
        self.assertEqual(stat.S_IMODE(os.stat(new).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(new)).st_mode), 0o700)
        self.assert_exit(arcrelay("check-config", config), 0)
        again = arcrelay("keygen", "--config", config)  # nothing missing: nothing written
        self.assert_exit(again, 0)
        self.assertIn(b"exists already", again.stdout)

    def test_config_with_other_options_is_a_usage_error(self):
        self.assert_exit(arcrelay("keygen", "--config", "x.toml", "--domain", "d"), 2)


class log_timestamps(cli_case):
    """[log] timestamps on serve's log lines: on unless stderr is the journal (JOURNAL_STREAM
    naming stderr's device:inode), true/false force it. The line logged here: a start-up that
    fails on a key of the wrong algorithm (check_files passes it; loading it does not)."""

    STAMP = r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"

    def serve_log(self, log_table="", journal=None):
        """journal: None (JOURNAL_STREAM unset), "stderr" (it names stderr) or a value."""
        ed = os.path.join(CORPUS, "keys", "lists.example.org.ed2026.ed25519.pem")
        config = seal_config(self.path("serve.toml"),
                             [("rsa-sha256", "lists.example.org", "rsa2026", ed)],
                             f'\n[log]\n{log_table}' if log_table else "")
        err_path = self.path("stderr")
        with open(err_path, "wb") as err:
            env = dict(os.environ)
            env.pop("JOURNAL_STREAM", None)
            if journal == "stderr":
                st = os.fstat(err.fileno())
                env["JOURNAL_STREAM"] = f"{st.st_dev}:{st.st_ino}"
            elif journal is not None:
                env["JOURNAL_STREAM"] = journal
            done = subprocess.run([BINARY, "serve", "--config", config], stdout=err,
                                  stderr=err, env=env, timeout=LIMIT_S)
        self.assertEqual(done.returncode, 1)
        line = read(err_path).decode()
        self.assertIn("start-up failed: ", line)
        self.assertIn(f"{config}:", line)  # the located key error (FILE:LINE: key: reason)
        return line

    def test_default_on_outside_journald(self):
        self.assertRegex(self.serve_log(), rf"^ts={self.STAMP} level=error msg=")

    def test_default_off_under_journald(self):
        self.assertRegex(self.serve_log(journal="stderr"), r"^level=error msg=")

    def test_a_journal_stream_that_is_not_stderr_does_not_count(self):
        # inherited from a unit by a process whose stderr goes elsewhere
        self.assertRegex(self.serve_log(journal="1:1"), rf"^ts={self.STAMP} ")

    def test_explicit_settings_win(self):
        self.assertRegex(self.serve_log("timestamps = true\n", journal="stderr"),
                         rf"^ts={self.STAMP} ")
        self.assertRegex(self.serve_log("timestamps = false\n"), r"^level=error ")

    def test_json_lines_carry_ts_first(self):
        line = self.serve_log('format = "json"\n')
        self.assertRegex(line, rf'^\{{"ts":"{self.STAMP}","level":"error","msg":')
        self.assertEqual(json.loads(line)["level"], "error")


class check_config_warnings(cli_case):
    def test_ed25519_only_warns_but_passes(self):
        done = arcrelay("keygen", "--algorithm", "ed25519-sha256", "--domain", "cli.test",
                        "--selector", "e1", "--out", self.tmp.name)
        self.assert_exit(done, 0)
        pem = self.path("cli.test.e1.ed25519.pem")
        config = seal_config(self.path("ed.toml"), [("ed25519-sha256", "cli.test", "e1", pem)])
        done = arcrelay("check-config", config)
        self.assert_exit(done, 0)
        self.assertIn(f"{config}: warning: arc.key: no rsa-sha256 key".encode(), done.stderr)
        self.assertIn(b"arc-multi 5.1", done.stderr)


if __name__ == "__main__":
    if not BINARY or not DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
