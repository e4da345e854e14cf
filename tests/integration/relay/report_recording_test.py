#!/usr/bin/python3
"""DMARC report rows recorded by `arcrelay serve` (tests/integration/relay, RFC 9990 rows).

Posts bench-corpus messages through the daemon with [reports] enabled and reads the rows back
from its SQLite store with Python's sqlite3 (an independent reader): a DMARC pass delivered,
a p=reject failure rejected 550 5.7.1, a p=reject failure rescued by a trusted sealer's ARC
chain (local_policy, arc=pass as[1]... comment), a 4xx'd message that makes no row, and an
incoming DMARC report that makes none either. Then the store made unwritable: mail still
flows, the drop is logged and counted in the metrics; and the store locked by another process
mid-run (past SQLite's busy timeout): the same, and recording resumes when the lock goes. Reuses relay_test's Relay and NextHop.
Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA.
"""
import gzip
import json
import os
import re
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import relay_test  # noqa: E402
from relay_test import LIST, WAIT, NextHop, Relay, message  # noqa: E402

UPSTREAM = "lists.upstream.example"  # the i=1 sealer of 2k-s3.eml
XSD = os.path.join(relay_test.DATA, "dmarc-reports", "dmarc-xml-0.2.xsd")
RUA = "mailto:dmarc-reports@example.com"
THIRD_PARTY = "mailto:agg@thirdparty.example.net!10m"  # publishes its consent record
NO_CONSENT = "mailto:x@nope.example.org"  # publishes none: never sent to


def zone_with_rua(directory):
    """The bench zone with example.com's DMARC record asking for aggregate reports."""
    with open(relay_test.ZONE) as f:
        text = f.read()
    old = '_dmarc.example.com.\tIN\tTXT\t"v=DMARC1; p=reject; adkim=r; aspf=r"'
    assert old in text
    text = text.replace(old, f'_dmarc.example.com.\tIN\tTXT\t'
                             f'"v=DMARC1; p=reject; rua={RUA},{THIRD_PARTY},{NO_CONSENT}"')
    text += '\nexample.com._report._dmarc.thirdparty.example.net.\tIN\tTXT\t"v=DMARC1;"\n'

    path = os.path.join(directory, "zone.txt")
    with open(path, "w") as f:
        f.write(text)
    return path


def send(port, data, sender="alice@example.com"):
    with smtplib.SMTP("127.0.0.1", port, timeout=WAIT) as c:
        c.ehlo("mail.example.com")
        c.mail(sender)
        c.rcpt(LIST)
        return c.data(data)


def rows(path):
    db = sqlite3.connect(path, timeout=WAIT)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM dmarc_rows ORDER BY id")]
    finally:
        db.close()


def metric(port, name):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=WAIT) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return None


def wait_metric(port, name, value):
    """The metric's value once it equals `value`, or its last value after WAIT seconds."""
    deadline = time.time() + WAIT
    while time.time() < deadline and metric(port, name) != value:
        time.sleep(0.1)
    return metric(port, name)


class ReportRecordingTest(unittest.TestCase):
    def test_rows_for_pass_reject_rescue_and_none_for_4xx_or_reports(self):
        hop = NextHop()
        zone = zone_with_rua(tempfile.mkdtemp(prefix="arcrelay-zone-"))
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True, policy="reject_dmarc = true",
                      arc_extra=f'[arc]\ntrusted_sealers = ["{UPSTREAM}"]',
                      extra="\n[reports]\nenabled = true\n", zone=zone)
        try:
            self.assertEqual(send(relay.port, message("2k-s1.eml"))[0], 250)
            code, text = send(relay.port, message("2k-b5.eml"))
            self.assertEqual((code, text[:5]), (550, b"5.7.1"), text)
            self.assertEqual(send(relay.port, message("2k-s3.eml"))[0], 250, relay.log_text())
            hop.mode = "tempfail"
            self.assertEqual(send(relay.port, message("2k-s1.eml"))[0], 451)
            hop.mode = "ok"
            report_mail = message("2k-s1.eml").replace(
                b"\r\nSubject: ", b"\r\nSubject: Report Domain: example.com Submitter: x "
                                  b"Report-ID: <1> ", 1)
            # The edited Subject breaks example.com's signature: rejected, and still no row.
            self.assertEqual(send(relay.port, report_mail)[0], 550)
            self.assertEqual(wait_metric(relay.metrics_port, "arcrelay_report_rows_recorded", 3),
                             3)
            self.assertEqual(metric(relay.metrics_port, "arcrelay_report_rows_dropped"), 0)
        finally:
            rc = relay.stop()
            hop.close()
        self.assertEqual(rc, 0, relay.log_text())
        got = rows(os.path.join(relay.dir, "reports.sqlite"))
        self.assertEqual(len(got), 3, got)
        passed, rejected, rescued = got
        for r in got:
            self.assertEqual((r["header_from"], r["policy_domain"], r["p"]),
                             ("example.com", "example.com", "reject"))
            self.assertEqual((r["source_ip"], r["envelope_to"]), ("127.0.0.1", "lists.example.org"))
            self.assertEqual(r["discovery_method"], "treewalk")
            self.assertEqual((r["adkim"], r["aspf"], r["testing"]), ("r", "r", 0))
            self.assertEqual(r["spf_scope"], "mfrom")
            self.assertLess(abs(r["time"] - time.time()), 600)
        self.assertEqual((passed["dkim_aligned"], passed["disposition"]), (1, "none"))
        self.assertEqual(json.loads(passed["dkim"]), [["example.com", "rsa2026", "pass"]])
        self.assertEqual(json.loads(passed["reasons"]), [])
        self.assertEqual((rejected["dkim_aligned"], rejected["spf_aligned"],
                          rejected["disposition"]), (0, 0, "reject"))
        self.assertEqual(json.loads(rejected["reasons"]), [])
        self.assertEqual((rescued["dkim_aligned"], rescued["disposition"]), (0, "none"))
        reasons = json.loads(rescued["reasons"])
        self.assertEqual(len(reasons), 1, reasons)
        self.assertEqual(reasons[0][0], "local_policy")
        # 2k-s3's AAR at i=1 names no smtp.remote-ip, so the comment has no client-ip[1].
        self.assertEqual(reasons[0][1], f"arc=pass as[1].d={UPSTREAM} as[1].s=rsa2026")
        self.check_reports_send(relay)

    def check_reports_send(self, relay):
        """`arcrelay reports send --out`: one gzip'd RFC 9990 file that the XSD accepts and
        dmarc-cat reads with the three messages; the rescue's reason on exactly one record."""
        out = tempfile.mkdtemp(prefix="arcrelay-reports-")
        tomorrow = str(int(time.time()) + 86400)
        base = [relay_test.BINARY, "reports"]
        cfg = ["--config", relay.config]
        dry = subprocess.run(base + ["send"] + cfg + ["--dry-run", "--timestamp", tomorrow],
                             capture_output=True, text=True, timeout=WAIT)
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertRegex(dry.stdout, rf"would send relay\.lists\.example\.org!example\.com!\d+!"
                                     rf"\d+![0-9a-f]{{16}}\.xml\.gz \(3 records\) to "
                                     rf"{re.escape(RUA + ', ' + THIRD_PARTY)}\n")
        # RFC 9990 3: the destination that published no consent record is left out.
        self.assertIn(f"not to {NO_CONSENT}: no DMARC record at "
                      "example.com._report._dmarc.nope.example.org", dry.stdout)
        self.assertNotIn(f"not to {THIRD_PARTY}", dry.stdout)
        self.assertEqual(os.listdir(out), [])
        sent = subprocess.run(base + ["send"] + cfg + ["--out", out, "--timestamp", tomorrow],
                              capture_output=True, text=True, timeout=WAIT)
        self.assertEqual(sent.returncode, 0, sent.stderr)
        files = os.listdir(out)
        self.assertEqual(len(files), 1, sent.stdout)
        again = subprocess.run(base + ["send"] + cfg + ["--out", out, "--timestamp", tomorrow],
                               capture_output=True, text=True, timeout=WAIT)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(os.listdir(out), files)  # the same Report-ID, the same file
        path = os.path.join(out, files[0])
        with open(path, "rb") as f:
            self.assertEqual(f.read(2), b"\x1f\x8b")  # gzip
        lint = subprocess.run(["xmllint", "--noout", "--schema", XSD, path], capture_output=True,
                              text=True, timeout=WAIT)
        self.assertEqual(lint.returncode, 0, lint.stderr)
        cat = subprocess.run(["dmarc-cat", "-N", path], capture_output=True, text=True,
                             timeout=WAIT)
        self.assertEqual(cat.returncode, 0, cat.stderr)
        self.assertIn("Domain: example.com", cat.stdout)
        self.assertIn("Reports(3):", cat.stdout)
        self.assertEqual(len(re.findall(r"^127\.0\.0\.1\s+1\s+example\.com", cat.stdout, re.M)),
                         3, cat.stdout)
        with gzip.open(path, "rt") as f:
            xml = f.read()
        self.assertEqual(xml.count("<comment>arc=pass as[1].d=lists.upstream.example"), 1, xml)
        self.assertEqual(xml.count("<disposition>reject</disposition>"), 1, xml)
        self.assertIn("<generator>arcrelay 0.1.0</generator>", xml)
        # Nothing for the current period yet: it has not ended.
        now = subprocess.run(base + ["send"] + cfg + ["--dry-run"], capture_output=True,
                             text=True, timeout=WAIT)
        self.assertEqual((now.returncode, now.stdout), (0, ""))
        show = subprocess.run(base + ["show", "example.com"] + cfg, capture_output=True,
                              text=True, timeout=WAIT)
        self.assertEqual(show.returncode, 0, show.stderr)
        self.assertIn("3 messages in 3 records", show.stdout)
        self.assertIn("local_policy (arc=pass as[1].d=lists.upstream.example", show.stdout)
        status = subprocess.run(base + ["status"] + cfg, capture_output=True, text=True,
                                timeout=WAIT)
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertIn("example.com: 3 rows", status.stdout)
        bad = subprocess.run(base + ["send"] + cfg, capture_output=True, text=True, timeout=WAIT)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("mailing reports is not in this version", bad.stderr)

    def test_a_store_locked_mid_run_never_holds_mail_back(self):
        """Another process holds SQLite's write lock past the busy timeout (what a stuck
        `sqlite3` shell or a full disk does to the writer): posts keep their 250 in time, the
        rows are dropped and counted with one log line for the streak, and recording resumes
        when the lock goes (the recorder reopens the store)."""
        hop = NextHop()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True,
                      extra="\n[reports]\nenabled = true\n")
        recorded, dropped = "arcrelay_report_rows_recorded", "arcrelay_report_rows_dropped"
        try:
            port, metrics = relay.port, relay.metrics_port
            self.assertEqual(send(port, message("2k-s1.eml"))[0], 250)
            self.assertEqual(wait_metric(metrics, recorded, 1), 1)
            lock = sqlite3.connect(os.path.join(relay.dir, "reports.sqlite"),
                                   isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")
            for _ in range(2):
                start = time.time()
                self.assertEqual(send(port, message("2k-s1.eml"))[0], 250)
                self.assertLess(time.time() - start, 3)
            self.assertEqual(wait_metric(metrics, dropped, 2), 2, relay.log_text())
            lock.execute("ROLLBACK")
            lock.close()
            sent, deadline = 3, time.time() + WAIT
            while metric(metrics, recorded) == 1 and time.time() < deadline:
                self.assertEqual(send(port, message("2k-s1.eml"))[0], 250)
                sent += 1
                time.sleep(0.5)
            kept = wait_metric(metrics, recorded, sent - metric(metrics, dropped))
            self.assertGreater(kept, 1, relay.log_text())
            self.assertEqual(kept + metric(metrics, dropped), sent)
            self.assertEqual(len(hop.received), sent)
        finally:
            rc = relay.stop()
            hop.close()
        self.assertEqual(rc, 0, relay.log_text())
        log = relay.log_text()
        self.assertEqual(log.count("DMARC report rows not recorded"), 1, log)
        self.assertIn("database is locked", log)
        self.assertIn("recording DMARC report rows again", log)
        self.assertEqual(len(rows(os.path.join(relay.dir, "reports.sqlite"))), kept)

    def test_an_unusable_store_never_holds_mail_back(self):
        hop = NextHop()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True,
                      extra='\n[reports]\nenabled = true\n'
                            'database = "/nonexistent/arcrelay/reports.sqlite"\n')
        try:
            for _ in range(3):
                self.assertEqual(send(relay.port, message("2k-s1.eml"))[0], 250)
            self.assertEqual(len(hop.received), 3)
            self.assertEqual(wait_metric(relay.metrics_port, "arcrelay_report_rows_dropped", 3), 3)
            self.assertEqual(metric(relay.metrics_port, "arcrelay_report_rows_recorded"), 0)
        finally:
            rc = relay.stop()
            hop.close()
        self.assertEqual(rc, 0, relay.log_text())
        log = relay.log_text()
        self.assertIn("DMARC report rows not recorded: cannot open the report store: "
                      "/nonexistent/arcrelay/reports.sqlite: cannot open", log)


if __name__ == "__main__":
    if not relay_test.BINARY or not relay_test.DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
