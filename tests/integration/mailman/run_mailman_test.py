#!/usr/bin/python3
"""arcrelay in front of a real Mailman 3 (Debian 12 `mailman3`, 3.3.8), both layouts of
DESIGN.md "Mailman integration", on 127.0.0.1 only.

A private Mailman (SQLite, its own var_dir in a temporary directory, four runners: lmtp, in,
pipeline, out) gets two lists: bench@ with Mailman's stock decoration (split layout) and
onepass@ without it (one-pass layout); one member, member@example.net. Posts are bench-corpus
messages (DNS from the static zone tests/data/dns/bench-corpus-zone.txt) and one variant with a
body line starting "From ".

split:    poster -> arcrelay "verify" -> LMTP spy -> Mailman LMTP -> Mailman SMTP -> arcrelay
          "seal" -> Postfix -> sink. Postfix is Debian's, set up from examples/postfix alone
          (tests/tools/postfix_instance.py: its own config, queue and log directory; the
          10026 service and the transport to the verify listener on test ports; member
          domains routed to the sink). Every member copy must be decorated by Mailman, pass ARC (`arcrelay
          verify`, and dkimpy where the new instance is rsa-only), and its newest AAR must carry
          the results arcrelay computes for the post as it arrived (not the re-validation of
          Mailman's copy).
forged:   (issue 15) results forged into Mailman are never sealed: a post with an
          Authentication-Results of our authserv-id saying dmarc=pass, sent straight to
          Mailman's LMTP port, and the hand-over field harvested (by the spy) from a genuine
          post replayed onto a changed message, reach the member with no dmarc=pass in any
          AAR; so do forged posts that enter through Postfix (its 10026 service, its
          sendmail command) and straight through the verify listener (port 25's stand-in):
          they reach Mailman only through the verify listener, whose AAR says what it found
          (dmarc=fail, no dkim=pass, no spf=pass). Secret rotation: with the old secret still listed after SIGHUP, a message
          handed over under it is sealed; once it is removed and SIGHUP sent again, it is not.
one-pass: poster -> arcrelay "one-pass" (adds List-*) -> Mailman LMTP -> Mailman SMTP ->
          sink, with the list set up within DESIGN.md's one-pass limits (mailman_setup.py).
          An LMTP spy between arcrelay and Mailman keeps the sealed copy, so the driver
          reports which signed fields and whether the body Mailman changed. Asserted: every
          corpus post passes; the "From " post fails on the body alone, because Mailman's
          outgoing generator writes ">From " (a limit no list setting removes).

Needs ARCRELAY_BINARY, ARCRELAY_TEST_DATA and Debian's mailman3 (scripts/deps/mailman.txt).
Every process started is killed by PID (Mailman's master with its runners by process group)
at exit; every wait has a deadline and the whole run has a hard limit (TOTAL_LIMIT_S).
"""
import json
import os
import re
import shutil
import signal
import smtplib
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import wait_listening  # noqa: E402
from postfix_instance import postfix_instance  # noqa: E402
from aiosmtpd.lmtp import LMTP

BINARY = os.environ.get("ARCRELAY_BINARY", "")
DATA = os.environ.get("ARCRELAY_TEST_DATA", "")
HERE = os.path.dirname(os.path.abspath(__file__))
DKIMPY_TOOL = os.path.join(HERE, "..", "..", "tools", "dkimpy_tool.py")
ZONE = os.path.join(DATA, "dns", "bench-corpus-zone.txt")
CORPUS = os.path.join(DATA, "arc", "bench-corpus")
MAILMAN = "/usr/bin/mailman"
MAILMAN_MASTER = "/usr/lib/mailman3/bin/master"

TOTAL_LIMIT_S = 175        # hard limit of the whole run (CTest's is 600)
MAILMAN_START_S = 90       # Mailman's runners take tens of seconds on a loaded machine
MAILMAN_COMMAND_S = 60     # one `mailman` command
DELIVERY_S = 45            # all posts of one phase through Mailman to the sink
WAIT_S = 20                # any other single wait

MEMBER = "member@example.net"
SPLIT_LIST = "bench@lists.example.org"
ONE_PASS_LIST = "onepass@lists.example.org"
AUTHSERV_ID = "lists.example.org"
FROM_LINE = b"From the archive: this line starts with From and a space.\r\n"

# (corpus file, posted variant): rsa and Ed25519 chains, plain and multipart, no chain.
POSTS = [
    ("s1-arc0-none-dkimrsa-plain.eml", None),
    ("s3-arc1-rsa-dkimrsa-plain.eml", None),
    ("s4-arc1-ed-dkimed-multipart.eml", None),
    ("s6-arc3-rsa-dkimrsa-multipart.eml", None),
    ("s1-arc0-none-dkimrsa-plain.eml", "from-line"),
]

STARTED = []       # Popen objects killed at exit; Mailman's master is a group leader
POSTFIX = []       # the postfix_instance, stopped (by PID if need be) at exit
FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILURES.append(what)
    return ok


def kill_all():
    for postfix in POSTFIX:
        postfix.stop()
    for p in reversed(STARTED):
        if p.poll() is None:
            if getattr(p, "group", False):
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=WAIT_S)
                except subprocess.TimeoutExpired:
                    pass
                try:
                    os.killpg(p.pid, signal.SIGKILL)  # runners left behind, if any
                except ProcessLookupError:
                    pass
            else:
                p.kill()
            try:
                p.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                pass


def on_limit(signum, frame):
    raise TimeoutError(f"the test ran longer than {TOTAL_LIMIT_S} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, limit, proc, log):
    deadline = time.time() + limit
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited ({proc.returncode}): {read(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {limit} s: {read(log)}")


def read(path):
    with open(path, "rb") as f:
        return f.read().decode(errors="replace")


def fill(template, path, **values):
    with open(os.path.join(HERE, template)) as f:
        text = string.Template(f.read()).substitute(**values)
    with open(path, "w") as f:
        f.write(text)
    return path


def start(args, log, group=False):
    with open(log, "ab") as out:
        p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=group)
    p.group = group
    STARTED.append(p)
    return p


# ---- the final sink -----------------------------------------------------------------------
class Sink:
    """SMTP server on 127.0.0.1 that keeps every delivered transaction."""

    def __init__(self, port):
        self.received = []  # (mail_from, rcpt_tos, data bytes)
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  envelope.original_content))
        return "250 2.0.0 delivered"

    def wait_for(self, count, limit):
        deadline = time.time() + limit
        while time.time() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.2)
        with self.lock:
            return list(self.received)

    def stop(self):
        self.controller.stop()


# ---- messages -----------------------------------------------------------------------------
def manifest_entries():
    with open(os.path.join(CORPUS, "manifest.json")) as f:
        manifest = json.load(f)
    return {os.path.basename(m["file"]): m for m in manifest["messages"]}


def posted_bytes(name, variant):
    with open(os.path.join(CORPUS, name), "rb") as f:
        data = f.read()
    if variant == "from-line":
        head, sep, body = data.partition(b"\r\n\r\n")
        data = (head + sep + FROM_LINE + body).replace(b"Message-ID: <",
                                                       b"Message-ID: <from-line.")
    return data


def message_id(data):
    m = re.search(rb"^Message-ID:\s*(<[^>]+>)", data, re.M | re.I)
    return m.group(1).decode() if m else ""


def unfolded_fields(data):
    """[(lower-case name, unfolded value)] of the header section, in order."""
    head = data.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
    fields = []
    for line in head.split("\r\n"):
        if line[:1] in (" ", "\t") and fields:
            fields[-1][1] += " " + line.strip()
        elif ":" in line:
            name, value = line.split(":", 1)
            fields.append([name.strip().lower(), value.strip()])
    return [(n, re.sub(r"\s+", " ", v)) for n, v in fields]


def body(data):
    return data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


def newest_instance(fields):
    instances = [int(m.group(1)) for n, v in fields if n == "arc-seal"
                 for m in [re.search(r"\bi=(\d+)", v)] if m]
    return max(instances, default=0)


def field_values(fields, name, instance):
    return [v for n, v in fields if n == name and re.search(rf"\bi={instance}\s*;", v)]


def tag(value, name):
    m = re.search(rf"(?:^|;)\s*{name}=([^;]*)", value)
    return m.group(1).strip() if m else ""


def verify_json(path, envelope=None):
    args = [BINARY, "verify", "--zone", ZONE, "--authserv-id", AUTHSERV_ID, "--json"]
    if envelope:
        args += ["--client-ip", "127.0.0.1", "--helo", envelope["helo"], "--mail-from",
                 envelope["mail_from"]]
    r = subprocess.run(args + [path], capture_output=True, timeout=WAIT_S, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"arcrelay verify {path}: {r.returncode} {r.stderr}")
    return json.loads(r.stdout)


def dkimpy_arc(path):
    r = subprocess.run(["/usr/bin/python3", DKIMPY_TOOL, "arc-verify", ZONE, path],
                       capture_output=True, timeout=WAIT_S, text=True)
    return (r.stdout + r.stderr).strip()


# ---- Mailman ------------------------------------------------------------------------------
class Mailman:
    def __init__(self, tmp, lmtp_port, smtp_port):
        self.cfg = fill("mailman.cfg.in", os.path.join(tmp, "mailman.cfg"),
                        var_dir=os.path.join(tmp, "mailman"), rest_port=free_port(),
                        lmtp_port=lmtp_port, smtp_port=smtp_port)
        self.lmtp_port = lmtp_port
        self.log = os.path.join(tmp, "mailman-master.log")
        self.var = os.path.join(tmp, "mailman")

    def create_lists(self):
        env = dict(os.environ, PYTHONPATH=HERE)
        r = subprocess.run([MAILMAN, "--run-as-root", "-C", self.cfg, "shell", "-r",
                            "mailman_setup.create_lists", MEMBER],
                           capture_output=True, timeout=MAILMAN_COMMAND_S, text=True, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"mailman shell: {r.returncode} {r.stdout} {r.stderr}")

    def start(self):
        self.master = start([MAILMAN_MASTER, "-C", self.cfg], self.log, group=True)

    def wait_ready(self):
        wait_port(self.lmtp_port, MAILMAN_START_S, self.master, self.log)

    def log_tail(self):
        path = os.path.join(self.var, "logs", "mailman.log")
        return read(path)[-3000:] if os.path.exists(path) else ""


# ---- arcrelay -----------------------------------------------------------------------------
class Relay:
    def __init__(self, tmp, template, name, **values):
        state = os.path.join(tmp, name)
        os.makedirs(state, exist_ok=True)
        self.fixed = dict(state_dir=state, keys=os.path.join(CORPUS, "keys"), zone=ZONE)
        self.config = fill(template, os.path.join(tmp, name + ".toml"), **self.fixed, **values)
        self.log = os.path.join(tmp, name + ".log")
        self.proc = start([BINARY, "serve", "--config", self.config], self.log)
        try:  # arcrelay itself must own the port, not some other test's server
            wait_listening(values["entry_port"], self.proc, "arcrelay", WAIT_S)
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {read(self.log)}") from None

    def reload(self, template, **values):
        """Rewrites the configuration and sends SIGHUP; waits for the reload's log line."""
        done = read(self.log).count("configuration reloaded")
        fill(template, self.config, **self.fixed, **values)
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + WAIT_S
        while time.time() < deadline:
            if read(self.log).count("configuration reloaded") > done:
                return
            if "reload failed" in read(self.log):
                break
            time.sleep(0.1)
        raise RuntimeError(f"arcrelay did not reload: {read(self.log)[-2000:]}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=WAIT_S)
        check(rc == 0, f"arcrelay {os.path.basename(self.config)} drains on SIGTERM (exit {rc})")


def post(port, entry, rcpt, data):
    with smtplib.SMTP("127.0.0.1", port, timeout=WAIT_S) as c:
        c.ehlo(entry["envelope"]["helo"])
        return c.sendmail(entry["envelope"]["mail_from"], [rcpt], data)


def post_all(port, rcpt, entries):
    sent = {}
    for name, variant in POSTS:
        data = posted_bytes(name, variant)
        label = name + (f" ({variant})" if variant else "")
        try:
            refused = post(port, entries[name], rcpt, data)
            ok = refused == {}
        except smtplib.SMTPException as e:
            ok, refused = False, e
        if check(ok, f"post {label} to {rcpt} accepted ({refused or '250'})"):
            sent[message_id(data)] = (label, name, data)
    return sent


def delivered_by_id(received):
    return {message_id(data): (mail_from, rcpts, data) for mail_from, rcpts, data in received}


# ---- split layout -------------------------------------------------------------------------
def check_aar_carries_entry_results(label, aar, entry_results):
    """The newest AAR holds the verdicts arcrelay computed at entry (RFC 8617 5.1.1)."""
    check(re.match(rf"i=\d+;\s*{re.escape(AUTHSERV_ID)}\s*;", aar) is not None,
          f"{label}: newest AAR has authserv-id {AUTHSERV_ID}")
    for d in entry_results["dkim"]:
        pattern = rf"dkim={d['result']}\b[^;]*header\.d={re.escape(d['domain'])}\b[^;]*" \
                  rf"header\.s={re.escape(d['selector'])}\b"
        check(re.search(pattern, aar) is not None,
              f"{label}: AAR has entry dkim={d['result']} for d={d['domain']} "
              f"s={d['selector']}")
    check(f"arc={entry_results['arc']['result']}" in aar,
          f"{label}: AAR has entry arc={entry_results['arc']['result']}")
    check(f"dmarc={entry_results['dmarc']['result']}" in aar,
          f"{label}: AAR has entry dmarc={entry_results['dmarc']['result']}")
    check(f"spf={entry_results['spf']['result']}" in aar,
          f"{label}: AAR has entry spf={entry_results['spf']['result']}")


def secret_file(tmp, name):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(os.urandom(32).hex() + "\n")
    return path


def toml_list(paths):
    return "[" + ", ".join(f'"{p}"' for p in paths) + "]"


def run_split(tmp, mailman, entries, ports):
    print("== split layout: verify -> Mailman (decorating) -> seal", flush=True)
    sink = Sink(ports["sink"])
    lmtp_spy = LmtpSpy(ports["split_spy"], ports["lmtp"])
    old_secret = secret_file(tmp, "handover-old.secret")
    split = dict(entry_port=ports["entry"], seal_port=ports["mailman_out"],
                 postfix_port=ports["postfix"], lmtp_port=ports["split_spy"])
    relay = Relay(tmp, "arcrelay-split.toml.in", "arcrelay-split",
                  handover_secrets=toml_list([old_secret]), **split)
    mailman.wait_ready()
    sent = post_all(ports["entry"], SPLIT_LIST, entries)
    got = delivered_by_id(sink.wait_for(len(sent), DELIVERY_S))
    if len(got) < len(sent):
        print(mailman.log_tail(), flush=True)
    for n, (mid, (label, name, posted)) in enumerate(sent.items()):
        if not check(mid in got, f"split {label}: member copy delivered"):
            continue
        mail_from, rcpts, data = got[mid]
        check(rcpts == [MEMBER] and mail_from == "bench-bounces@lists.example.org",
              f"split {label}: envelope {mail_from} -> {rcpts}")
        text = data.decode(errors="replace")
        check("[Bench] " in dict(unfolded_fields(data)).get("subject", "")
              and "Bench mailing list -- bench@lists.example.org" in text,
              f"split {label}: Mailman added its subject prefix and footer")
        path = os.path.join(tmp, f"split-{n}.eml")
        with open(path, "wb") as f:
            f.write(data)
        fields = unfolded_fields(data)
        entry = entries[name]
        before = entry["expected"]["arc_instances"]
        instance = newest_instance(fields)
        check(instance == before + 1, f"split {label}: newest ARC instance i={instance} "
                                      f"(posted with {before})")
        verdict = verify_json(path)
        check(verdict["arc"]["result"] == "pass",
              f"split {label}: arcrelay verify arc={verdict['arc']['result']} "
              f"{verdict['arc']['reason']}")
        algorithms = {tag(v, "a") for v in field_values(fields, "arc-seal", instance)}
        if algorithms == {"rsa-sha256"}:
            out = dkimpy_arc(path)
            check(out.startswith("pass"), f"split {label}: dkimpy arc-verify {out[:120]}")
        aars = field_values(fields, "arc-authentication-results", instance)
        if check(len(aars) >= 1, f"split {label}: newest AAR present"):
            posted_path = path + ".posted"
            with open(posted_path, "wb") as f:
                f.write(posted)
            at_entry = verify_json(posted_path, entry["envelope"])
            check_aar_carries_entry_results(f"split {label}", aars[0], at_entry)
            # Mailman's prefix and footer break the poster's DKIM: a pass in the AAR can
            # only come from the results recorded on entry (RFC 8617 5.1, arc-usage 4.3).
            now = {(d["domain"], d["selector"]): d["result"] for d in verdict["dkim"]}
            for d in at_entry["dkim"]:
                if d["result"] == "pass":
                    check(now.get((d["domain"], d["selector"])) == "fail",
                          f"split {label}: d={d['domain']} passed on entry, fails after "
                          f"Mailman")
    run_forged(tmp, relay, sink, lmtp_spy, ports, split, old_secret)
    run_forged_through_postfix(sink, ports)
    lmtp_spy.stop()
    relay.stop()
    sink.stop()


# ---- forged results (issue 15) ------------------------------------------------------------
FORGED_AR = (f"Authentication-Results: {AUTHSERV_ID}; dkim=pass header.d=example.com "
             "header.s=rsa2026; spf=pass smtp.mailfrom=example.com; dmarc=pass "
             "header.from=example.com\r\n")


def forged_post(message_id, extra=""):
    """A post from a p=reject domain (the bench zone's example.com) with no signature."""
    return (extra + FORGED_AR + "From: Alice <alice@example.com>\r\n"
            f"To: {SPLIT_LIST}\r\nSubject: forged results\r\nMessage-ID: {message_id}\r\n"
            "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nA forged dmarc=pass.\r\n").encode()


def lmtp_post(port, rcpt, data):
    with smtplib.LMTP("127.0.0.1", port, timeout=WAIT_S) as c:
        return c.sendmail("alice@example.com", [rcpt], data)


def harvested_fields(data):
    """The raw hand-over and our A-R fields of a message the verify listener forwarded."""
    head = data.split(b"\r\n\r\n", 1)[0].decode() + "\r\n"
    raw = re.findall(r"^(?:ARCRelay-Handover|Authentication-Results):.*?\r\n(?:[ \t].*?\r\n)*",
                     head, re.M)
    return "".join(f for f in raw if f.startswith("ARCRelay-Handover") or AUTHSERV_ID in f)


def aars(data):
    return [v for n, v in unfolded_fields(data) if n == "arc-authentication-results"]


def check_not_vouched(label, data):
    check(not any("dmarc=pass" in v for v in aars(data)),
          f"{label}: no AAR says dmarc=pass ({len(aars(data))} AAR(s))")
    check(b"ARCRelay-Handover" not in data, f"{label}: the hand-over field is stripped")
    ours = [v for n, v in unfolded_fields(data)
            if n == "authentication-results" and v.startswith(AUTHSERV_ID)]
    check(not any("dmarc=pass" in v for v in ours), f"{label}: no A-R of ours says dmarc=pass")


def run_forged(tmp, relay, sink, lmtp_spy, ports, split, old_secret):
    print("== forged results: straight to Mailman's LMTP, replayed hand-over, rotation",
          flush=True)
    # A genuine post, its hand-over harvested between the verify listener and Mailman.
    genuine = posted_bytes("s1-arc0-none-dkimrsa-plain.eml", None)
    genuine_id = message_id(genuine)
    harvest = lmtp_spy.seen.get(genuine_id, b"")
    fields = harvested_fields(harvest)
    check("ARCRelay-Handover: v=1;" in fields and "dmarc=pass" in fields,
          "the verify listener handed a genuine post over with a MAC")
    before = len(sink.received)
    posts = {
        "<forged.lmtp@example.com>": ("forged A-R straight to Mailman's LMTP", ""),
        "<replayed.lmtp@example.com>": ("genuine hand-over replayed onto another message",
                                        fields),
    }
    for mid, (label, extra) in posts.items():
        data = forged_post(mid, extra) if not extra else (
            extra + "From: Alice <alice@example.com>\r\n" + f"To: {SPLIT_LIST}\r\n"
            f"Subject: replayed\r\nMessage-ID: {mid}\r\n\r\nAnother body.\r\n").encode()
        try:
            check(lmtp_post(ports["lmtp"], SPLIT_LIST, data) == {}, f"{label}: Mailman accepts")
        except smtplib.SMTPException as e:
            check(False, f"{label}: Mailman accepts ({e})")
    got = delivered_by_id(sink.wait_for(before + len(posts), DELIVERY_S)[before:])
    for mid, (label, _) in posts.items():
        if check(mid in got, f"{label}: member copy delivered"):
            check_not_vouched(label, got[mid][2])

    # Rotation: a new secret first, the old one still accepted until it is removed.
    new_secret = secret_file(tmp, "handover-new.secret")
    as_mailman = os.path.join(tmp, "handed-over-old.eml")
    with open(as_mailman, "wb") as f:
        f.write(harvest)
    for step, secrets, vouched in (("old secret still listed", [new_secret, old_secret], True),
                                   ("old secret removed", [new_secret], False)):
        relay.reload("arcrelay-split.toml.in", handover_secrets=toml_list(secrets), **split)
        rcpt = f"rotation-{len(secrets)}@example.net"
        with smtplib.SMTP("127.0.0.1", ports["mailman_out"], timeout=WAIT_S) as c:
            c.sendmail("bench-bounces@lists.example.org", [rcpt], harvest)
        deadline = time.time() + WAIT_S
        copy = None
        while copy is None and time.time() < deadline:
            copy = next((d for _, r, d in sink.wait_for(0, 0) if r == [rcpt]), None)
            time.sleep(0.1)
        if not check(copy is not None, f"rotation, {step}: relayed"):
            continue
        if vouched:
            check(any("dmarc=pass" in v for v in aars(copy)),
                  f"rotation, {step} (SIGHUP): the old hand-over is sealed with dmarc=pass")
        else:
            check_not_vouched(f"rotation, {step} (SIGHUP)", copy)
    # Posts after the rotation are handed over under the new secret and still pass.
    before = len(sink.received)
    entry = manifest_entries()["s3-arc1-rsa-dkimrsa-plain.eml"]
    data = posted_bytes("s3-arc1-rsa-dkimrsa-plain.eml", None)  # the DKIM signature covers
    # Message-ID: posted again unchanged; only copies delivered from here on are looked at
    post(ports["entry"], entry, SPLIT_LIST, data)
    got = delivered_by_id(sink.wait_for(before + 1, DELIVERY_S)[before:])
    mid = message_id(data)
    if check(mid in got, "post after rotation delivered"):
        path = os.path.join(tmp, "rotated.eml")
        with open(path, "wb") as f:
            f.write(got[mid][2])
        check(verify_json(path)["arc"]["result"] == "pass" and
              any("dmarc=pass" in v for v in aars(got[mid][2])),
              "post after rotation: arc=pass and the AAR has the entry dmarc=pass")


def run_forged_through_postfix(sink, ports):
    """Forged results sent every way a loopback client or local process has into the list
    domain with examples/postfix applied: each reaches Mailman through the verify listener
    only, which strips the forgery (RFC 8601 5) and records what it found."""
    print("== forged results through Postfix (10026, sendmail) and the verify listener",
          flush=True)
    postfix = POSTFIX[0]
    before = len(sink.received)
    ways = {
        "<forged.postfix-10026@example.com>": "forged A-R through Postfix's 10026 service",
        "<forged.sendmail@example.com>": "forged A-R through Postfix's sendmail",
        "<forged.port25@example.com>": "forged A-R straight to the verify listener",
    }
    for mid, label in ways.items():
        data = forged_post(mid)
        try:
            if "sendmail" in label:
                r = postfix.sendmail("alice@example.com", SPLIT_LIST, data)
                check(r.returncode == 0, f"{label}: accepted ({r.returncode} {r.stderr})")
                continue
            port = ports["postfix"] if "10026" in label else ports["entry"]
            with smtplib.SMTP("127.0.0.1", port, timeout=WAIT_S) as c:
                check(c.sendmail("alice@example.com", [SPLIT_LIST], data) == {},
                      f"{label}: accepted")
        except smtplib.SMTPException as e:
            check(False, f"{label}: accepted ({e})")
    got = delivered_by_id(sink.wait_for(before + len(ways), DELIVERY_S)[before:])
    if len(got) < len(ways):
        print(postfix.log_tail(), flush=True)
    for mid, label in ways.items():
        if not check(mid in got, f"{label}: member copy delivered"):
            continue
        data = got[mid][2]
        check_not_vouched(label, data)
        fields = unfolded_fields(data)
        newest = field_values(fields, "arc-authentication-results", newest_instance(fields))
        check(len(newest) >= 1 and all("dmarc=fail" in v for v in newest),
              f"{label}: the newest AAR has the verify listener's dmarc=fail")
        check(not any(re.search(r"\b(dkim|spf)=pass\b", v) for v in aars(data)),
              f"{label}: no AAR says dkim=pass or spf=pass")
        check(fields[0][0] == "received" and "(Postfix)" in fields[0][1],
              f"{label}: delivered to the member by Postfix ({fields[0]})")


# ---- one-pass layout ----------------------------------------------------------------------
def mailman_changes(sealed, delivered):
    """The fields signed by the newest AMS whose values Mailman changed (whitespace aside,
    as c=relaxed), and whether the body changed."""
    before, after = unfolded_fields(sealed), unfolded_fields(delivered)
    signed = {h.strip().lower() for v in field_values(before, "arc-message-signature",
                                                       newest_instance(before))
              for h in tag(v, "h").split(":")}
    changed = sorted(h for h in signed
                     if [v for n, v in before if n == h] != [v for n, v in after if n == h])
    body_changed = body(sealed).rstrip(b"\r\n") != body(delivered).rstrip(b"\r\n")
    return changed, body_changed


def run_one_pass(tmp, mailman, entries, ports):
    print("== one-pass layout: one-pass -> Mailman (no decoration) -> sink", flush=True)
    sink = Sink(ports["mailman_out"])
    lmtp_spy = LmtpSpy(ports["spy"], ports["lmtp"])
    relay = Relay(tmp, "arcrelay-one-pass.toml.in", "arcrelay-one-pass",
                  entry_port=ports["entry"], lmtp_port=ports["spy"])
    sent = post_all(ports["entry"], ONE_PASS_LIST, entries)
    got = delivered_by_id(sink.wait_for(len(sent), DELIVERY_S))
    if len(got) < len(sent):
        print(mailman.log_tail(), flush=True)
    for n, (mid, (label, name, posted)) in enumerate(sent.items()):
        if not check(mid in got and mid in lmtp_spy.seen,
                     f"one-pass {label}: sealed copy seen and member copy delivered"):
            continue
        sealed, data = lmtp_spy.seen[mid], got[mid][2]
        path = os.path.join(tmp, f"one-pass-{n}.eml")
        with open(path, "wb") as f:
            f.write(data)
        verdict = verify_json(path)["arc"]
        changed, body_changed = mailman_changes(sealed, data)
        print(f"     one-pass {label}: arc={verdict['result']} {verdict['reason']}; Mailman "
              f"changed signed fields {changed or 'none'}, body "
              f"{'changed' if body_changed else 'unchanged'}", flush=True)
        if "from-line" not in label:
            check(verdict["result"] == "pass" and not changed and not body_changed,
                  f"one-pass {label}: the seal made before Mailman passes")
            continue
        # DESIGN.md: Mailman's outgoing generator (compat32, mangle_from_) writes ">From ".
        check(re.search(rb"(^|\r\n)>From the archive", body(data)) is not None,
              f"one-pass {label}: Mailman turned the body line 'From ' into '>From '")
        check(verdict["result"] == "fail" and body_changed and not changed,
              f"one-pass {label}: the seal fails on the body alone")
    relay.stop()
    lmtp_spy.stop()
    sink.stop()


class LmtpController(Controller):
    def factory(self):
        return LMTP(self.handler)


class LmtpSpy:
    """LMTP proxy between arcrelay and Mailman that keeps a copy of what arcrelay sealed,
    so the driver can tell which of Mailman's changes broke the seal. Bytes pass unchanged."""

    def __init__(self, port, mailman_port):
        self.seen = {}
        self.mailman_port = mailman_port
        self.controller = LmtpController(self, hostname="127.0.0.1", port=port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        self.seen[message_id(data)] = data
        try:
            with smtplib.LMTP("127.0.0.1", self.mailman_port, timeout=WAIT_S) as c:
                refused = c.sendmail(envelope.mail_from, envelope.rcpt_tos, data)
        except smtplib.SMTPException as e:
            return f"451 4.4.0 Mailman refused: {e}"
        return "250 2.0.0 delivered" if not refused else f"451 4.4.0 {refused}"

    def stop(self):
        self.controller.stop()


def main():
    for path, what in ((BINARY, "ARCRELAY_BINARY"), (ZONE, "ARCRELAY_TEST_DATA"),
                       (MAILMAN_MASTER, "Debian mailman3 (scripts/deps/mailman.txt)"),
                       ("/usr/sbin/postfix", "Debian postfix (scripts/deps/postfix.txt)")):
        if not path or not os.path.exists(path):
            print(f"FAIL missing {what}: {path!r}")
            return 1
    signal.signal(signal.SIGALRM, on_limit)
    signal.alarm(TOTAL_LIMIT_S)
    tmp = tempfile.mkdtemp(prefix="arcrelay-mailman-")
    os.chmod(tmp, 0o711)  # Postfix's queue and data directories below it: searchable
    ports = {k: free_port() for k in ("entry", "lmtp", "mailman_out", "sink", "spy",
                                     "split_spy", "postfix")}
    entries = manifest_entries()
    started = time.time()
    try:
        mailman = Mailman(tmp, ports["lmtp"], ports["mailman_out"])
        mailman.create_lists()
        mailman.start()
        sink_hop = f"smtp:[127.0.0.1]:{ports['sink']}"
        POSTFIX.append(postfix_instance(os.path.join(tmp, "postfix"), seal_port=ports["postfix"],
                                        verify_port=ports["entry"],
                                        extra_transport=[("example.net", sink_hop),
                                                         ("example.com", sink_hop)]))
        POSTFIX[0].start()
        run_split(tmp, mailman, entries, ports)
        run_one_pass(tmp, mailman, entries, ports)
    except Exception as e:  # report, then clean up through finally
        check(False, f"{type(e).__name__}: {e}")
        print(mailman.log_tail() if "mailman" in locals() else "")
    finally:
        signal.alarm(0)
        kill_all()
    print(f"{len(FAILURES)} failure(s) in {time.time() - started:.0f} s")
    if FAILURES:
        print(f"messages, configurations and logs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
