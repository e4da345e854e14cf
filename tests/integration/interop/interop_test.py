#!/usr/bin/python3
"""arcrelay against two independent ARC verifiers (tests/integration/interop).

Verifiers: `arcrelay verify`, dkimpy (Debian python3-dkim, tests/tools/dkimpy_tool.py) and
Mail::DKIM (Debian libmail-dkim-perl, tests/tools/maildkim_tool.pl); all answer DNS from a
zone file, nothing touches the network.

1. Every bench-corpus message is sealed by `arcrelay seal` with ONLY the rsa-sha256 key of
   lists.example.org (neither peer verifies Ed25519 ARC sets nor two sets per instance) at a
   fixed time, with its manifest envelope. The sealed message must give arc=pass (arc=fail
   for the corpus's broken chains, which stay failed) in all three verifiers, except the
   documented peer limitations in PEER_EXCEPTIONS, which are asserted, not skipped.
2. The real-chains messages give expected.tsv's RFC 8617 verdict in arcrelay, and in each
   peer where it supports the chain (exceptions asserted the same way).

Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA. Every process has a timeout; the temporary
directory is removed at exit.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "tools")
sys.path.insert(0, TOOLS)
from seal_config import arc_key, write_seal_config  # noqa: E402
DKIMPY = ["/usr/bin/python3", os.path.join(TOOLS, "dkimpy_tool.py")]
MAILDKIM = ["/usr/bin/perl", os.path.join(TOOLS, "maildkim_tool.pl")]
CORPUS = os.path.join(DATA, "arc", "bench-corpus")
REAL = os.path.join(DATA, "arc", "real-chains")
BENCH_ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
REAL_ZONE = os.path.join(DATA, "dns", "real-chains-zone.txt")
TIMESTAMP = "1767312000"  # 2026-01-02, one day after the corpus was signed
LIMIT_S = 60  # seconds any one process may run

# Chains arcrelay leaves unsealed (DESIGN.md "ARC with several algorithms", Sealing):
# scenario -> the reason `arcrelay seal` prints. Every other message gets one new set.
NOT_SEALED = {
    "s4": "no longest chain uses rsa-sha256",  # Ed25519-only chain: never add an algorithm
    "s7": "no longest chain uses rsa-sha256",
    "b3": "no longest chain uses rsa-sha256",
    "b4": "the rsa-sha256 chain's newest seal says cv=fail",  # RFC 8617 5.1.2: not extended
}

# Where a peer's verdict on a sealed bench-corpus message differs from RFC 8617 (and
# arcrelay), for a reason of the peer's own: scenario -> {peer: (verdict, why)}.
ED25519_DKIMPY = "Ed25519-only chain (left unsealed): dkimpy's ARC knows only rsa-sha256"
ED25519_MAILDKIM = ("Ed25519-only chain (left unsealed): Mail::DKIM 1.20230212 has no "
                    "Ed25519 and calls the chain invalid instead of fail")
TWO_SETS = ("two ARC sets (rsa-sha256 + ed25519-sha256) at one instance "
            "(draft-ietf-dmarc-arc-multi) below ours: dkimpy wants one set per instance")
PEER_EXCEPTIONS = {
    "s4": {"dkimpy": ("fail", ED25519_DKIMPY), "maildkim": ("invalid", ED25519_MAILDKIM)},
    "s7": {"dkimpy": ("fail", ED25519_DKIMPY), "maildkim": ("invalid", ED25519_MAILDKIM)},
    "b3": {"maildkim": ("invalid", ED25519_MAILDKIM)},  # fail in all others
    "s5": {"dkimpy": ("fail", TWO_SETS)},  # Mail::DKIM skips the Ed25519 sets: pass
    "s8": {"dkimpy": ("fail", TWO_SETS)},
}

# The same for the real chains (expected.tsv column dkimpy_1.1.4 and NOTE.md): file ->
# {peer: (verdict, why)}; "error" means the peer crashed (non-zero exit).
REAL_EXCEPTIONS = {
    "mail-auth_002.eml": {
        "dkimpy": ("fail", "i=1 is ed25519-sha256, which dkimpy's ARC rejects"),
        "maildkim": ("fail", "i=1 is ed25519-sha256, unsupported in Mail::DKIM 1.20230212")},
    "blaze_005.eml": {
        "dkimpy": ("error", "IndexError: dkimpy looks for ' i=3;' but kernel.org writes "
                            "'ARC-Message-Signature:i=3;' (no space after the colon)")},
    "blaze_006.eml": {
        "dkimpy": ("error", "the same IndexError as blaze_005 (no space after the colon)")},
}


def run(argv, stdin=None):
    return subprocess.run(argv, input=stdin, capture_output=True, timeout=LIMIT_S)


def peer_verdict(tool, zone, path):
    """First word of a peer tool's arc-verify output, or "error" if it crashed."""
    done = run(tool + ["arc-verify", zone, path])
    if done.returncode != 0:
        return "error", done.stderr.decode(errors="replace").strip().splitlines()[-1:]
    out = done.stdout.decode()
    return out.split()[0], out.splitlines()[0]


def arcrelay_verify(zone, path, *extra):
    done = run([BINARY, "verify", "--json", "--zone", zone, *extra, path])
    if done.returncode != 0:
        raise AssertionError(f"arcrelay verify {path}: exit {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')}")
    return json.loads(done.stdout)["arc"]


def count_seals(message):
    header = message.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return sum(1 for line in header.split(b"\n") if line.lower().startswith(b"arc-seal:"))


def seal_config(path):
    key = os.path.join(CORPUS, "keys", "lists.example.org.rsa2026.rsa.pem")
    write_seal_config(path, "relay.lists.example.org", "lists.example.org",
                      arc_key("rsa-sha256", "lists.example.org", "rsa2026", key))


def corpus_messages():
    with open(os.path.join(CORPUS, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for m in manifest["messages"]:
        path = os.path.join(CORPUS, os.path.basename(m["file"]))
        if m["size_class"] == "2k" and os.path.exists(path):
            yield m, path


class sealed_bench_corpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="arcrelay-interop-")
        cls.config = os.path.join(cls.tmp.name, "seal.toml")
        seal_config(cls.config)
        cls.messages = list(corpus_messages())

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def seal(self, message, path):
        env = message["envelope"]
        done = run([BINARY, "seal", "--config", self.config, "--zone", BENCH_ZONE,
                    "--timestamp", TIMESTAMP, "--client-ip", env["client_ip"], "--helo",
                    env["helo"], "--mail-from", env["mail_from"], path])
        self.assertEqual(done.returncode, 0, done.stderr)
        not_sealed = NOT_SEALED.get(message["scenario"])
        self.assertEqual(done.stderr.decode().strip(),
                         f"arcrelay seal: not sealed: {not_sealed}" if not_sealed else "")
        with open(path, "rb") as f:
            before = count_seals(f.read())
        self.assertEqual(count_seals(done.stdout), before + (0 if not_sealed else 1))
        out = os.path.join(self.tmp.name, message["id"] + ".sealed.eml")
        with open(out, "wb") as f:
            f.write(done.stdout)
        return out

    def test_corpus_is_complete(self):
        scenarios = {m["scenario"] for m, _ in self.messages}
        self.assertEqual(len(self.messages), 13)  # s1..s8, b1..b5
        # No stale entry: every exception names a scenario that is run.
        self.assertLessEqual(set(NOT_SEALED) | set(PEER_EXCEPTIONS), scenarios)

    def test_seal_then_verify_in_three_verifiers(self):
        for message, path in self.messages:
            scenario, original = message["scenario"], message["expected"]["arc"]
            want = "fail" if original == "fail" else "pass"
            with self.subTest(message=message["id"]):
                sealed = self.seal(message, path)
                arc = arcrelay_verify(BENCH_ZONE, sealed, "--timestamp", TIMESTAMP)
                self.assertEqual(arc["result"], want, arc)
                for peer, tool in (("dkimpy", DKIMPY), ("maildkim", MAILDKIM)):
                    verdict, detail = peer_verdict(tool, BENCH_ZONE, sealed)
                    expected, why = PEER_EXCEPTIONS.get(scenario, {}).get(peer, (want, ""))
                    self.assertEqual(verdict, expected, f"{peer}: {detail} ({why})")


def real_chains():
    with open(os.path.join(REAL, "expected.tsv"), encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


class real_chain_verdicts(unittest.TestCase):
    def test_expected_tsv_has_every_message(self):
        names = sorted(r["file"] for r in real_chains())
        self.assertEqual(names, sorted(n for n in os.listdir(REAL) if n.endswith(".eml")))

    def test_arcrelay_matches_expected_tsv(self):
        for row in real_chains():
            with self.subTest(file=row["file"]):
                arc = arcrelay_verify(REAL_ZONE, os.path.join(REAL, row["file"]))
                self.assertEqual(arc["result"], row["expected_rfc8617"], arc)
                if row["expected_rfc8617"] == "pass":  # a broken structure has no chain
                    self.assertEqual(arc["chains"][0]["length"], int(row["chain_length"]))

    def test_peers_match_expected_tsv(self):
        for row in real_chains():
            for peer, tool in (("dkimpy", DKIMPY), ("maildkim", MAILDKIM)):
                with self.subTest(file=row["file"], peer=peer):
                    verdict, detail = peer_verdict(tool, REAL_ZONE,
                                                   os.path.join(REAL, row["file"]))
                    expected, why = REAL_EXCEPTIONS.get(row["file"], {}).get(
                        peer, (row["expected_rfc8617"], ""))
                    self.assertEqual(verdict, expected, f"{peer}: {detail} ({why})")


class peer_tools(unittest.TestCase):
    """The peers must be able to say fail, or agreement above would prove nothing."""

    def test_peers_fail_an_altered_sealed_message(self):
        with tempfile.TemporaryDirectory(prefix="arcrelay-interop-") as tmp:
            config = os.path.join(tmp, "seal.toml")
            seal_config(config)
            message, path = next((m, p) for m, p in corpus_messages() if m["scenario"] == "s3")
            env = message["envelope"]
            done = run([BINARY, "seal", "--config", config, "--zone", BENCH_ZONE, "--timestamp",
                        TIMESTAMP, "--client-ip", env["client_ip"], "--helo", env["helo"],
                        "--mail-from", env["mail_from"], path])
            self.assertEqual(done.returncode, 0, done.stderr)
            altered = os.path.join(tmp, "altered.eml")
            with open(altered, "wb") as f:
                f.write(done.stdout + b"one more line\r\n")
            self.assertEqual(arcrelay_verify(BENCH_ZONE, altered)["result"], "fail")
            for tool in (DKIMPY, MAILDKIM):
                self.assertEqual(peer_verdict(tool, BENCH_ZONE, altered)[0], "fail")


if __name__ == "__main__":
    if not BINARY or not DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
