#!/usr/bin/python3
"""DMARC report rows recorded by `arcrelay serve` (tests/integration/relay, RFC 9990 rows).

Posts bench-corpus messages through the daemon with [reports] enabled and reads the rows back
from its SQLite store with Python's sqlite3 (an independent reader): a DMARC pass delivered,
a p=reject failure rejected 550 5.7.1, a p=reject failure rescued by a trusted sealer's ARC
chain (local_policy, arc=pass as[1]... comment), a 4xx'd message that makes no row, and an
incoming DMARC report that makes none either. Then the store made unwritable: mail still
flows, the drop is logged and counted in the metrics; and the store locked by another process
mid-run (past SQLite's busy timeout): the same, and recording resumes when the lock goes. Then
the reports mailed (RFC 9990 5.2)
by `arcrelay reports send` to a scripted SMTP sink: p=reject, p=none, t=y, sp/np, an ARC
rescue, consenting and non-consenting external rua, a suppressed domain, a !size split, a 4xx
retried later and a 5xx never retried; and by `serve` itself with send = true. Reuses
relay_test's Relay and NextHop (the sink).
Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA.
"""
import gzip
import hashlib
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
from itest_support import refused_port  # noqa: E402

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


# ---- mailing the reports (RFC 9990 5.2) ---------------------------------------------------
REPORTER = "dmarc-reports@lists.example.org"  # [reports] email: signed by lists.example.org
SPLIT_RECORDS = 30  # distinct (hashed) envelope senders at split.example: a record each
MAILING_ZONE = """
_dmarc.pnone.example.\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:agg@pnone.example"
_dmarc.testing.example.\tIN\tTXT\t"v=DMARC1; p=reject; t=y; rua=mailto:agg@testing.example"
_dmarc.spnp.example.\tIN\tTXT\t"v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:agg@spnp.example"
sub.spnp.example.\tIN\tA\t192.0.2.55
_dmarc.split.example.\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:agg@split.example!3k"
_dmarc.suppressed.example.\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:agg@suppressed.example"
"""


def from_domain(data, address):
    """2k-s1.eml with another author: example.com's signature breaks, DMARC for `address`'s
    domain fails (no aligned DKIM or SPF)."""
    old = b"From: Alice Example <alice@example.com>"
    assert old in data
    return data.replace(old, b"From: Someone <" + address.encode() + b">", 1)


def attachment(mail):
    """(Subject, file name, XML text) of a report mail, checking its MIME structure."""
    import email
    import email.policy
    msg = email.message_from_bytes(mail, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/mixed", msg.get_content_type()
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "application/gzip"], parts
    assert msg["Auto-Submitted"] == "auto-generated"
    data = parts[1].get_payload(decode=True)
    assert data[:2] == b"\x1f\x8b"
    return str(msg["Subject"]), parts[1].get_filename(), gzip.decompress(data).decode()


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
                                     rf"{re.escape(RUA + ', ' + THIRD_PARTY.split('!')[0])}\n")
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
        self.assertRegex(xml, r"<generator>arcrelay \d+\.\d+\.\d+</generator>")
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
        bad = subprocess.run(base + ["send", "--out"] + cfg, capture_output=True, text=True,
                             timeout=WAIT)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("usage:", bad.stderr)

    def test_reports_are_mailed_once_signed_split_and_retried(self):
        """`arcrelay reports send` mails every finished report through [reports] next_hop:
        4xx deferred and sent on a later run, 5xx failed and never retried, DKIM-valid
        (dkimpy), XSD-valid, read by dmarc-cat, split under a !size limit, nothing to the
        destination without consent or on the suppression list, nothing twice."""
        hop = NextHop()
        sink = NextHop(lmtp=False, mode="tempfail")  # the report next hop
        sink.refuse["agg@pnone.example"] = b"550 5.7.1 no reports wanted"
        directory = tempfile.mkdtemp(prefix="arcrelay-zone-")
        zone = zone_with_rua(directory)
        with open(zone, "a") as f:
            f.write(MAILING_ZONE)
        reports = (f'\n[reports]\nenabled = true\nemail = "{REPORTER}"\n'
                   f'next_hop = "smtp:127.0.0.1:{sink.port}"\nretry_first_s = 60\n'
                   f'suppress = ["suppressed.example"]\n')
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", policy="reject_dmarc = true",
                      arc_extra=f'[arc]\ntrusted_sealers = ["{UPSTREAM}"]', extra=reports,
                      zone=zone)
        s1 = message("2k-s1.eml")
        try:
            self.assertEqual(send(relay.port, s1)[0], 250)                     # pass
            self.assertEqual(send(relay.port, message("2k-b5.eml"))[0], 550)   # p=reject
            self.assertEqual(send(relay.port, message("2k-s3.eml"))[0], 250)   # ARC rescue
            self.assertEqual(send(relay.port, from_domain(s1, "a@pnone.example"))[0], 250)
            self.assertEqual(send(relay.port, from_domain(s1, "a@testing.example"))[0], 250)
            self.assertEqual(send(relay.port, from_domain(s1, "a@sub.spnp.example"))[0], 250)
            self.assertEqual(send(relay.port, from_domain(s1, "a@nx.spnp.example"))[0], 550)
            self.assertEqual(send(relay.port, from_domain(s1, "a@suppressed.example"))[0], 250)
            for i in range(SPLIT_RECORDS):
                self.assertEqual(send(relay.port, from_domain(s1, "a@split.example"),
                                      sender=f"b@{hashlib.sha1(bytes([i])).hexdigest()[:6]}"
                                             ".split.example")[0], 250)
        finally:
            rc = relay.stop()
            hop.close()
        self.assertEqual(rc, 0, relay.log_text())
        tomorrow = int(time.time()) + 86400
        cmd = [relay_test.BINARY, "reports", "send", "--config", relay.config, "--timestamp"]

        def run(t):
            return subprocess.run(cmd + [str(t)], capture_output=True, text=True, timeout=WAIT)

        db = os.path.join(relay.dir, "reports.sqlite")
        store = sqlite3.connect(db, timeout=WAIT)  # another instance is sending
        store.execute("INSERT INTO send_lease (id, owner, expires) VALUES (1, 'mx2:7', ?)",
                      (tomorrow + 600,))
        store.commit()
        try:
            busy = run(tomorrow)
            self.assertEqual((busy.returncode, busy.stdout),
                             (5, "reports: another instance holds the sending lease; not "
                                 "sending\n"), busy.stderr)
            store.execute("DELETE FROM send_lease")
            store.commit()
            store.close()
            first = run(tomorrow)  # the sink answers 451 to every DATA, 550 to pnone's RCPT
            self.assertEqual(first.returncode, 4, first.stdout + first.stderr)  # some failed
            self.assertRegex(first.stdout, r"reports: failed relay\.lists\.example\.org!"
                                           r"pnone\.example!\d+!\d+!\w+\.xml\.gz to "
                                           r"mailto:agg@pnone\.example \(attempt 1, not retried\)"
                                           r": 550 5\.7\.1 no reports wanted\n")
            self.assertRegex(first.stdout, r"reports: deferred \S+!example\.com!\S+ to "
                                           r"mailto:dmarc-reports@example\.com \(attempt 1, next "
                                           rf"at {tomorrow + 60}\): 451 4\.3\.0 try later\n")
            self.assertIn("not to mailto:x@nope.example.org: no DMARC record", first.stdout)
            self.assertIn("not to mailto:agg@suppressed.example: suppressed", first.stdout)
            self.assertEqual(sink.received, [])
            again = run(tomorrow + 30)  # nothing due yet: the backoff holds
            self.assertEqual((again.returncode, again.stdout.splitlines()[-1]),
                             (0, "0 sent, 0 deferred, 0 failed"), again.stdout)
            sink.mode = "ok"
            later = run(tomorrow + 60)
            self.assertEqual(later.returncode, 0, later.stdout + later.stderr)
            mails = list(sink.received)
            last = run(tomorrow + 120)  # everything sent or failed: rows gone, nothing again
            self.assertEqual((last.returncode, last.stdout), (0, "0 sent, 0 deferred, 0 failed\n"))
            self.assertEqual(len(sink.received), len(mails))
        finally:
            sink.close()
        self.check_mailed(mails, zone, later.stdout)

    def check_mailed(self, mails, zone, stdout):
        by_rcpt = {}
        for mail_from, rcpts, data in mails:
            self.assertEqual((mail_from, len(rcpts)), (REPORTER, 1))
            by_rcpt.setdefault(rcpts[0], []).append(data)
        self.assertEqual(sorted(by_rcpt), ["agg@split.example", "agg@spnp.example",
                                           "agg@testing.example", "agg@thirdparty.example.net",
                                           "dmarc-reports@example.com"], stdout)
        self.assertGreaterEqual(len(by_rcpt["agg@split.example"]), 2)  # the !3k split
        for rcpt, datas in by_rcpt.items():
            if rcpt != "agg@split.example":
                self.assertEqual(len(datas), 1, rcpt)  # once
        reports = {}
        tmp = tempfile.mkdtemp(prefix="arcrelay-mailed-")
        for rcpt, datas in by_rcpt.items():
            for n, data in enumerate(datas):
                path = os.path.join(tmp, f"{rcpt}.{n}.eml")
                with open(path, "wb") as f:
                    f.write(data)
                dkim = subprocess.run(["/usr/bin/python3", relay_test.DKIMPY_TOOL, "verify", zone,
                                       path], capture_output=True, text=True, timeout=WAIT)
                self.assertEqual(dkim.stdout.split(), ["pass"], dkim.stderr)
                subject, name, xml = attachment(data)
                rid = re.search(r"<report_id>(\w+)</report_id>", xml).group(1)
                self.assertEqual(re.sub(r"\s+", " ", subject),
                                 f"Report Domain: {name.split('!')[1]} Submitter: "
                                 f"relay.lists.example.org Report-ID: <{rid}>")
                self.assertTrue(name.endswith(f"!{rid}.xml.gz"), name)
                if rcpt == "agg@split.example":
                    self.assertLessEqual(len(data), 3072)
                xml_path = os.path.join(tmp, name)
                with open(xml_path, "wb") as f:
                    f.write(gzip.compress(xml.encode()))
                lint = subprocess.run(["xmllint", "--noout", "--schema", XSD, xml_path],
                                      capture_output=True, text=True, timeout=WAIT)
                self.assertEqual(lint.returncode, 0, lint.stderr)
                cat = subprocess.run(["dmarc-cat", "-N", xml_path], capture_output=True,
                                     text=True, timeout=WAIT)
                self.assertEqual(cat.returncode, 0, cat.stderr)
                reports.setdefault(rcpt, []).append((rid, xml, cat.stdout))
        # example.com: the same report to both consenting destinations.
        (rid_a, xml, cat), = reports["dmarc-reports@example.com"]
        (rid_b, _, _), = reports["agg@thirdparty.example.net"]
        self.assertEqual(rid_a, rid_b)
        self.assertIn("Reports(3):", cat)
        self.assertEqual(xml.count("<comment>arc=pass as[1].d=lists.upstream.example"), 1, xml)
        self.assertEqual(xml.count("<disposition>reject</disposition>"), 1, xml)
        (_, xml, cat), = reports["agg@testing.example"]
        self.assertIn("<testing>y</testing>", xml)
        self.assertIn("<type>policy_test_mode</type>", xml)
        self.assertIn("Reports(1):", cat)
        (_, xml, cat), = reports["agg@spnp.example"]
        self.assertIn("<sp>none</sp>", xml)
        self.assertIn("<np>reject</np>", xml)
        self.assertEqual(xml.count("<disposition>reject</disposition>"), 1, xml)  # nx.
        self.assertEqual(xml.count("<disposition>none</disposition>"), 1, xml)  # sub.
        self.assertNotIn("arc=pass", xml)
        split = reports["agg@split.example"]
        self.assertEqual(len({rid for rid, _, _ in split}), len(split))  # ids differ
        self.assertEqual(sum(x.count("<record>") for _, x, _ in split), SPLIT_RECORDS)
        for _, x, _ in split:
            self.assertNotIn("arc=pass", x)

    def test_serve_sends_due_reports_itself(self):
        """[reports] send = true: `serve` mails the reports of a finished period on its own
        (at start, then every send_interval_s), counted in arcrelay_reports_sent_total, while
        mail keeps flowing."""
        hop = NextHop()
        sink = NextHop(lmtp=False)
        zone = zone_with_rua(tempfile.mkdtemp(prefix="arcrelay-zone-"))
        db = os.path.join(tempfile.mkdtemp(prefix="arcrelay-db-"), "reports.sqlite")
        reports = (f'\n[reports]\nenabled = true\ndatabase = "{db}"\nemail = "{REPORTER}"\n'
                   f'next_hop = "smtp:127.0.0.1:{sink.port}"\n')
        kw = dict(policy="reject_dmarc = true", zone=zone)
        first = Relay(f"lmtp:127.0.0.1:{hop.port}", extra=reports, **kw)
        try:
            self.assertEqual(send(first.port, message("2k-s1.eml"))[0], 250)
            self.assertEqual(send(first.port, message("2k-b5.eml"))[0], 550)
        finally:
            self.assertEqual(first.stop(), 0, first.log_text())
        self.assertEqual(len(rows(db)), 2)
        store = sqlite3.connect(db, timeout=WAIT)  # the rows become yesterday's
        store.execute("UPDATE dmarc_rows SET time = time - 86400")
        store.commit()
        # A report next hop that refuses connections: deferred (4.4.1), rows kept.
        down, down_port = refused_port()
        with open(first.config) as f:
            text = f.read().replace(f"smtp:127.0.0.1:{sink.port}", f"smtp:127.0.0.1:{down_port}")
        unreachable = os.path.join(first.dir, "unreachable.toml")
        with open(unreachable, "w") as f:
            f.write(text)
        off = subprocess.run([relay_test.BINARY, "reports", "send", "--config", unreachable],
                             capture_output=True, text=True, timeout=WAIT)
        down.close()
        self.assertEqual(off.returncode, 3, off.stdout + off.stderr)
        self.assertRegex(off.stdout, r"reports: deferred \S+!example\.com!\S+ to "
                                     r"mailto:dmarc-reports@example\.com \(attempt 1, next at "
                                     r"\d+\): 451 4\.4\.1 ")
        self.assertEqual(len(rows(db)), 2)
        store.execute("DELETE FROM report_deliveries")  # not to wait for the backoff below
        store.commit()
        store.close()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True,
                      extra=reports + "send = true\n", **kw)
        try:
            self.assertEqual(wait_metric(relay.metrics_port, "arcrelay_reports_sent_total", 2),
                             2, relay.log_text())
            self.assertEqual(send(relay.port, message("2k-s1.eml"))[0], 250)
            self.assertEqual(metric(relay.metrics_port, "arcrelay_reports_failed_total"), 0)
            self.assertEqual(metric(relay.metrics_port, "arcrelay_reports_deferred_total"), 0)
        finally:
            rc = relay.stop()
            hop.close()
            sink.close()
        self.assertEqual(rc, 0, relay.log_text())
        self.assertEqual(sorted(r[1][0] for r in sink.received),
                         ["agg@thirdparty.example.net", "dmarc-reports@example.com"])
        log = relay.log_text()
        self.assertIn("reports: sending due reports every 300 s through smtp:127.0.0.1:", log)
        self.assertEqual(log.count("reports: sent relay.lists.example.org!example.com!"), 2, log)
        self.assertEqual(len(rows(db)), 1)  # yesterday's went with the report; today's stays

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
