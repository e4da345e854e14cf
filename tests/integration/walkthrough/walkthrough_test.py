#!/usr/bin/python3
"""A new user's split-layout Postfix setup, from examples/postfix/ alone (issue 15).

Debian's stock files (/usr/share/postfix/main.cf.debian, master.cf.dist) are copied into a
temporary directory and changed exactly as the examples say: every setting of
examples/postfix/main.cf through `postconf -e`, the `smtp inet` line commented out and the
service of examples/postfix/master.cf appended, examples/postfix/transport through postmap.
Checked: `postfix -c DIR check` passes; nothing listens on port 25 any more (arcrelay owns
it); the 10026 service is there, loopback only; Postfix's own mail for the list domain goes to
arcrelay's verify listener (port 25), never to Mailman's LMTP port 8024; Mailman's
postfix_lmtp map is not used. Every command has a timeout; nothing is started.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "..", "examples", "postfix")
STOCK_MAIN = "/usr/share/postfix/main.cf.debian"
STOCK_MASTER = "/usr/share/postfix/master.cf.dist"
COMMAND_S = 30


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_S)


def settings(path):
    """The `name = value` lines of a main.cf snippet (comments and blank lines skipped)."""
    out = []
    with open(path) as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, value = line.partition("=")
                out.append((name.strip(), value.strip()))
    return out


def service_lines(path):
    with open(path) as f:
        return [line for line in f if line.strip() and not line.startswith("#")]


class walkthrough_case(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="arcrelay-walkthrough-")
        d = cls.dir
        shutil.copy(STOCK_MAIN, os.path.join(d, "main.cf"))
        shutil.copy(STOCK_MASTER, os.path.join(d, "master.cf"))
        os.makedirs(os.path.join(d, "queue"))
        os.makedirs(os.path.join(d, "data"))
        # Private queue and data directories: the system's Postfix is never touched.
        edits = [f"queue_directory={d}/queue", f"data_directory={d}/data"]
        for name, value in settings(os.path.join(EXAMPLES, "main.cf")):
            edits.append(f"{name}={value.replace('/etc/postfix/', d + '/')}")
        r = run("postconf", "-c", d, "-e", *edits)
        assert r.returncode == 0, r.stderr
        # master.cf step 1: comment out the stock smtp inet line; step 2: append the service.
        with open(os.path.join(d, "master.cf")) as f:
            master = f.read()
        cls.stock_had_smtp = re.search(r"^smtp\s+inet\b", master, re.M) is not None
        master = re.sub(r"^(smtp\s+inet\b)", r"#\1", master, flags=re.M)
        master += "".join(service_lines(os.path.join(EXAMPLES, "master.cf")))
        with open(os.path.join(d, "master.cf"), "w") as f:
            f.write(master)
        shutil.copy(os.path.join(EXAMPLES, "transport"), os.path.join(d, "transport"))
        r = run("postmap", "-c", d, os.path.join(d, "transport"))
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def postconf(self, *args):
        r = run("postconf", "-c", self.dir, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_postfix_check_passes(self):
        r = run("postfix", "-c", self.dir, "check")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("fatal", r.stderr)

    def test_nothing_of_postfix_on_port_25(self):
        self.assertTrue(self.stock_had_smtp, "Debian's master.cf has the smtp inet line")
        services = self.postconf("-M")
        inet = [line.split()[0] for line in services.splitlines() if " inet " in line]
        self.assertNotIn("smtp", inet)  # Debian's "smtp inet": *:25, or 127.0.0.1:25 here
        self.assertFalse([s for s in inet if s.endswith(":25") or s == "25"], inet)
        self.assertIn("127.0.0.1:10026", inet)
        self.assertEqual(self.postconf("-h", "inet_interfaces").strip(), "loopback-only")

    def test_list_domain_goes_through_arcrelay_not_mailman(self):
        transport = self.postconf("-h", "transport_maps").strip()
        self.assertNotIn("postfix_lmtp", transport)
        r = run("postmap", "-c", self.dir, "-q", "lists.example.org", transport)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "smtp:[127.0.0.1]:25")
        self.assertNotIn("8024", r.stdout)

    def test_the_seal_listener_port_relays_for_loopback_only(self):
        services = self.postconf("-M")
        line = next(l for l in services.splitlines() if l.startswith("127.0.0.1:10026"))
        self.assertIn("smtpd_relay_restrictions=permit_mynetworks,reject", line)
        self.assertEqual(self.postconf("-h", "mynetworks").strip(), "127.0.0.0/8 [::1]/128")


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
