#!/usr/bin/python3
"""End-to-end tests of `arcrelay serve` on 127.0.0.1 (tests/integration/relay).

Starts the daemon with a generated configuration (static zone tests/data/dns/
bench-corpus-zone.txt, a scripted SMTP/LMTP next hop on a random port), sends bench-corpus
messages with swaks and smtplib, and checks replies, what the next hop received, the ARC
sets (dkimpy arc-verify and `arcrelay verify --zone`), hostile sessions, signals and metrics.
Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA. Every process started is killed by PID at
exit; every socket and process wait has a timeout.
"""
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import STARTED, refused_port, start_listening  # noqa: E402

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
DKIMPY_TOOL = os.path.join(HERE, "..", "..", "tools", "dkimpy_tool.py")
ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
RELAY_DATA = os.path.join(DATA, "relay")
WAIT = 20  # seconds: the longest any single wait may take
LIST = "bench@lists.example.org"



def message(name):
    with open(os.path.join(RELAY_DATA, name), "rb") as f:
        return f.read()


# ---- a scripted next hop (SMTP or LMTP) -------------------------------------------------
class NextHop:
    """Accepts connections on 127.0.0.1 and answers per `mode`:
    ok, tempfail (451 after DATA), reject (554 after DATA), reject_rcpt (550 at RCPT),
    hang (never answers the final dot). Records every delivered transaction. `refuse` maps a
    recipient to the reply its RCPT gets whatever the mode (e.g. b"550 5.7.1 no")."""

    def __init__(self, lmtp=True, mode="ok"):
        self.lmtp = lmtp
        self.mode = mode
        self.received = []  # (mail_from, [rcpts], data bytes)
        self.refuse = {}
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        conn.settimeout(WAIT)
        f = conn.makefile("rb")
        try:
            conn.sendall(b"220 nexthop.test ready\r\n")
            mail_from, rcpts = None, []
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line.strip().upper()
                if cmd.startswith(b"LHLO") or cmd.startswith(b"EHLO"):
                    conn.sendall(b"250-nexthop.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                elif cmd.startswith(b"MAIL FROM:"):
                    mail_from = line.strip()[10:].split(b" ")[0].strip(b"<>").decode()
                    rcpts = []
                    conn.sendall(b"250 2.1.0 ok\r\n")
                elif cmd.startswith(b"RCPT TO:"):
                    rcpt = line.strip()[8:].strip(b"<>").decode()
                    if rcpt in self.refuse:
                        conn.sendall(self.refuse[rcpt] + b"\r\n")
                    elif self.mode == "reject_rcpt":
                        conn.sendall(b"550 5.1.1 no such list\r\n")
                    else:
                        rcpts.append(line.strip()[8:].strip(b"<>").decode())
                        conn.sendall(b"250 2.1.5 ok\r\n")
                elif cmd == b"DATA":
                    if not rcpts:
                        conn.sendall(b"554 5.5.1 no valid recipients\r\n")
                        continue
                    conn.sendall(b"354 go ahead\r\n")
                    data = b""
                    while True:
                        l = f.readline()
                        if not l or l == b".\r\n":
                            break
                        data += l[1:] if l.startswith(b"..") else l
                    if self.mode == "hang":
                        time.sleep(WAIT)
                        return
                    if self.mode in ("mixed_reject", "mixed_defer"):
                        self.received.append((mail_from, rcpts, data))
                        other = b"550 5.1.1 gone\r\n" if self.mode == "mixed_reject" \
                            else b"452 4.2.2 mailbox full\r\n"
                        conn.sendall(b"250 2.0.0 delivered\r\n" + other * (len(rcpts) - 1))
                        continue
                    if self.mode == "tempfail":
                        reply = b"451 4.3.0 try later\r\n"
                    elif self.mode == "reject":
                        reply = b"554 5.6.0 content rejected\r\n"
                    else:
                        self.received.append((mail_from, rcpts, data))
                        reply = b"250 2.0.0 delivered\r\n"
                    conn.sendall(reply * (len(rcpts) if self.lmtp else 1))
                elif cmd == b"RSET":
                    mail_from, rcpts = None, []
                    conn.sendall(b"250 2.0.0 ok\r\n")
                elif cmd == b"QUIT":
                    conn.sendall(b"221 2.0.0 bye\r\n")
                    return
                else:
                    conn.sendall(b"500 5.5.2 what\r\n")
        except OSError:
            return
        finally:
            conn.close()

    def close(self):
        self.stopping = True
        self.sock.close()
        self.thread.join(timeout=WAIT)


# ---- the daemon -------------------------------------------------------------------------
def config_text(port, next_hop_uri, state_dir, prefix="[bench] ", policy="", metrics_port=None,
                limits="", next_hop_extra="", listener_extra="", arc_extra="", extra="",
                zone=ZONE):
    text = f"""
[server]
hostname = "relay.lists.example.org"
authserv_id = "lists.example.org"
threads = 2
state_dir = "{state_dir}"

[[listener]]
name = "in"
address = "127.0.0.1"
port = {port}
stages = "one-pass"
{listener_extra}

[next_hop]
uri = "{next_hop_uri}"
connect_timeout_s = 2
data_term_timeout_s = 2
{next_hop_extra}

[limits]
command_timeout_s = 2
data_block_timeout_s = 2
max_message_size = 100000
max_recipients = 100
{limits}

[[list]]
address = "{LIST}"
subject_prefix = "{prefix}"
list_headers = true

[[list]]
address = "other@lists.example.org"

{arc_extra}

[[arc.key]]
algorithm = "rsa-sha256"
domain = "lists.example.org"
selector = "rsa2026"
private_key = "{RELAY_DATA}/lists.example.org.rsa2026.rsa.pem"

[dns]
zone_file = "{zone}"

[policy]
{policy}

[log]
format = "json"
"""
    if metrics_port:
        text += f'\n[metrics]\naddress = "127.0.0.1"\nport = {metrics_port}\n'
    return text + extra


class Relay:
    """`arcrelay serve` on free ports (the listener, and the metrics endpoint if asked)."""

    def __init__(self, next_hop_uri, metrics=False, **kw):
        self.dir = tempfile.mkdtemp(prefix="arcrelay-it-")
        self.config = os.path.join(self.dir, "arcrelay.toml")
        self.next_hop_uri = next_hop_uri
        self.metrics_port = None
        self.log = open(os.path.join(self.dir, "log"), "wb")

        def launch(port, metrics_port=None):
            self.port, self.metrics_port = port, metrics_port
            self.write_config(**kw)
            proc = subprocess.Popen([BINARY, "serve", "--config", self.config],
                                    stdout=self.log, stderr=self.log)
            STARTED.append(proc)
            return proc

        try:
            self.proc, _ = start_listening(launch, "arcrelay", ports=2 if metrics else 1)
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {self.log_text()}") from None

    def write_config(self, **kw):
        with open(self.config, "w") as f:
            f.write(config_text(self.port, self.next_hop_uri, self.dir,
                                metrics_port=self.metrics_port, **kw))

    def log_text(self):
        with open(os.path.join(self.dir, "log"), "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=WAIT * 2)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=WAIT)
            return None
        finally:
            self.log.close()


def session(port, chunks, read_final=True, pause=0.0):
    """Raw SMTP dialog: sends each chunk, returns everything the server wrote."""
    s = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    out = b""
    try:
        out += s.recv(4096)
        for c in chunks:
            s.sendall(c)
            if pause:
                time.sleep(pause)
        if read_final:
            s.shutdown(socket.SHUT_WR)
            while True:
                try:
                    d = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not d:
                    break
                out += d
    finally:
        s.close()
    return out.decode(errors="replace")


def arc_seal_instances(data):
    """The i= of every ARC-Seal field, top first."""
    fields = re.findall(rb"^ARC-Seal:((?:[^\r]|\r\n[ \t])*)", data, re.M | re.I)
    return [int(re.search(rb"\bi=(\d+)", f).group(1)) for f in fields]


def swaks(port, data_file, to=LIST, helo="mail.example.com", sender="alice@example.com"):
    return subprocess.run(
        ["swaks", "--server", "127.0.0.1", "--port", str(port), "--helo", helo, "--from",
         sender, "--to", to, "--data", data_file, "--timeout", str(WAIT)],
        capture_output=True, timeout=WAIT * 2, text=True)


# ---- tests ------------------------------------------------------------------------------
class RelayTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hop = NextHop(lmtp=True)
        cls.relay = Relay(f"lmtp:127.0.0.1:{cls.hop.port}", metrics=True)
        cls.metrics_port = cls.relay.metrics_port

    @classmethod
    def tearDownClass(cls):
        rc = cls.relay.stop()
        cls.hop.close()
        assert rc == 0, f"arcrelay exit {rc}: {cls.relay.log_text()}"

    def setUp(self):
        self.hop.received.clear()

    def send_smtplib(self, name, rcpts=(LIST,)):
        with smtplib.SMTP("127.0.0.1", self.relay.port, timeout=WAIT) as c:
            c.ehlo("mail.example.com")
            return c.sendmail("alice@example.com", list(rcpts), message(name))

    def delivered(self):
        self.assertEqual(len(self.hop.received), 1, self.relay.log_text())
        return self.hop.received[0]

    def test_swaks_post_is_rewritten_and_sealed(self):
        r = swaks(self.relay.port, os.path.join(RELAY_DATA, "2k-s1.eml"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("<-  250 2.0.0 delivered", r.stdout)
        mail_from, rcpts, data = self.delivered()
        self.assertEqual(mail_from, "bench-bounces@lists.example.org")
        self.assertEqual(rcpts, [LIST])
        text = data.decode(errors="replace")
        self.assertIn("\r\nSubject: [bench] 2k s1:", "\r\n" + text)
        self.assertIn("List-Id: <bench.lists.example.org>", text)
        self.assertIn("Authentication-Results: lists.example.org;", text)
        self.assertEqual(arc_seal_instances(data), [1])
        self.assertIn("Received: from mail.example.com ([127.0.0.1])", text)
        self.check_arc(data, "pass")

    def check_arc(self, data, expected):
        path = os.path.join(self.relay.dir, "delivered.eml")
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run(["/usr/bin/python3", DKIMPY_TOOL, "arc-verify", ZONE, path],
                           capture_output=True, timeout=WAIT * 2, text=True)
        self.assertTrue(r.stdout.startswith(expected), r.stdout + r.stderr)
        v = subprocess.run([BINARY, "verify", "--zone", ZONE, path], capture_output=True,
                           timeout=WAIT * 2, text=True)
        self.assertIn("arc=" + expected, v.stdout, v.stdout + v.stderr)

    def test_smtplib_existing_chain_is_continued(self):
        self.assertEqual(self.send_smtplib("2k-s3.eml"), {})
        _, _, data = self.delivered()
        text = data.decode(errors="replace")
        self.assertEqual(arc_seal_instances(data), [2, 1])
        self.assertIn("Subject: [bench] [upstream] 2k s3", text)
        self.check_arc(data, "pass")

    def test_subject_prefix_not_doubled(self):
        body = message("2k-s1.eml").replace(b"Subject: 2k s1", b"Subject: Re: [bench] 2k s1")
        with smtplib.SMTP("127.0.0.1", self.relay.port, timeout=WAIT) as c:
            c.sendmail("alice@example.com", [LIST], body)
        _, _, data = self.delivered()
        self.assertIn(b"Subject: Re: [bench] 2k s1", data)
        self.assertNotIn(b"[bench] Re: [bench]", data)

    def test_service_address_not_rewritten(self):
        self.assertEqual(self.send_smtplib("2k-s1.eml", ["bench-request@lists.example.org"]), {})
        mail_from, _, data = self.delivered()
        self.assertEqual(mail_from, "alice@example.com")
        self.assertIn(b"Subject: 2k s1", data)
        self.assertNotIn(b"List-Id:", data)

    def test_recipient_outside_lists_550(self):
        with smtplib.SMTP("127.0.0.1", self.relay.port, timeout=WAIT) as c:
            c.ehlo("x.example")
            c.mail("alice@example.com")
            code, msg = c.rcpt("victim@example.com")
            self.assertEqual(code, 550)
            self.assertTrue(msg.startswith(b"5.7.1"), msg)
            code, msg = c.rcpt("nobody@lists.example.org")
            self.assertEqual(code, 550)
            self.assertTrue(msg.startswith(b"5.1.1"), msg)
        self.assertEqual(self.hop.received, [])

    def test_second_list_452(self):
        with smtplib.SMTP("127.0.0.1", self.relay.port, timeout=WAIT) as c:
            c.ehlo("x.example")
            c.mail("alice@example.com")
            self.assertEqual(c.rcpt(LIST)[0], 250)
            code, msg = c.rcpt("other@lists.example.org")
            self.assertEqual(code, 452)
            self.assertTrue(msg.startswith(b"4.5.3"), msg)
            code, msg = c.data(message("2k-s1.eml"))
            self.assertEqual(code, 250, msg)
        _, rcpts, _ = self.delivered()
        self.assertEqual(rcpts, [LIST])

    def test_malformed_header_554_5_6_0(self):
        bad = b"From: a@example.com\r\nthis is not a header\r\n\r\nbody\r\n"
        with smtplib.SMTP("127.0.0.1", self.relay.port, timeout=WAIT) as c:
            c.ehlo("x.example")
            c.mail("alice@example.com")
            c.rcpt(LIST)
            code, msg = c.data(bad)
        self.assertEqual(code, 554)
        self.assertTrue(msg.startswith(b"5.6.0"), msg)
        self.assertEqual(self.hop.received, [])

    def test_metrics_endpoint(self):
        self.send_smtplib("2k-s1.eml")
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics",
                                    timeout=WAIT) as r:
            text = r.read().decode()
        self.assertIn('arcrelay_transactions_total{listener="in",outcome="delivered"}', text)
        self.assertIn('arcrelay_verdicts_total{check="dkim",result="pass"}', text)
        self.assertIn("arcrelay_transaction_seconds_count", text)

    def test_startup_log_names_thread_counts(self):
        # threads = 2 workers; io_threads left at its default: one per 4 workers, at least 1
        self.assertIn("threads: 1 I/O, 2 workers", self.relay.log_text())

    def test_log_line_per_transaction(self):
        self.send_smtplib("2k-s1.eml")
        deadline = time.time() + WAIT
        while time.time() < deadline and '"outcome":"delivered"' not in self.relay.log_text():
            time.sleep(0.1)
        line = [l for l in self.relay.log_text().splitlines() if '"outcome":"delivered"' in l][0]
        for key in ('"id":', '"client":"127.0.0.1"', '"dkim":', '"spf":', '"arc":', '"ms":',
                    '"next_hop":"250 2.0.0 delivered"'):
            self.assertIn(key, line)


class HostileSessionTest(unittest.TestCase):
    """Each entry: dialog bytes -> the reply code (and enhanced code) that must appear."""

    @classmethod
    def setUpClass(cls):
        cls.hop = NextHop(lmtp=True)
        cls.certdir = tempfile.mkdtemp(prefix="arcrelay-tls-")
        cert = os.path.join(cls.certdir, "cert.pem")
        key = os.path.join(cls.certdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", cert, "-days", "2", "-subj", "/CN=relay.lists.example.org"],
                       check=True, capture_output=True, timeout=WAIT * 3)
        cls.relay = Relay(f"lmtp:127.0.0.1:{cls.hop.port}",
                          listener_extra=f'tls_certificate = "{cert}"\ntls_private_key = "{key}"')

    @classmethod
    def tearDownClass(cls):
        rc = cls.relay.stop()
        cls.hop.close()
        assert rc == 0, f"arcrelay exit {rc}"

    def dialog(self, chunks, **kw):
        return session(self.relay.port, chunks, **kw)

    def expect(self, chunks, needle, **kw):
        out = self.dialog(chunks, **kw)
        self.assertIn(needle, out, out)
        return out

    EHLO = b"EHLO x.example\r\n"
    MAIL = b"MAIL FROM:<alice@example.com>\r\n"
    RCPT = b"RCPT TO:<" + LIST.encode() + b">\r\n"

    def test_mail_before_ehlo(self):
        self.expect([b"MAIL FROM:<a@b.example>\r\n"], "503 5.5.1")

    def test_rcpt_before_mail(self):
        self.expect([self.EHLO, self.RCPT], "503 5.5.1")

    def test_data_before_rcpt(self):
        self.expect([self.EHLO, self.MAIL, b"DATA\r\n"], "554 5.5.1")

    def test_data_before_mail(self):
        self.expect([self.EHLO, b"DATA\r\n"], "503 5.5.1")

    def test_unknown_command(self):
        self.expect([self.EHLO, b"FOOBAR\r\n"], "500 5.5.2")

    def test_command_line_too_long(self):
        self.expect([self.EHLO, b"NOOP " + b"x" * 1001 + b"\r\n"], "500 5.5.6")

    def test_101_recipients(self):
        rcpts = [self.RCPT] * 101
        out = self.dialog([self.EHLO, self.MAIL] + rcpts)
        self.assertEqual(out.count("250 2.1.5"), 100, out)
        self.assertIn("452 4.5.3", out)

    def test_oversize_data(self):
        big = b"Subject: x\r\n\r\n" + (b"y" * 998 + b"\r\n") * 120 + b".\r\n"
        out = self.dialog([self.EHLO, self.MAIL, self.RCPT, b"DATA\r\n", big])
        self.assertIn("552 5.3.4", out)

    def test_size_declared_too_big(self):
        self.expect([self.EHLO, b"MAIL FROM:<a@b.example> SIZE=999999999\r\n"], "552 5.3.4")

    def test_bare_lf_in_data(self):
        out = self.dialog([self.EHLO, self.MAIL, self.RCPT, b"DATA\r\n",
                           b"Subject: x\r\n\r\nsmuggled\n.\nMAIL FROM:<x@y>\r\n.\r\n"])
        self.assertRegex(out, r"(550|554) 5\.\d\.\d", out)
        self.assertEqual(self.hop.received, [])

    def test_starttls_before_ehlo(self):
        self.expect([b"STARTTLS\r\n"], "503 5.5.1")

    def test_silent_client_times_out(self):
        s = socket.create_connection(("127.0.0.1", self.relay.port), timeout=WAIT)
        out = b""
        try:
            while True:
                d = s.recv(4096)
                if not d:
                    break
                out += d
        finally:
            s.close()
        self.assertIn(b"421 4.4.2", out)

    def test_disconnect_mid_data(self):
        s = socket.create_connection(("127.0.0.1", self.relay.port), timeout=WAIT)
        s.recv(4096)
        s.sendall(self.EHLO + self.MAIL + self.RCPT + b"DATA\r\nSubject: half\r\n\r\nbody")
        time.sleep(0.3)
        s.close()
        time.sleep(0.3)
        self.assertEqual(self.hop.received, [])
        self.expect([b"NOOP\r\n"], "250")  # the daemon still serves

    def test_helo_then_pipelined_transaction(self):
        msg = message("2k-s1.eml")
        out = self.dialog([self.EHLO + self.MAIL + self.RCPT + b"DATA\r\n", msg + b".\r\n",
                           b"QUIT\r\n"])
        self.assertIn("354", out)
        self.assertIn("221", out)

    def test_recipient_syntax_error(self):
        self.expect([self.EHLO, self.MAIL, b"RCPT TO:<not an address>\r\n"], "501 5.1.3")

    def test_open_relay_attempt(self):
        self.expect([self.EHLO, self.MAIL, b"RCPT TO:<victim@example.com>\r\n"], "550 5.7.1")

    def test_source_route_relay_attempt(self):
        out = self.dialog([self.EHLO, self.MAIL,
                           b"RCPT TO:<@lists.example.org:victim@example.com>\r\n"])
        self.assertRegex(out, r"550 5\.7\.1|501 5\.1\.3|553 5\.1\.\d", out)

    def test_percent_hack_relay_attempt(self):
        self.expect([self.EHLO, self.MAIL,
                     b"RCPT TO:<victim%example.com@lists.example.org>\r\n"], "550 5.1.1")

    def test_second_list(self):
        self.expect([self.EHLO, self.MAIL, self.RCPT,
                     b"RCPT TO:<other@lists.example.org>\r\n"], "452 4.5.3")

    def test_nul_in_command(self):
        out = self.dialog([self.EHLO, b"MAIL FROM:<a\x00@b.example>\r\n"])
        self.assertRegex(out, r"50[01] 5\.5\.\d|501 5\.1\.7", out)

    def test_empty_line(self):
        self.expect([b"\r\n"], "500 5.5.2")

    def test_ehlo_without_name(self):
        self.expect([b"EHLO\r\n"], "501 5.5.4")

    def test_double_mail(self):
        self.expect([self.EHLO, self.MAIL, self.MAIL], "503 5.5.1")

    def test_vrfy_refused(self):
        out = self.dialog([self.EHLO, b"VRFY alice\r\n"])
        self.assertRegex(out, r"252 2\.\d\.\d|502 5\.5\.1", out)

    def test_data_with_argument(self):
        self.expect([self.EHLO, self.MAIL, self.RCPT, b"DATA now\r\n"], "501 5.5.4")

    def test_rset_clears_transaction(self):
        self.expect([self.EHLO, self.MAIL, b"RSET\r\n", b"DATA\r\n"], "503 5.5.1")

    def test_quit_closes(self):
        self.expect([b"QUIT\r\n"], "221 2.0.0")

    def test_data_line_over_998(self):
        out = self.dialog([self.EHLO, self.MAIL, self.RCPT, b"DATA\r\n",
                           b"Subject: x\r\n\r\n" + b"z" * 1200 + b"\r\n.\r\n"])
        self.assertIn("552 5.6.0", out)

    def test_nul_in_data(self):
        out = self.dialog([self.EHLO, self.MAIL, self.RCPT, b"DATA\r\n",
                           b"Subject: x\r\n\r\na\x00b\r\n.\r\n"])
        self.assertIn("550 5.6.0", out)

    def test_bare_cr_in_data(self):
        out = self.dialog([self.EHLO, self.MAIL, self.RCPT, b"DATA\r\n",
                           b"Subject: x\r\n\r\na\rb\r\n.\r\n"])
        self.assertIn("550 5.6.0", out)

    def test_mail_parameters_after_helo(self):
        self.expect([b"HELO x.example\r\n", b"MAIL FROM:<a@b.example> SIZE=10\r\n"],
                    "555 5.5.4")

    def test_unknown_mail_parameter(self):
        self.expect([self.EHLO, b"MAIL FROM:<a@b.example> FOO=BAR\r\n"], "555 5.5.4")

    def test_non_ascii_recipient_without_smtputf8(self):
        self.expect([self.EHLO, self.MAIL, "RCPT TO:<j\u00f6rg@lists.example.org>\r\n".encode()],
                    "553 5.6.7")

    def test_too_many_errors_disconnect(self):
        self.expect([b"BOGUS\r\n" * 25], "421 4.7.0")

    def test_starttls_injection_discarded(self):
        import ssl
        s = socket.create_connection(("127.0.0.1", self.relay.port), timeout=WAIT)
        try:
            f = s.makefile("rb")
            f.readline()
            s.sendall(self.EHLO)
            while not f.readline().startswith(b"250 "):
                pass
            s.sendall(b"STARTTLS\r\n" + self.MAIL)  # the MAIL must be discarded (RFC 3207 4.2)
            self.assertTrue(f.readline().startswith(b"220"))
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            t = ctx.wrap_socket(s, server_hostname="relay.lists.example.org")
            tf = t.makefile("rb")
            t.sendall(self.EHLO)
            while not tf.readline().startswith(b"250 "):
                pass
            t.sendall(self.RCPT)
            self.assertTrue(tf.readline().startswith(b"503 5.5.1"))
            t.close()
        finally:
            s.close()

    def test_high_bit_in_command(self):
        out = self.dialog([self.EHLO, b"MAIL FROM:<\xff\xfe@b.example>\r\n"])
        self.assertRegex(out, r"5\d\d 5\.\d\.\d", out)


class NextHopFailureTest(unittest.TestCase):
    """The final reply waits for the next hop; its failures never become a 250."""

    def run_with(self, uri, rcpts=(LIST,), **kw):
        relay = Relay(uri, **kw)
        try:
            with smtplib.SMTP("127.0.0.1", relay.port, timeout=WAIT * 2) as c:
                c.ehlo("mail.example.com")
                c.mail("alice@example.com")
                for r in rcpts:
                    self.assertEqual(c.rcpt(r)[0], 250)
                return c.data(message("2k-s1.eml"))
        finally:
            self.assertEqual(relay.stop(), 0, relay.log_text())

    def test_next_hop_down_451(self):
        down, port = refused_port()
        try:
            code, msg = self.run_with(f"smtp:127.0.0.1:{port}")
        finally:
            down.close()
        self.assertEqual(code, 451, msg)
        self.assertTrue(msg.startswith(b"4.4."), msg)

    def test_next_hop_tempfail_451(self):
        hop = NextHop(lmtp=False, mode="tempfail")
        try:
            code, msg = self.run_with(f"smtp:127.0.0.1:{hop.port}")
        finally:
            hop.close()
        self.assertEqual(code, 451, msg)
        self.assertEqual(hop.received, [])

    def test_next_hop_reject_5xx(self):
        hop = NextHop(lmtp=True, mode="reject")
        try:
            code, msg = self.run_with(f"lmtp:127.0.0.1:{hop.port}")
        finally:
            hop.close()
        self.assertEqual(code, 554, msg)

    def test_next_hop_refuses_recipient(self):
        hop = NextHop(lmtp=True, mode="reject_rcpt")
        try:
            code, msg = self.run_with(f"lmtp:127.0.0.1:{hop.port}")
        finally:
            hop.close()
        self.assertEqual(code, 550, msg)

    def test_lmtp_mixed_accept_and_refusal_is_refused(self):
        hop = NextHop(lmtp=True, mode="mixed_reject")
        rcpts = ("bench-request@lists.example.org", "bench-owner@lists.example.org")
        try:
            code, msg = self.run_with(f"lmtp:127.0.0.1:{hop.port}", rcpts)
        finally:
            hop.close()
        self.assertEqual(code, 550, msg)
        self.assertIn(b"1 of 2", msg)

    def test_lmtp_mixed_accept_and_deferral_is_451(self):
        hop = NextHop(lmtp=True, mode="mixed_defer")
        rcpts = ("bench-request@lists.example.org", "bench-owner@lists.example.org")
        try:
            code, msg = self.run_with(f"lmtp:127.0.0.1:{hop.port}", rcpts)
        finally:
            hop.close()
        self.assertEqual(code, 451, msg)
        self.assertTrue(msg.startswith(b"4.3.0"), msg)

    def test_next_hop_hangs_451(self):
        hop = NextHop(lmtp=False, mode="hang")
        try:
            code, msg = self.run_with(f"smtp:127.0.0.1:{hop.port}")
        finally:
            hop.close()
        self.assertEqual(code, 451, msg)
        self.assertTrue(msg.startswith(b"4."), msg)


class PolicyAndSignalTest(unittest.TestCase):
    def test_dmarc_reject_5_7_1_and_multiple_5_7_26(self):
        hop = NextHop()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}", policy="reject_dmarc = true")
        try:
            with smtplib.SMTP("127.0.0.1", relay.port, timeout=WAIT) as c:
                c.ehlo("mail.example.com")
                c.mail("alice@example.com")
                c.rcpt(LIST)
                code, msg = c.data(message("2k-b5.eml"))
            self.assertEqual((code, msg[:5]), (550, b"5.7.1"), msg)
            relay.write_config(policy="reject_dmarc = true\nreject_dkim_fail = true")
            os.kill(relay.proc.pid, signal.SIGHUP)
            deadline = time.time() + WAIT
            while time.time() < deadline and "reloaded" not in relay.log_text():
                time.sleep(0.1)
            with smtplib.SMTP("127.0.0.1", relay.port, timeout=WAIT) as c:
                c.ehlo("mail.example.com")
                c.mail("alice@example.com")
                c.rcpt(LIST)
                code, msg = c.data(message("2k-b5.eml"))
            self.assertEqual((code, msg[:6]), (550, b"5.7.26"), msg)
            self.assertEqual(hop.received, [])
        finally:
            self.assertEqual(relay.stop(), 0)
            hop.close()

    def test_sighup_changes_prefix_for_new_transactions(self):
        hop = NextHop()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}")
        try:
            c = smtplib.SMTP("127.0.0.1", relay.port, timeout=WAIT)
            c.ehlo("mail.example.com")
            relay.write_config(prefix="[reloaded] ")
            os.kill(relay.proc.pid, signal.SIGHUP)
            deadline = time.time() + WAIT
            while time.time() < deadline and "reloaded" not in relay.log_text():
                time.sleep(0.1)
            # The connection opened before the reload is still served.
            self.assertEqual(c.sendmail("alice@example.com", [LIST], message("2k-s1.eml")), {})
            c.quit()
            self.assertIn(b"Subject: [reloaded] 2k s1", hop.received[0][2])
        finally:
            self.assertEqual(relay.stop(), 0)
            hop.close()

    def test_sigterm_drains_open_transaction(self):
        hop = NextHop()
        relay = Relay(f"lmtp:127.0.0.1:{hop.port}")
        c = smtplib.SMTP("127.0.0.1", relay.port, timeout=WAIT)
        c.ehlo("mail.example.com")
        c.mail("alice@example.com")
        c.rcpt(LIST)
        os.kill(relay.proc.pid, signal.SIGTERM)
        time.sleep(0.3)
        code, msg = c.data(message("2k-s1.eml"))
        self.assertEqual(code, 250, msg)
        try:
            c.quit()
        except (smtplib.SMTPServerDisconnected, OSError):
            pass
        self.assertEqual(relay.stop(), 0)
        self.assertEqual(len(hop.received), 1)
        hop.close()


class CheckConfigTest(unittest.TestCase):
    def test_valid_and_invalid(self):
        d = tempfile.mkdtemp(prefix="arcrelay-cc-")
        good = os.path.join(d, "good.toml")
        with open(good, "w") as f:
            f.write(config_text(2525, "lmtp:127.0.0.1:8024", d))
        r = subprocess.run([BINARY, "check-config", good], capture_output=True, text=True,
                           timeout=WAIT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("lists.example.org", r.stdout)
        bad = os.path.join(d, "bad.toml")
        with open(bad, "w") as f:
            f.write(config_text(2525, "lmtp:127.0.0.1:8024", d).replace("port = 2525",
                                                                        "port = 99999"))
        r = subprocess.run([BINARY, "check-config", bad], capture_output=True, text=True,
                           timeout=WAIT)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"bad\.toml:\d+:.*port")


if __name__ == "__main__":
    if not BINARY or not DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
