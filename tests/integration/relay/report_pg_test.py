#!/usr/bin/python3
"""Two `arcrelay serve` instances recording DMARC report rows in one real PostgreSQL server
(issue 11: several instances behind one MX, one shared store; tests/integration/relay).

tests/tools/pg_cluster.py starts the server on 127.0.0.1 with a role and a database as
docs/OPERATIONS.md says to create them. Both instances start at the same moment on the empty
database (the schema is migrated once, under the advisory lock); posts of three outcomes are
spread over both, from several clients at once; every row is in the database (counted by
domain and disposition with the server's own psql), `arcrelay reports status` reads them
back through the same URI, and no log or output shows the password. Two `arcrelay reports
send` started at the same moment on three finished days: each report reaches the loopback
sink exactly once per rua destination (the sending lease); and two `serve` instances with
send = true started together over yesterday's rows: the same. Then the server stopped
under a running instance and started again: mail flows, rows are dropped and counted with one
log line, recording resumes. Reuses relay_test's Relay
and NextHop and report_recording_test's send/metric helpers.
Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA; skipped (exit 77) only when no server can run.
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import pg_cluster  # noqa: E402
import relay_test  # noqa: E402
from relay_test import WAIT, NextHop, Relay, message  # noqa: E402
from itest_support import STARTED  # noqa: E402
from report_recording_test import (REPORTER, UPSTREAM, metric, send, wait_metric,  # noqa: E402
                                   zone_with_rua)

RECORDED, DROPPED = "arcrelay_report_rows_recorded", "arcrelay_report_rows_dropped"
POST_BUDGET = 3  # seconds: a post through the relay may take this long, store or no store
ROUNDS = 10  # each round: a pass, a p=reject failure and an ARC rescue, on each instance


def reports_config(uri):
    return f'\n[reports]\nenabled = true\ndatabase = "{uri}"\n'


def sending_setup(uri):
    """The next hop, the report sink, the zone with rua records and the [reports] lines of a
    sending instance on `uri`. -> (hop, sink, zone, extra config)."""
    hop, sink = NextHop(), NextHop(lmtp=False)
    zone = zone_with_rua(tempfile.mkdtemp(prefix="arcrelay-zone-"))
    extra = (reports_config(uri) + f'email = "{REPORTER}"\n'
             f'next_hop = "smtp:127.0.0.1:{sink.port}"\n')
    return hop, sink, zone, extra


def race(commands):
    """Starts every command at the same moment; [(exit code, stdout + stderr)]."""
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for c in commands]
    STARTED.extend(procs)
    return [(p.wait(timeout=WAIT), p.stdout.read()) for p in procs]


def timed_send(test, port, name="2k-s1.eml"):
    """One post; asserts it was answered within POST_BUDGET. Returns the reply code."""
    start = time.time()
    code = send(port, message(name))[0]
    test.assertLess(time.time() - start, POST_BUDGET)
    return code


class TwoInstancesOnePostgresTest(unittest.TestCase):
    def test_every_row_of_both_instances_is_recorded_once(self):
        with pg_cluster.Cluster() as pg:
            uri = pg.create_database("arcrelay", "reports")
            hop = NextHop()
            relays = []
            # Started back to back: both migrate the empty database at about the same time.
            starters = [threading.Thread(target=lambda: relays.append(Relay(
                f"lmtp:127.0.0.1:{hop.port}", metrics=True, policy="reject_dmarc = true",
                arc_extra=f'[arc]\ntrusted_sealers = ["{UPSTREAM}"]',
                extra=reports_config(uri)))) for _ in range(2)]
            for t in starters:
                t.start()
            for t in starters:
                t.join(timeout=WAIT * 2)
            self.assertEqual(len(relays), 2)
            try:
                self.post_everywhere(relays)
                expected = 3 * ROUNDS
                for r in relays:
                    self.assertEqual(wait_metric(r.metrics_port, "arcrelay_report_rows_recorded",
                                                 expected), expected, r.log_text())
                    self.assertEqual(metric(r.metrics_port, "arcrelay_report_rows_dropped"), 0)
                self.assertEqual(len(hop.received), 2 * 2 * ROUNDS)  # pass + rescue delivered
                status = subprocess.run([relay_test.BINARY, "reports", "status", "--config",
                                         relays[0].config], capture_output=True, text=True,
                                        timeout=WAIT)
            finally:
                codes = [r.stop() for r in relays]
                hop.close()
            self.assertEqual(codes, [0, 0], [r.log_text() for r in relays])
            counts = pg.psql("SELECT policy_domain, disposition, count(*) FROM dmarc_rows "
                             "GROUP BY 1, 2 ORDER BY 1, 2", db="reports")
            self.assertEqual(counts.splitlines(), [f"example.com|none|{4 * ROUNDS}",
                                                   f"example.com|reject|{2 * ROUNDS}"])
            rescued = pg.psql("SELECT count(*) FROM dmarc_rows WHERE reasons LIKE "
                              "'%arc=pass as[1].d=lists.upstream.example%'", db="reports")
            self.assertEqual(rescued, str(2 * ROUNDS))
            self.assertEqual(pg.psql("SELECT count(*) FROM schema_version", db="reports"), "1")
            self.assertEqual(status.returncode, 0, status.stderr)
            self.assertIn(f"database postgresql://arcrelay@127.0.0.1:{pg.port}/reports "
                          f"(schema version 2): {6 * ROUNDS} rows", status.stdout)
            self.assertIn(f"example.com: {6 * ROUNDS} rows", status.stdout)
            check = subprocess.run([relay_test.BINARY, "check-config",
                                    relays[0].config], capture_output=True, text=True,
                                   timeout=WAIT)
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertIn(f"to PostgreSQL postgresql://arcrelay@127.0.0.1:{pg.port}/reports "
                          "(shared: every instance naming it writes there)", check.stdout)
            for text in [r.log_text() for r in relays] + [status.stdout, status.stderr,
                                                          check.stdout, check.stderr]:
                self.assertNotIn(pg_cluster.PASSWORD, text)
            self.assertIn(f"recording DMARC report rows in postgresql://arcrelay@127.0.0.1:"
                          f"{pg.port}/reports", relays[0].log_text())

    def test_two_senders_at_once_mail_each_report_exactly_once(self):
        """Rows from both instances, a finished day: two `arcrelay reports send` (one per
        instance's configuration) start at the same moment; one holds the sending lease and
        mails, the other finds it held (exit 5) or finds nothing left to send. Each report
        reaches the loopback sink once per rua destination. Three days, three races."""
        with pg_cluster.Cluster() as pg:
            uri = pg.create_database("arcrelay", "reports")
            hop, sink, zone, extra = sending_setup(uri)
            relays = [Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True, extra=extra, zone=zone,
                            policy="reject_dmarc = true") for _ in range(2)]
            outcomes = []
            try:
                for day in range(1, 4):
                    for r in relays:
                        self.assertEqual(send(r.port, message("2k-s1.eml"))[0], 250)
                        self.assertEqual(send(r.port, message("2k-b5.eml"))[0], 550)
                    for r in relays:  # both instances' rows are in before the day ends
                        self.assertEqual(wait_metric(r.metrics_port, RECORDED, 2 * day),
                                         2 * day)
                    # Today's rows become a finished day of their own (one day further back
                    # each round: a new period, so new Report-IDs).
                    pg.psql(f"UPDATE dmarc_rows SET time = time - {86400 * day} "
                            f"WHERE time > extract(epoch FROM now()) - 3600", db="reports")
                    outcomes.append(race([[relay_test.BINARY, "reports", "send", "--config",
                                           r.config] for r in relays]))
            finally:
                codes = [r.stop() for r in relays]
                hop.close()
                sink.close()
            self.assertEqual(codes, [0, 0])
            for results in outcomes:
                rcs = sorted(rc for rc, _ in results)
                print(f"race: exit codes {rcs}", file=sys.stderr)
                self.assertIn(rcs, ([0, 0], [0, 5]), results)
                sent = [out for _, out in results if "\n2 sent, " in out]
                self.assertEqual(len(sent), 1, results)  # one process mailed both destinations
            rcpts = sorted(r[1][0] for r in sink.received)
            self.assertEqual(rcpts, ["agg@thirdparty.example.net"] * 3
                             + ["dmarc-reports@example.com"] * 3, sink.received)
            ids = [re.search(rb"Report-ID: <([^>]+)>", r[2]).group(1) for r in sink.received]
            self.assertEqual(len(set(ids)), 3, ids)  # one report per day, each to two rua
            for mail in (r[2] for r in sink.received):
                self.assertIn(b"Report Domain: example.com", mail)
            self.assertEqual(pg.psql("SELECT count(*) FROM report_deliveries WHERE state = "
                                     "'sent'", db="reports"), "6")
            self.assertEqual(pg.psql("SELECT count(*) FROM dmarc_rows", db="reports"), "0")

    def test_two_serve_instances_sending_at_start_mail_each_report_once(self):
        """[reports] send = true on both instances, started together over yesterday's rows:
        both try to send at start; the sink gets the report once per rua destination, and
        the instances' arcrelay_reports_sent_total add up to that."""
        with pg_cluster.Cluster() as pg:
            uri = pg.create_database("arcrelay", "reports")
            hop, sink, zone, extra = sending_setup(uri)
            kw = dict(zone=zone, policy="reject_dmarc = true")
            first = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True, extra=extra, **kw)
            try:
                self.assertEqual(send(first.port, message("2k-s1.eml"))[0], 250)
                self.assertEqual(send(first.port, message("2k-b5.eml"))[0], 550)
                self.assertEqual(wait_metric(first.metrics_port, RECORDED, 2), 2)
            finally:
                self.assertEqual(first.stop(), 0, first.log_text())
            pg.psql("UPDATE dmarc_rows SET time = time - 86400", db="reports")
            relays = []
            starters = [threading.Thread(target=lambda: relays.append(Relay(
                f"lmtp:127.0.0.1:{hop.port}", metrics=True, extra=extra + "send = true\n",
                **kw))) for _ in range(2)]
            for t in starters:
                t.start()
            for t in starters:
                t.join(timeout=WAIT * 2)
            try:
                self.assertEqual(len(relays), 2)
                deadline = time.time() + WAIT
                while len(sink.received) < 2 and time.time() < deadline:
                    time.sleep(0.1)
                time.sleep(1)  # room for a second copy to arrive, if one were sent
                sent = [metric(r.metrics_port, "arcrelay_reports_sent_total") for r in relays]
            finally:
                codes = [r.stop() for r in relays]
                hop.close()
                sink.close()
            self.assertEqual(codes, [0, 0], [r.log_text() for r in relays])
            print(f"serve race: sent by each instance {sent}", file=sys.stderr)
            self.assertEqual(sorted(r[1][0] for r in sink.received),
                             ["agg@thirdparty.example.net", "dmarc-reports@example.com"])
            self.assertEqual(sum(sent), 2, [r.log_text() for r in relays])

    def test_postgresql_stopped_mid_run_never_holds_mail_back(self):
        """The server stops under a running instance: posts keep their 250 within the time a
        post takes, the rows meanwhile are counted as dropped with one log line for the
        streak, and recording resumes once the server is back (the store reconnects)."""
        with pg_cluster.Cluster() as pg:
            uri = pg.create_database("arcrelay", "reports")
            hop = NextHop()
            relay = Relay(f"lmtp:127.0.0.1:{hop.port}", metrics=True, extra=reports_config(uri))
            try:
                port, metrics = relay.port, relay.metrics_port
                for _ in range(3):
                    self.assertEqual(timed_send(self, port), 250)
                self.assertEqual(wait_metric(metrics, RECORDED, 3), 3)
                pg.stop()
                for _ in range(3):
                    self.assertEqual(timed_send(self, port), 250)
                self.assertEqual(wait_metric(metrics, DROPPED, 3), 3, relay.log_text())
                pg.start()  # same data directory, same port
                # The recorder reopens the store at most every 5 s: post until a row lands.
                sent, deadline = 6, time.time() + WAIT
                while metric(metrics, RECORDED) == 3 and time.time() < deadline:
                    self.assertEqual(timed_send(self, port), 250)
                    sent += 1
                    time.sleep(0.5)
                    metric(metrics, RECORDED)
                recorded = wait_metric(metrics, RECORDED, sent - metric(metrics, DROPPED))
                dropped = metric(metrics, DROPPED)
                self.assertGreater(recorded, 3, relay.log_text())
                self.assertEqual(recorded + dropped, sent)
                self.assertEqual(len(hop.received), sent)  # every post delivered
            finally:
                rc = relay.stop()
                hop.close()
            self.assertEqual(rc, 0, relay.log_text())
            self.assertEqual(pg.psql("SELECT count(*) FROM dmarc_rows", db="reports"),
                             str(int(recorded)))
            log = relay.log_text()
            self.assertEqual(log.count("DMARC report rows not recorded"), 1, log)
            self.assertIn("recording DMARC report rows again", log)
            self.assertNotIn(pg_cluster.PASSWORD, log)

    def post_everywhere(self, relays):
        """ROUNDS of pass / reject / rescue on each instance, the instances in parallel."""
        failures = []

        def post(relay):
            try:
                for _ in range(ROUNDS):
                    for name, code in (("2k-s1.eml", 250), ("2k-b5.eml", 550),
                                       ("2k-s3.eml", 250)):
                        got = send(relay.port, message(name))[0]
                        if got != code:
                            failures.append((relay.port, name, got))
            except Exception as e:  # noqa: BLE001 - reported below, with the instance
                failures.append((relay.port, repr(e)))

        threads = [threading.Thread(target=post, args=(r,)) for r in relays]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=WAIT * 4)
        self.assertEqual(failures, [])


if __name__ == "__main__":
    if not relay_test.BINARY or not relay_test.DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    why = pg_cluster.unavailable()
    if why:
        print(f"SKIPPED: {why}")
        sys.exit(pg_cluster.SKIP)
    unittest.main(verbosity=2)
