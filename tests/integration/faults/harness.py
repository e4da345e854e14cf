"""Shared pieces of the fault and load tests (tests/integration/faults, tests/integration/load).

A daemon under a generated configuration on free 127.0.0.1 ports, the next_hop.py process
whose store directory is the ground truth of "delivered", an SMTP client that retries like a
sending MTA (4xx and lost connections again, 5xx never), and a ledger that checks the
before-queue promise of DESIGN.md: every message acknowledged with 250 at the final dot is in
the next hop's store; a message is stored twice only if an earlier attempt of it reached the
final dot without a 250 (RFC 5321 6.1: a lost 250 means the sender must retry).
Every process started here is killed by PID at exit; every socket has a timeout.
"""
import atexit
import os
import re
import shutil
import signal
import smtplib
import subprocess
import tempfile
import threading
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import STARTED, kill_started, start_listening, wait_listening  # noqa: E402
from seal_config import arc_key, one_pass_config  # noqa: E402

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
KEY = os.path.join(DATA, "arc", "bench-corpus", "keys", "lists.example.org.rsa2026.rsa.pem")
LIST = "bench@lists.example.org"
WAIT = 20  # seconds: the longest any single wait may take

TEMP_DIRS = []  # removed at exit


def kill_all():
    kill_started()  # first: nothing may still write into the directories
    for d in TEMP_DIRS:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(kill_all)


def temp_dir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    TEMP_DIRS.append(d)
    return d


# ---- next hop -----------------------------------------------------------------------------
class NextHop:
    """next_hop.py in its own process; `delivered()` reads its store."""

    def __init__(self, mode="ok", lmtp=True):
        self.store = temp_dir("arcrelay-hop-")
        self.lmtp = lmtp
        self.mode = mode
        self.proc, (self.port,) = start_listening(self.launch, "next hop")

    @property
    def uri(self):
        return f"{'lmtp' if self.lmtp else 'smtp'}:127.0.0.1:{self.port}"

    def launch(self, port):
        proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "next_hop.py"), str(port), self.store,
             self.mode, "lmtp" if self.lmtp else "smtp"], stdout=subprocess.DEVNULL)
        STARTED.append(proc)
        return proc

    def start(self, mode):
        """Starts it again on its port (after kill())."""
        self.mode = mode
        self.proc = self.launch(self.port)
        wait_listening(self.port, self.proc, "next hop")

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=WAIT)

    def running(self):
        return self.proc.poll() is None

    def delivered(self):
        """Message-ID -> how many times it was stored."""
        counts = {}
        for name in os.listdir(self.store):
            if name.startswith("."):
                continue
            with open(os.path.join(self.store, name), "rb") as f:
                m = re.search(rb"^Message-ID:\s*<([^>]+)>", f.read(), re.M | re.I)
            if m:
                key = m.group(1).decode()
                counts[key] = counts.get(key, 0) + 1
        return counts

    def clear(self):
        for name in os.listdir(self.store):
            os.unlink(os.path.join(self.store, name))

    def stored_texts(self):
        out = []
        for name in os.listdir(self.store):
            if not name.startswith("."):
                with open(os.path.join(self.store, name), "rb") as f:
                    out.append(f.read())
        return out


# ---- the daemon ---------------------------------------------------------------------------
def config_text(port, state_dir, next_hop_uri, dns="", limits="", command_timeout_s=10):
    timeouts = "".join(f"{name}_timeout_s = 3\n" for name in
                       ("greeting", "mail", "rcpt", "data_init", "data_block", "data_term"))
    return one_pass_config(
        port, state_dir, next_hop_uri, LIST,
        arc_key("rsa-sha256", "lists.example.org", "rsa2026", KEY), ZONE, threads=2,
        next_hop="connect_timeout_s = 2\n" + timeouts, dns=dns or None,
        tables=f"""
[limits]
command_timeout_s = {command_timeout_s}
data_block_timeout_s = {command_timeout_s}
{limits}

[log]
level = "warning"
""")


class Relay:
    """`arcrelay serve` on a fixed free port; can be SIGKILLed and started again."""

    def __init__(self, next_hop_uri, **kw):
        self.dir = temp_dir("arcrelay-faults-")
        self.config = os.path.join(self.dir, "arcrelay.toml")
        self.log = open(os.path.join(self.dir, "log"), "ab")

        def launch(port):
            self.port = port
            with open(self.config, "w") as f:
                f.write(config_text(port, self.dir, next_hop_uri, **kw))
            return self.launch()

        try:
            self.proc, _ = start_listening(launch, "arcrelay")
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {self.log_text()}") from None

    def launch(self, env=None):
        proc = subprocess.Popen([BINARY, "serve", "--config", self.config],
                                stdout=self.log, stderr=self.log, env=env)
        STARTED.append(proc)
        return proc

    def start(self, env=None):
        """Starts it again on its port (after kill() or stop())."""
        self.proc = self.launch(env)
        try:
            wait_listening(self.port, self.proc, "arcrelay")
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {self.log_text()}") from None

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=WAIT)

    def stop(self):
        """SIGTERM (drain); returns the exit code (None if it had to be killed)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=WAIT * 2)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        finally:
            self.log.flush()

    def log_text(self):
        self.log.flush()
        with open(os.path.join(self.dir, "log"), "rb") as f:
            return f.read().decode(errors="replace")[-4000:]


# ---- messages and the sender ----------------------------------------------------------------
def make_message(msg_id, body_lines=20):
    body = "".join(f"line {i} of a fault-injection test message\r\n" for i in range(body_lines))
    return (f"From: Alice <alice@example.com>\r\nTo: {LIST}\r\nSubject: robustness {msg_id}\r\n"
            f"Date: Sun, 29 Nov 2026 21:00:00 +0000\r\nMessage-ID: <{msg_id}>\r\n\r\n"
            f"{body}").encode()


ACK, TEMP, PERM, LOST = "ack", "temp", "perm", "lost"


def send_once(port, msg_id, source="127.0.0.1", timeout=WAIT):
    """One SMTP transaction; returns (outcome, reached_dot, reply text). The outcome is
    that of the transaction: what QUIT gets afterwards (a draining daemon answers 421
    instead of 221, RFC 5321 3.8) does not change it."""
    reached_dot = False
    c = None
    try:
        c = smtplib.SMTP("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
        c.ehlo("mail.example.com")
        code, text = c.mail("alice@example.com")
        if code == 250:
            code, text = c.rcpt(LIST)
        if code == 250:
            reached_dot = True  # from here on the outcome of a lost reply is unknown
            code, text = c.data(make_message(msg_id))
        outcome = ACK if code == 250 else TEMP if 400 <= code < 500 else PERM
        return outcome, reached_dot, f"{code} {text.decode(errors='replace')}"
    except smtplib.SMTPResponseException as e:
        outcome = TEMP if 400 <= e.smtp_code < 500 else PERM
        return outcome, reached_dot, f"{e.smtp_code} {e.smtp_error!r}"
    except (OSError, smtplib.SMTPException) as e:
        return LOST, reached_dot, repr(e)
    finally:
        if c is not None:
            try:
                c.quit()
            except (OSError, smtplib.SMTPException):
                pass
            c.close()


class Ledger:
    """What every client saw, per Message-ID: a list of (outcome, reached_dot, reply)."""

    def __init__(self):
        self.attempts = {}
        self.lock = threading.Lock()

    def record(self, msg_id, attempt):
        with self.lock:
            self.attempts.setdefault(msg_id, []).append(attempt)

    def final(self, msg_id):
        return self.attempts[msg_id][-1][0]

    def retried(self):
        """How many messages needed more than one attempt."""
        return sum(1 for a in self.attempts.values() if len(a) > 1)

    def send(self, port, msg_id, deadline, source="127.0.0.1", pause=0.2):
        """Sends until 250 or 5xx, retrying 4xx and lost sessions until `deadline`."""
        while True:
            attempt = send_once(port, msg_id, source)
            self.record(msg_id, attempt)
            if attempt[0] in (ACK, PERM) or time.time() + pause >= deadline:
                return attempt[0]
            time.sleep(pause)

    def summary(self, delivered):
        ids = self.attempts.keys()
        acked = {i for i in ids if any(a[0] == ACK for a in self.attempts[i])}
        return {
            "sent": len(ids),
            "attempts": sum(len(a) for a in self.attempts.values()),
            "acknowledged": len(acked),
            "delivered": sum(1 for i in ids if delivered.get(i)),
            "duplicates": sum(1 for i in ids if delivered.get(i, 0) > 1),
            "temp_final": sum(1 for i in ids if self.final(i) in (TEMP, LOST)),
            "rejected": sum(1 for i in ids if self.final(i) == PERM),
        }

    def violations(self, delivered):
        """Breaks of the before-queue promise; an empty list is a pass."""
        bad = []
        for i, attempts in self.attempts.items():
            n = delivered.get(i, 0)
            acked = any(a[0] == ACK for a in attempts)
            unknown = sum(1 for a in attempts if a[1] and a[0] != ACK)
            if acked and n == 0:
                bad.append(f"{i}: acknowledged but not delivered: {attempts}")
            # every delivery beyond the acknowledged one needs an attempt whose 250 never came
            if n > (1 if acked else 0) + unknown:
                bad.append(f"{i}: delivered {n} times, acked={acked}, unknown={unknown}")
        unknown_ids = set(delivered) - set(self.attempts)
        if unknown_ids:
            bad.append(f"delivered but never sent: {sorted(unknown_ids)[:5]}")
        return bad
