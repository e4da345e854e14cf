#!/usr/bin/python3
"""The command-line contract of `arcrelay` (`arcrelay --help`; tests/integration/cli).

verify: text output (an Authentication-Results value led by the authserv-id), the --json
keys, stdin with "-", LF-only input, exit statuses 0 / 1 (DNS temperror, from a loopback UDP
server that never answers) / 2 (usage, unreadable file, malformed message).
keygen: a 0600 key and a TXT record that works (seal with the key, verify against a zone made
from the printed records), no overwrite. check-config: examples/arcrelay.toml (its key files
do not exist here), a valid generated file, a bad one (file:line: key).

Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA. Every process has a timeout; temporary
directories are removed; the UDP socket is closed at exit.
"""
import json
import os
import re
import socket
import stat
import subprocess
import sys
import tempfile
import unittest

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
    text = ('[server]\nhostname = "relay.lists.example.org"\n'
            'authserv_id = "lists.example.org"\n\n'
            '[[listener]]\nname = "seal"\nstages = "split-seal"\n'
            'allowed_clients = ["127.0.0.1/32"]\n')
    for algorithm, domain, selector, pem in keys:
        text += (f'\n[[arc.key]]\nalgorithm = "{algorithm}"\ndomain = "{domain}"\n'
                 f'selector = "{selector}"\nprivate_key = "{pem}"\n')
    return write(path, text + extra)


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

    def test_valid_generated_config_exits_0(self):
        pem = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
        config = seal_config(self.path("ok.toml"),
                             [("rsa-sha256", "lists.example.org", "rsa2026", pem)])
        done = arcrelay("check-config", config)
        self.assert_exit(done, 0)
        self.assertIn(b"arc key rsa-sha256: d=lists.example.org s=rsa2026", done.stdout)

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


if __name__ == "__main__":
    if not BINARY or not DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
