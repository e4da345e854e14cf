#!/usr/bin/python3
"""A new user's split-layout Postfix setup, from examples/postfix/ alone (issue 15).

Debian's stock files (/usr/share/postfix/main.cf.debian, master.cf.dist) are copied into a
temporary directory and changed exactly as the examples say (tests/tools/postfix_instance.py:
every setting of examples/postfix/main.cf through `postconf -e`, the `smtp inet` line
commented out and the service of examples/postfix/master.cf appended,
examples/postfix/transport through postmap; the test's own queue, data directory, maillog and
a free port for 10026). Checked: `postfix -c DIR check` passes; Postfix starts, greets on the
10026 service, logs no fatal error and stops on `postfix stop`; nothing listens on port 25 any
more (arcrelay owns it); the 10026 service is there, loopback only; Postfix's own mail for the
list domain goes to arcrelay's verify listener (port 25), never to Mailman's LMTP port 8024;
Mailman's postfix_lmtp map is not used. Every command has a timeout; the master is killed by
PID if `postfix stop` does not end it.
"""
import os
import socket
import subprocess
import sys
import tempfile
import shutil
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import free_port, listens_on  # noqa: E402
from postfix_instance import COMMAND_S, postfix_instance  # noqa: E402


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_S)


class walkthrough_case(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="arcrelay-walkthrough-")
        # a free port instead of 10026: CTest runs tests in parallel
        cls.seal_port = free_port()
        cls.postfix = postfix_instance(cls.root, seal_port=cls.seal_port)
        cls.dir = cls.postfix.etc
        cls.stock_had_smtp = cls.postfix.stock_had_smtp

    @classmethod
    def tearDownClass(cls):
        cls.postfix.stop()
        shutil.rmtree(cls.root, ignore_errors=True)

    def postconf(self, *args):
        r = run("postconf", "-c", self.dir, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_postfix_check_passes(self):
        r = run("postfix", "-c", self.dir, "check")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("fatal", r.stderr)

    def test_postfix_starts_relays_for_loopback_and_stops(self):
        self.postfix.start()  # raises with the maillog's last lines if it does not start
        master = self.postfix.master_pid
        self.assertTrue(listens_on(master, self.seal_port))
        self.assertFalse(listens_on(master, 25), "port 25 is arcrelay's")
        with socket.create_connection(("127.0.0.1", self.seal_port), timeout=COMMAND_S) as c:
            f = c.makefile("rwb")
            self.assertTrue(f.readline().startswith(b"220 "), "Postfix's greeting")
            f.write(b"QUIT\r\n")
            f.flush()
            self.assertTrue(f.readline().startswith(b"221 "))
        self.assertFalse([line for line in open(self.postfix.maillog)
                          if " fatal: " in line or " panic: " in line])
        self.assertTrue(self.postfix.stop(), "postfix stop ends the master")
        self.assertFalse(os.path.exists(f"/proc/{master}"))

    def test_nothing_of_postfix_on_port_25(self):
        self.assertTrue(self.stock_had_smtp, "Debian's master.cf has the smtp inet line")
        services = self.postconf("-M")
        inet = [line.split()[0] for line in services.splitlines() if " inet " in line]
        self.assertNotIn("smtp", inet)  # Debian's "smtp inet": *:25, or 127.0.0.1:25 here
        self.assertFalse([s for s in inet if s.endswith(":25") or s == "25"], inet)
        self.assertIn(f"127.0.0.1:{self.seal_port}", inet)
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
        line = next(l for l in services.splitlines()
                    if l.startswith(f"127.0.0.1:{self.seal_port}"))
        self.assertIn("smtpd_relay_restrictions=permit_mynetworks,reject", line)
        self.assertEqual(self.postconf("-h", "mynetworks").strip(), "127.0.0.0/8 [::1]/128")


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
