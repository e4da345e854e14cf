#!/usr/bin/python3
"""arcrelay between Postfix's own test tools (tests/integration/postfix).

smtp-source (parallel SMTP client) -> `arcrelay serve` (one-pass: verify, record, rewrite,
seal) -> smtp-sink (SMTP server that dumps every transaction to a file with -d). Checks that
every message smtp-source had acknowledged arrives exactly once, rewritten for the list
(bounce address, Subject prefix, Authentication-Results) and ARC-sealed so that
`arcrelay verify --zone` (and dkimpy, for RSA-only sealing) reports arc=pass; and that a
next hop answering 4xx makes arcrelay answer 4xx with nothing counted as delivered.
Static DNS: tests/data/dns/bench-corpus-zone.txt. Needs ARCRELAY_BINARY, ARCRELAY_TEST_DATA
and Debian's postfix (scripts/deps/postfix.txt). Every process started is killed by PID at
exit; every wait has a deadline.
"""
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import STARTED, start_listening  # noqa: E402
from seal_config import arc_key, one_pass_config  # noqa: E402

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
DKIMPY_TOOL = os.path.join(HERE, "..", "..", "tools", "dkimpy_tool.py")
ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
KEYS = os.path.join(DATA, "arc", "bench-corpus", "keys")
POST = os.path.join(DATA, "relay", "2k-s1.eml")  # DKIM rsa pass, no ARC
SMTP_SOURCE = "/usr/sbin/smtp-source"
SMTP_SINK = "/usr/sbin/smtp-sink"
LIST = "bench@lists.example.org"
BOUNCES = "bench-bounces@lists.example.org"
WAIT = 15  # seconds: the longest any single wait may take
SESSIONS, MESSAGES = 5, 50  # the main run: smtp-source -s 5 -m 50
WATCHDOG = 120  # seconds: the whole run, whatever hangs
DKIMPY_SAMPLE = 2  # copies also checked with dkimpy (a Python start each: slow)
VERIFY_JOBS = 4  # verifier processes at a time



def watchdog(signum, frame):
    raise TimeoutError(f"postfix_test exceeded {WATCHDOG} s")


signal.signal(signal.SIGALRM, watchdog)
signal.alarm(WATCHDOG)


def start(argv, log):
    proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    STARTED.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT)
        return None


# ---- smtp-sink: the next hop --------------------------------------------------------------
class Sink:
    """smtp-sink on 127.0.0.1, one dump file per transaction in self.dumps (-d).
    `extra` adds options such as ("-r", ".") (answer 4xx to the final dot)."""

    def __init__(self, workdir, extra=()):
        self.dumps = os.path.join(workdir, "sink")
        os.mkdir(self.dumps)
        os.chmod(self.dumps, 0o777)  # smtp-sink drops to -u nobody before it writes
        user = ["-u", "nobody"] if os.geteuid() == 0 else []  # required when root
        self.log = open(os.path.join(workdir, "sink.log"), "wb")
        self.proc, (self.port,) = start_listening(
            lambda port: start([SMTP_SINK, *user, "-h", "nexthop.test", "-t", str(WAIT), *extra,
                                "-d", os.path.join(self.dumps, "msg."), f"127.0.0.1:{port}",
                                "64"], self.log), "smtp-sink")

    def files(self):
        return sorted(os.path.join(self.dumps, n) for n in os.listdir(self.dumps))

    def close(self):
        stop(self.proc)
        self.log.close()


def parse_dump(path):
    """smtp-sink's dump: X-Client-Addr .. X-Rcpt-Args, a three-line Received field, the
    message with LF line ends, one empty line. Returns (mail args, [rcpt args], CRLF bytes)."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    mail, rcpts, i = None, [], 0
    while not lines[i].startswith(b"Received: "):
        name, _, value = lines[i].partition(b": ")
        if name == b"X-Mail-Args":
            mail = value.decode()
        elif name == b"X-Rcpt-Args":
            rcpts.append(value.decode())
        i += 1
    i += 3  # smtp-sink's own Received field
    body = lines[i:]
    assert body[-2:] == [b"", b""], f"{path}: no trailing empty line"
    return mail, rcpts, b"\r\n".join(body[:-2]) + b"\r\n"


# ---- arcrelay -----------------------------------------------------------------------------
def key_block(algorithm, selector, stem):
    return arc_key(algorithm, "lists.example.org", selector,
                   f"{KEYS}/lists.example.org.{stem}.pem")


RSA_KEY = key_block("rsa-sha256", "rsa2026", "rsa2026.rsa")
ED_KEY = key_block("ed25519-sha256", "ed2026", "ed2026.ed25519")


class Relay:
    def __init__(self, workdir, sink_port, keys):
        self.dir = workdir
        self.log = open(os.path.join(workdir, "arcrelay.log"), "wb")
        self.proc, (self.port, self.metrics_port) = start_listening(
            lambda port, metrics_port: self.launch(port, metrics_port, sink_port, keys),
            "arcrelay", ports=2)

    def launch(self, port, metrics_port, sink_port, keys):
        config = os.path.join(self.dir, "arcrelay.toml")
        with open(config, "w") as f:
            f.write(one_pass_config(
                port, self.dir, f"smtp:127.0.0.1:{sink_port}", LIST, keys, ZONE, threads=2,
                next_hop="connect_timeout_s = 2\ndata_term_timeout_s = 5\n",
                list_settings='subject_prefix = "[bench] "\n',
                tables=f"""
[limits]
command_timeout_s = 5
data_block_timeout_s = 5

[metrics]
address = "127.0.0.1"
port = {metrics_port}
"""))
        return start([BINARY, "serve", "--config", config], self.log)

    def log_text(self):
        with open(os.path.join(self.dir, "arcrelay.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def delivered(self):
        """arcrelay_transactions_total{outcome="delivered"} from the metrics endpoint."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics",
                                    timeout=WAIT) as r:
            text = r.read().decode()
        m = re.search(r'^arcrelay_transactions_total\{listener="in",outcome="delivered"\} (\d+)',
                      text, re.M)
        return int(m.group(1)) if m else 0

    def close(self):
        rc = stop(self.proc)
        self.log.close()
        return rc


def lf_post(workdir):
    """POST with LF line ends: smtp-source -F appends CRLF to each line as read (a CRLF
    file would arrive with bare CRs)."""
    path = os.path.join(workdir, "post.txt")
    with open(POST, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read().replace(b"\r\n", b"\n"))
    return path


def smtp_source(workdir, port, sessions, messages, keep_going=False):
    argv = [SMTP_SOURCE, "-s", str(sessions), "-m", str(messages), "-M", "mail.example.com",
            "-f", "alice@example.com", "-t", LIST, "-F", lf_post(workdir), f"127.0.0.1:{port}"]
    if keep_going:
        argv.insert(1, "-A")  # log unexpected replies as warnings instead of stopping
    return subprocess.run(argv, capture_output=True, text=True, timeout=WAIT * 2,
                          stdin=subprocess.DEVNULL)


def header_fields(data, name):
    """Every field `name` (unfolded) of the message header."""
    head = data.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
    return [re.sub(r"\r\n[ \t]+", " ", m) for m in
            re.findall(rf"^{name}:((?:[^\r]|\r\n[ \t])*)", head, re.M | re.I)]


# ---- tests --------------------------------------------------------------------------------
class PostfixPeerTest(unittest.TestCase):
    def run_relay(self, keys, sink_options=()):
        """A fresh smtp-sink and arcrelay in their own folder, stopped when the test ends."""
        self.dir = tempfile.mkdtemp(prefix="arcrelay-postfix-")
        os.chmod(self.dir, 0o755)  # smtp-sink runs as nobody below it
        self.addCleanup(shutil.rmtree, self.dir, True)  # runs last, after the stops
        sink = Sink(self.dir, sink_options)
        self.addCleanup(sink.close)
        relay = Relay(self.dir, sink.port, keys)
        self.addCleanup(relay.close)
        return sink, relay

    def received(self, sink, expected):
        """The sink's dumps once `expected` are there (bounded), then checked to stay so."""
        deadline = time.time() + WAIT
        while len(sink.files()) < expected and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
        files = sink.files()
        self.assertEqual(len(files), expected, files)
        return [parse_dump(f) for f in files]

    def check_copy(self, index, mail, rcpts, data, seals):
        """Checks one received copy; returns the path it was saved under (CRLF)."""
        where = f"copy {index}"
        self.assertTrue(mail.startswith(f"<{BOUNCES}>"), f"{where}: MAIL {mail}")
        self.assertEqual(rcpts, [f"<{LIST}>"], where)
        subject = header_fields(data, "Subject")
        self.assertEqual(len(subject), 1, where)
        self.assertTrue(subject[0].startswith(" [bench] 2k s1:"), f"{where}: {subject}")
        results = header_fields(data, "Authentication-Results")
        self.assertEqual(len(results), 1, f"{where}: {results}")
        self.assertTrue(results[0].startswith(" lists.example.org;"), f"{where}: {results}")
        # the author signature survived smtp-source and arcrelay's reception intact
        self.assertIn("dkim=pass", results[0], where)
        arc = [int(re.search(r"\bi=(\d+)", s).group(1)) for s in header_fields(data, "ARC-Seal")]
        self.assertEqual(arc, [1] * seals, where)
        path = os.path.join(self.dir, f"copy-{index}.eml")
        with open(path, "wb") as f:
            f.write(data)
        return path

    def check_arc(self, paths, dkimpy_paths):
        """`arcrelay verify --zone` on every path, dkimpy arc-verify on dkimpy_paths: each
        must report arc=pass. Run VERIFY_JOBS at a time (one process per message)."""
        def run(argv):
            return subprocess.run(argv, capture_output=True, text=True, timeout=WAIT * 2)

        jobs = [([BINARY, "verify", "--zone", ZONE, p], "arc=pass", True) for p in paths]
        jobs += [(["/usr/bin/python3", DKIMPY_TOOL, "arc-verify", ZONE, p], "pass", False)
                 for p in dkimpy_paths]
        with concurrent.futures.ThreadPoolExecutor(VERIFY_JOBS) as pool:
            done = pool.map(run, [argv for argv, _, _ in jobs])
            for (argv, expected, anywhere), r in zip(jobs, done):
                ok = expected in r.stdout if anywhere else r.stdout.startswith(expected)
                self.assertTrue(ok, f"{argv}: {r.stdout}{r.stderr}")

    def relay_all(self, keys, sessions, messages, seals, rsa_only):
        sink, relay = self.run_relay(keys)
        r = smtp_source(self.dir, relay.port, sessions, messages)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr + relay.log_text())
        self.assertEqual(r.stderr, "", relay.log_text())
        copies = self.received(sink, messages)
        self.assertEqual(relay.delivered(), messages)
        paths = [self.check_copy(i, *copy, seals) for i, copy in enumerate(copies)]
        # dkimpy validates RFC 8617 single-algorithm chains only
        self.check_arc(paths, paths[::max(1, messages // DKIMPY_SAMPLE)] if rsa_only else [])

    def test_rsa_sealing_50_messages_5_sessions(self):
        self.relay_all(RSA_KEY, SESSIONS, MESSAGES, seals=1, rsa_only=True)

    def test_rsa_and_ed25519_sealing(self):
        # RFC 8617 has one algorithm; arcrelay adds one set per configured key (DESIGN.md)
        self.relay_all(RSA_KEY + ED_KEY, 2, 6, seals=2, rsa_only=False)

    def check_deferred(self, sink_options, messages=3):
        sink, relay = self.run_relay(RSA_KEY, sink_options)
        r = smtp_source(self.dir, relay.port, 1, messages, keep_going=True)
        self.assertEqual(r.returncode, 0, r.stderr + relay.log_text())
        replies = re.findall(r"rejected: (\d)\d\d ", r.stderr)
        self.assertEqual(replies, ["4"] * messages, r.stderr + relay.log_text())
        self.assertEqual(relay.delivered(), 0)
        return sink

    def test_next_hop_4xx_at_end_of_data(self):
        self.check_deferred(("-r", "."))

    def test_next_hop_421_at_end_of_data(self):
        self.check_deferred(("-Q", "."))

    def test_next_hop_4xx_before_data(self):
        # arcrelay opens the next-hop transaction after the client's data: nothing reaches
        # smtp-sink's dump, the client gets a 4xx at its end of data
        for options in (("-r", "MAIL"), ("-r", "RCPT"), ("-r", "DATA"), ("-Q", "MAIL")):
            with self.subTest(options=options):
                sink = self.check_deferred(options)
                self.assertEqual(sink.files(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
