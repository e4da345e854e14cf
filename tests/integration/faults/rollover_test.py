#!/usr/bin/python3
"""Key rollover under steady SMTP load (docs/OPERATIONS.md "Key rollover").

`arcrelay serve` seals with selector rsa2026; SENDERS threads send messages one after the
other for the whole run, retrying like an MTA (harness.Ledger). Meanwhile the configuration
is switched to a new key (selector rsa2027, written by `arcrelay keygen`) and SIGHUP is sent;
then two reloads that must be refused (the key file missing; a key file that holds no key),
each with a "reload failed" log line while the current key keeps sealing.

Checks: acknowledged = delivered, no message lost or stored twice without cause (the
ledger's before-queue promise); every message acknowledged before the first SIGHUP was sealed
with s=rsa2026, every message begun after the reload was logged with s=rsa2027, also after
the refused reloads. Prints the counts. Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA."""
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import harness  # noqa: E402
from harness import ACK, WAIT, Ledger, NextHop, Relay  # noqa: E402

SENDERS = 4
PHASE_S = 3.0  # seconds of load before the first SIGHUP, and between the reloads


def seal_selector(text):
    m = re.search(rb"^ARC-Seal:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", text, re.M | re.I)
    s = m and re.search(rb"\bs=([A-Za-z0-9._-]+)", m.group(0))
    return s.group(1).decode() if s else None


class rollover(unittest.TestCase):
    def test_sighup_switches_the_key_without_losing_a_message(self):
        hop = NextHop()
        relay = Relay(hop.uri)
        with open(relay.config) as f:
            old_config = f.read().replace('level = "warning"', 'level = "info"')
        with open(relay.config, "w") as f:
            f.write(old_config)
        relay.proc.send_signal(signal.SIGHUP)  # the info level, before the load starts
        self.wait_log(relay, "configuration reloaded", 1)

        keys = harness.temp_dir("arcrelay-rollover-keys-")
        done = subprocess.run([harness.BINARY, "keygen", "--algorithm", "rsa-sha256",
                               "--domain", "lists.example.org", "--selector", "rsa2027",
                               "--out", keys], capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        new_key = os.path.join(keys, "lists.example.org.rsa2027.rsa.pem")

        ledger, times, stop = Ledger(), {}, threading.Event()

        def sender(n):
            i = 0
            while not stop.is_set():
                msg_id = f"roll-{n}-{i}@example.com"
                begun = time.time()
                ledger.send(relay.port, msg_id, begun + WAIT)
                times[msg_id] = (begun, time.time())
                i += 1

        threads = [threading.Thread(target=sender, args=(n,)) for n in range(SENDERS)]
        for t in threads:
            t.start()
        try:
            time.sleep(PHASE_S)
            sighup_at = time.time()
            self.switch(relay, old_config.replace('selector = "rsa2026"', 'selector = "rsa2027"')
                        .replace(harness.KEY, new_key))
            reloaded_at = self.wait_log(relay, "configuration reloaded", 2)
            time.sleep(PHASE_S)
            with open(relay.config) as f:
                new_config = f.read()
            missing = os.path.join(keys, "missing.pem")
            self.switch(relay, new_config.replace(new_key, missing))
            self.wait_log(relay, "reload failed", 1)
            time.sleep(PHASE_S)
            garbage = os.path.join(keys, "garbage.pem")
            with open(garbage, "w") as f:
                f.write("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
            self.switch(relay, new_config.replace(new_key, garbage))
            self.wait_log(relay, "reload failed", 2)
            time.sleep(PHASE_S)
        finally:
            stop.set()
            for t in threads:
                t.join(WAIT * 2)
        self.assertEqual(relay.stop(), 0)
        self.addCleanup(relay.log.close)

        delivered = hop.delivered()
        self.assertEqual(ledger.violations(delivered), [])
        summary = ledger.summary(delivered)
        self.assertEqual(summary["acknowledged"], summary["delivered"], summary)
        self.assertEqual(summary["acknowledged"], summary["sent"], summary)

        selectors = {}
        for text in hop.stored_texts():
            m = re.search(rb"^Message-ID:\s*<([^>]+)>", text, re.M | re.I)
            selectors[m.group(1).decode()] = seal_selector(text)
        before = [i for i, (_, end) in times.items() if end < sighup_at]
        after = [i for i, (begun, _) in times.items() if begun > reloaded_at]
        during = len(times) - len(before) - len(after)
        self.assertTrue(before and after, (len(before), len(after)))
        self.assertEqual({selectors[i] for i in before}, {"rsa2026"})
        self.assertEqual({selectors[i] for i in after}, {"rsa2027"})
        log = self.full_log(relay)
        self.assertIn("missing.pem", log)
        self.assertIn("garbage.pem", log)
        print(f"rollover: sent {summary['sent']}, acknowledged {summary['acknowledged']}, "
              f"delivered {summary['delivered']}, retried {ledger.retried()}; sealed "
              f"s=rsa2026 before the SIGHUP {len(before)}, s=rsa2027 after the reload "
              f"{len(after)} (2 refused reloads among them), in flight during it {during}",
              flush=True)

    def switch(self, relay, text):
        """Writes the configuration the way an editor does (a new file renamed over the old
        one, so the daemon never reads half a file) and sends SIGHUP."""
        tmp = relay.config + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        os.rename(tmp, relay.config)
        relay.proc.send_signal(signal.SIGHUP)

    def full_log(self, relay):
        relay.log.flush()
        with open(os.path.join(relay.dir, "log"), "rb") as f:
            return f.read().decode(errors="replace")

    def wait_log(self, relay, text, count):
        """Waits until `text` is in the log `count` times; returns when it was seen."""
        deadline = time.time() + WAIT
        while time.time() < deadline:
            if self.full_log(relay).count(text) >= count:
                return time.time()
            time.sleep(0.02)
        self.fail(f"no {count}x {text!r} in the log: {relay.log_text()}")


if __name__ == "__main__":
    if not harness.BINARY or not harness.DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
