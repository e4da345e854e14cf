#!/usr/bin/python3
"""End-to-end SMTP load against `arcrelay serve` (issue 7), run by scripts/bench.sh.

    load client (asyncio, this file) --SMTP--> arcrelay serve --SMTP--> smtp-sink
    load client (asyncio, this file) --SMTP------------------------> smtp-sink   (direct)

The in-process benchmarks (bench/bench_arcrelay) time the job alone; this measures what a
sender sees: the whole daemon (all six one-pass stages, DNS from the corpus zone file, the
next hop Postfix's smtp-sink) over loopback TCP, on the same 2 cores as the client.

usage: /usr/bin/python3 bench/smtp_load.py RESULTS_DIR [--binary build-bench/relay/arcrelay]
          [--shared ../shared/bench] [--sizes 2k,20k,200k,2m] [--concurrency 1,8,64]
          [--seconds 5] [--sink-seconds 2] [--idle 10000] [--big-mb 25] [--peer-seconds 3]
          [--fanout-members 5000] [--skip main,half,rsa,rspamd,big,idle,smtp-source,fanout]

Environment knobs (for scripts/bench.sh; the options win): E2E_SECONDS, E2E_SINK_SECONDS,
E2E_IDLE, E2E_BIG_MB, E2E_SIZES, E2E_CONCURRENCY, E2E_SKIP, E2E_FANOUT_MEMBERS, PEER_SECONDS.

What is measured (JSON lines in RESULTS_DIR/smtp.jsonl, `type` e2e_*; the human summary on
stderr; configurations, logs and the rspamd work folder in RESULTS_DIR/e2e/):
- throughput, closed loop: N connections (concurrency 1, 8, 64), each opened and greeted
  (EHLO) before the clock starts, each sending one transaction after the other for
  --seconds (at least one pass over the 8 bench messages of the size). Transactions use
  PIPELINING when offered (MAIL, RCPT and DATA in one write, then the message and the dot).
  Messages per second = transactions answered 250 / wall clock from start to the last reply.
- latency: per transaction on a reused connection, from writing MAIL FROM to the reply to
  the final dot (connection set-up excluded). The same client, at the same concurrency, runs
  against smtp-sink directly in the same invocation; *added* = via arcrelay - direct, per
  percentile (p50, p99).
- latency at half of peak load: an open-loop sender paced at 50 % of the best closed-loop
  rate of that size (one transaction every 1/rate s on a pool of 64 pre-opened connections;
  latency counted from the scheduled send time, so a wait for a free connection counts),
  against arcrelay and against smtp-sink at the same offered rate. What the client itself
  adds is recorded too: how late it starts each scheduled transaction (p50/p99), and its CPU
  share and arcrelay's over the run (2 shared cores).
- peak RSS: VmHWM of the arcrelay process, reset before each run through
  /proc/PID/clear_refs ("5") so each run reports its own peak.
- 10 000 idle connections to a fresh arcrelay, from 40 source addresses 127.0.0.2.. (no
  ephemeral-port exhaustion), each greeted (220) and then left idle: VmRSS before and after,
  per connection and in total.
- one 25 MB message (generated: a header block DKIM-signed rsa-sha256 by example.com with
  the corpus key via `openssl dgst`, and a body of 76-character lines), through a fresh
  arcrelay with max_message_size raised: VmHWM minus the RSS before it, against its size.
- rspamd at concurrency 8 (../shared/bench/peer_rspamd.py, servers.sh with PROFILE=min on
  free ports) against arcrelay at concurrency 8 sealing rsa-sha256 only, per size, wall
  clock messages per second on the same cores; when rspamd, nsd and ../shared/bench exist.
- seal fan-out (issue 14): the split layout's seal listener (`stages = "split-seal"`,
  allowed_clients 127.0.0.1, max_recipients 500, both keys) fed as Mailman 3 feeds it, for
  the s1 post (plain text, no prior ARC set) of 2k and 20k, with an Authentication-Results
  of ours as the verify listener wrote it and Mailman's List-* fields. Personalized: one
  transaction per member (MAIL FROM the VERP bounce address, one RCPT), each copy with its
  own To: and footer, over 1 connection (one Mailman out runner) and over 4; --fanout-members
  copies (5 000 by default, the whole list, so its time is measured; fewer are extrapolated
  linearly and marked so). Not personalized: one copy for 5 000 members in transactions of up to 500
  RCPTs (Mailman's [mta] max_recipients). Relay CPU (all threads, /proc) per seal gives seals
  per CPU-second; report.py sets it against the in-process crypto bound of one seal.
- a cross-check with Postfix's smtp-source (8 sessions, one message per connection, the 2k
  s1 message) against arcrelay: wall-clock messages per second.

Corpus: ../shared/bench/corpus (manifest.json, zone.txt, keys/); without it the 2k bench
messages of tests/data/arc/bench-corpus (the record says so). The client connects from
127.0.0.1, so SPF and iprev see loopback, not the manifest's client_ip: the verdicts differ
from the manifest but the work (DNS from the zone, every signature) is the same.
Everything listens on 127.0.0.1; every process started is stopped by PID (SIGTERM, then
SIGKILL) at exit; every wait has a deadline; a watchdog ends the whole run.
"""
import argparse
import asyncio
import atexit
import base64
import email.utils
import hashlib
import hmac
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from itest_support import free_port, start_listening  # noqa: E402

SMTP_SINK = "/usr/sbin/smtp-sink"
SMTP_SOURCE = "/usr/sbin/smtp-source"
PY = "/usr/bin/python3"
SIZES = ["2k", "20k", "200k", "2m"]
LIST = "bench@lists.example.org"
CLIENT_HELO = "load-client.example"  # one EHLO per connection, whatever the message
STEP = 120            # seconds: the longest one SMTP reply may take
PROC_WAIT = 20        # seconds: the longest a process start or stop may take
DRAIN_WAIT = 40       # seconds: arcrelay's drain on SIGTERM (30 s at most, OPERATIONS.md)
PACED_POOL = 64       # connections of the open-loop (paced) sender
RELAY_WORKERS = 2     # arcrelay's [server] threads: one per core of the bench machines
RELAY_IO_THREADS = 1  # [server] io_threads: its default for 2 workers (one per 4, at least 1)
PACED_SAMPLES = 100   # transactions of a paced run at least
FANOUT_LIST_MEMBERS = 5000  # the list size the fan-out time is given for
FANOUT_BATCH = 500    # Mailman's [mta] max_recipients: RCPTs per non-personalized transaction
FANOUT_RUNNERS = (1, 4)  # connections of the personalized fan-out (Mailman out runners)
IDLE_SOURCES = 40     # source addresses 127.0.0.2 .. 127.0.0.41 of the idle connections
IDLE_OPENING = 200    # connections being opened at once in the idle test
WATCHDOG = 1800       # seconds: the whole run, whatever hangs
KB = 1024

STARTED = []          # Popen objects, stopped at exit
CLEANUPS = []         # callables run at exit (rspamd servers.sh stop)


# ---- processes ----------------------------------------------------------------------------
def stop(proc, wait=PROC_WAIT):
    """SIGTERM, then SIGKILL after `wait` s; returns the exit status (None if killed)."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        return proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=PROC_WAIT)
        return None


def stop_all():
    for fn in reversed(CLEANUPS):
        try:
            fn()
        except Exception as e:  # keep stopping the others
            print(f"cleanup: {e!r}", file=sys.stderr)
    CLEANUPS.clear()
    for p in STARTED:
        if p.poll() is None:
            stop(p)


atexit.register(stop_all)


def on_signal(signum, frame):
    raise SystemExit(f"smtp_load: signal {signum}")


def watchdog(signum, frame):
    raise TimeoutError(f"smtp_load exceeded its {WATCHDOG} s watchdog")


def start(argv, log):
    proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    STARTED.append(proc)
    return proc


def proc_status(pid):
    """VmRSS, VmHWM... of /proc/PID/status in KiB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Vm"):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out


def proc_cpu(pid):
    """utime + stime of the whole process (all threads), seconds."""
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def reset_hwm(pid):
    """Resets VmHWM to the current RSS (Linux >= 4.0, same user or root)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def client_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---- corpus -------------------------------------------------------------------------------
class Corpus:
    """The bench messages (role "bench") of the shared corpus, or the 2k copies in the tree."""

    def __init__(self, shared):
        shared_corpus = os.path.join(shared, "corpus") if shared else ""
        if shared_corpus and os.path.exists(os.path.join(shared_corpus, "manifest.json")):
            self.root, self.zone, self.flat = shared_corpus, os.path.join(shared_corpus,
                                                                          "zone.txt"), False
        else:
            self.root = os.path.join(ROOT, "tests", "data", "arc", "bench-corpus")
            self.zone = os.path.join(ROOT, "tests", "data", "dns", "bench-corpus-zone.txt")
            self.flat = True  # 2k messages and keys, flat (tests/data/arc/SOURCE.md)
        with open(os.path.join(self.root, "manifest.json")) as f:
            self.manifest = json.load(f)
        self.relay = self.manifest["relay"]
        self.by_size = {}
        for m in self.manifest["messages"]:
            if m["role"] != "bench":
                continue
            path = os.path.join(self.root, os.path.basename(m["file"]) if self.flat else m["file"])
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                raw = f.read()
            # the flat copy has the 2k messages under the same names as the bigger ones
            if m.get("sha256") and hashlib.sha256(raw).hexdigest() != m["sha256"]:
                continue
            self.by_size.setdefault(m["size_class"], []).append(Message(m["id"], raw,
                                                                        m["envelope"]))
        self.complete = not self.flat

    def key(self, algorithm):
        return os.path.join(self.root, self.relay["keys"][algorithm]["private"])

    def selector(self, algorithm):
        return self.relay["keys"][algorithm]["selector"]


class Message:
    def __init__(self, mid, raw, envelope):
        self.id = mid
        self.size = len(raw)
        self.mail_from = envelope["mail_from"]
        self.rcpts = envelope.get("rcpt_to") or [LIST]
        if not raw.endswith(b"\r\n"):
            raw += b"\r\n"
        self.body_size = len(raw.partition(b"\r\n\r\n")[2])
        # RFC 5321 4.5.2 dot-stuffing, then the terminating dot
        self.payload = re.sub(rb"(?m)^\.", b"..", raw) + b".\r\n"


# ---- Mailman's output (the seal fan-out) --------------------------------------------------
def relaxed_value(value):
    """RFC 6376 3.4.2 relaxed form of a field value (unfolded, WSP runs as one SP, trimmed),
    as relay/handover.cpp normalises what its MAC covers."""
    return re.sub(rb"[ \t]+", b" ", value.replace(b"\r\n", b"")).strip(b" \t")


def first_field(lines, name):
    """The unfolded value of the first field `name` in header lines, or b""."""
    prefix = name.lower() + b":"
    for i, line in enumerate(lines):
        if line.lower().startswith(prefix):
            value = line[len(prefix):]
            for cont in lines[i + 1:]:
                if cont[:1] not in (b" ", b"\t"):
                    break
                value += cont
            return value
    return b""


def handover_field(lines, results, secret, t):
    """The ARCRelay-Handover field the verify listener adds (relay/handover.hpp: HMAC-SHA-256
    over t, our A-R value, the Message-ID and the From domains), so that the seal listener
    trusts our A-R and seals, as it does for the copies Mailman hands it."""
    domains = ",".join(a.rpartition("@")[2].lower() for _, a in email.utils.getaddresses(
        [first_field(lines, b"From").decode(errors="replace")]))
    data = b"arcrelay-handover-v1\nt=%d\nar=%s\nmid=%s\nfrom=%s\n" % (
        t, relaxed_value(results), relaxed_value(first_field(lines, b"Message-ID")),
        domains.encode())
    mac = base64.b64encode(hmac.new(secret, data, hashlib.sha256).digest())
    return b"ARCRelay-Handover: v=1; t=%d; b=%s" % (t, mac)


def mailman_message(post, to, secret):
    """The post as Mailman hands it to the seal listener: our Authentication-Results and
    the hand-over field over it (the verify listener's, under `secret`), Mailman's List-*
    fields, To: `to` when personalized. -> (header lines, body)."""
    raw = post.payload[:-3].replace(b"\r\n..", b"\r\n.")  # undo the dot-stuffing
    head, _, body = raw.partition(b"\r\n\r\n")
    lines, skip = [], False
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not skip:
                lines.append(line)
            continue
        skip = to is not None and line.lower().startswith(b"to:")
        if not skip:
            lines.append(line)
    domain = LIST.split("@")[1]
    results = (b"%s; dkim=pass header.d=example.com header.s=rsa2026;"
               b" spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com;"
               b" arc=none" % domain.encode())
    added = [handover_field(lines, results, secret, int(time.time())),
             b"Authentication-Results: " + results,
             b"List-Id: <%s>" % LIST.replace("@", ".").encode(),
             b"List-Post: <mailto:%s>" % LIST.encode(),
             b"List-Unsubscribe: <mailto:%s>" % LIST.replace("@", "-leave@").encode()]
    if to is not None:
        added.append(b"To: %s" % to.encode())
    return added + lines, body


def bounce_address(member=None):
    local, domain = LIST.split("@")
    if member is None:
        return f"{local}-bounces@{domain}"
    return f"{local}-bounces+{member.replace('@', '=')}@{domain}"  # VERP


def mailman_copies(post, n, secret):
    """n personalized copies, one transaction each: To: and a footer of their own, the VERP
    envelope sender, one RCPT (Mailman's personalize + VERP delivery)."""
    out = []
    for i in range(n):
        member = f"member{i}@members.example.net"
        head, body = mailman_message(post, member, secret)
        footer = (b"\r\n_______________________________________________\r\n"
                  b"bench mailing list -- %s\r\nYou are subscribed as %s; to unsubscribe "
                  b"send an email to %s\r\n" % (LIST.encode(), member.encode(),
                                                LIST.replace("@", "-leave@").encode()))
        m = Message(f"{post.id}-member{i}", b"\r\n".join(head) + b"\r\n\r\n" + body + footer,
                    {"mail_from": bounce_address(member), "rcpt_to": [member]})
        out.append(m)
    return out


def mailman_batches(post, members, secret):
    """One copy for `members` members (not personalized): transactions of up to
    FANOUT_BATCH RCPTs, the same message in each."""
    head, body = mailman_message(post, None, secret)
    raw = b"\r\n".join(head) + b"\r\n\r\n" + body
    rcpts = [f"member{i}@members.example.net" for i in range(members)]
    return [Message(f"{post.id}-batch{k}", raw, {"mail_from": bounce_address(),
                                                  "rcpt_to": rcpts[k:k + FANOUT_BATCH]})
            for k in range(0, members, FANOUT_BATCH)]


# ---- the SMTP client ----------------------------------------------------------------------
class Conn:
    """One SMTP connection: greeting and EHLO, then transactions one after the other."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.pipelining = False
        self.alive = True

    @classmethod
    async def open(cls, port, source="127.0.0.1", ehlo=True):
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0),
                                    limit=1 << 20), STEP)
        c = cls(reader, writer)
        code, text = await c.reply()
        if code != 220:
            c.close()
            raise ConnectionError(f"greeting: {text.strip()!r}")
        if ehlo:
            code, text = await c.command(f"EHLO {CLIENT_HELO}\r\n".encode())
            if code != 250:
                c.close()
                raise ConnectionError(f"EHLO: {text.strip()!r}")
            c.pipelining = bool(re.search(r"^250[- ]PIPELINING\b", text, re.M | re.I))
        return c

    async def reply(self):
        """One (possibly multi-line) reply -> (code, text); (0, "") at EOF."""
        text = b""
        while True:
            line = await asyncio.wait_for(self.reader.readline(), STEP)
            if not line:
                self.alive = False
                return 0, text.decode(errors="replace")
            text += line
            if len(line) < 4 or line[3:4] != b"-":
                try:
                    code = int(line[:3])
                except ValueError:
                    code = 0
                if code in (0, 421):  # garbage, or the server closes the connection
                    self.alive = False
                return code, text.decode(errors="replace")

    async def command(self, line):
        self.writer.write(line)
        await self.writer.drain()
        return await self.reply()

    async def transaction(self, m):
        """MAIL, RCPT..., DATA, message -> (code, text) of the reply to the dot, or of the
        first command that failed (0 when the connection broke)."""
        try:
            cmds = [f"MAIL FROM:<{m.mail_from}>\r\n".encode()]
            cmds += [f"RCPT TO:<{r}>\r\n".encode() for r in m.rcpts]
            cmds.append(b"DATA\r\n")
            first_bad = None
            if self.pipelining:  # RFC 2920: the commands in one write, the replies in order
                self.writer.write(b"".join(cmds))
                await self.writer.drain()
                for cmd in cmds:
                    code, text = await self.reply()
                    want = 354 if cmd == b"DATA\r\n" else 250
                    if code != want and first_bad is None:
                        first_bad = (code, text)
                    if code == 0:
                        break
                if first_bad is not None:
                    if first_bad[0] != 0 and code == 354:  # DATA accepted anyway: end it
                        await self.command(b".\r\n")
                    if self.alive:
                        await self.command(b"RSET\r\n")
                    return first_bad
            else:
                for cmd in cmds:
                    code, text = await self.command(cmd)
                    if code != (354 if cmd == b"DATA\r\n" else 250):
                        if code and cmd != b"DATA\r\n":
                            await self.command(b"RSET\r\n")
                        return code, text
            self.writer.write(m.payload)
            await self.writer.drain()
            return await self.reply()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            self.alive = False
            return 0, repr(e)

    def close(self, quit_=False):
        self.alive = False
        try:
            if quit_:
                self.writer.write(b"QUIT\r\n")
            self.writer.close()
        except OSError:
            pass


def percentile(sorted_values, q):
    """Nearest rank; None for no values."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def latency_summary(lat_s):
    v = sorted(lat_s)
    ms = lambda x: None if x is None else round(1000 * x, 3)  # noqa: E731
    return {"p50_ms": ms(percentile(v, 0.50)), "p90_ms": ms(percentile(v, 0.90)),
            "p99_ms": ms(percentile(v, 0.99)), "max_ms": ms(v[-1] if v else None),
            "mean_ms": ms(sum(v) / len(v) if v else None), "samples": len(v)}


class Tally:
    def __init__(self):
        self.lat, self.ok, self.errors, self.bytes, self.samples = [], 0, 0, 0, {}
        self.late = []  # paced runs: start of each transaction after its scheduled time

    def add(self, m, code, text, latency):
        if code == 250:
            self.ok += 1
            self.bytes += m.size
            self.lat.append(latency)
        else:
            self.errors += 1
            key = (text.strip().splitlines() or ["connection closed"])[-1][:120]
            self.samples[key] = self.samples.get(key, 0) + 1


async def reopen_if_dead(c, port):
    if c.alive:
        return c
    c.close()
    return await Conn.open(port)


async def closed_loop(port, msgs, concurrency, seconds):
    """`concurrency` connections sending back to back for `seconds` (at least one pass over
    `msgs` and one transaction per connection). -> (Tally, elapsed_s)."""
    conns = list(await asyncio.gather(*(Conn.open(port) for _ in range(concurrency))))
    tally = Tally()
    state = {"started": 0}
    need = max(len(msgs), concurrency)
    t0 = time.perf_counter()
    stop_at, hard_stop = t0 + seconds, t0 + max(4 * seconds, seconds + 60)

    async def worker(k):
        while True:
            now = time.perf_counter()
            if (now >= stop_at and state["started"] >= need) or now >= hard_stop:
                return
            m = msgs[state["started"] % len(msgs)]
            state["started"] += 1
            try:
                conns[k] = await reopen_if_dead(conns[k], port)
            except (OSError, asyncio.TimeoutError, ConnectionError) as e:
                tally.add(m, 0, "reconnect: " + repr(e), 0)
                await asyncio.sleep(0.1)
                continue
            t = time.perf_counter()
            code, text = await conns[k].transaction(m)
            tally.add(m, code, text, time.perf_counter() - t)

    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - t0
    for c in conns:
        c.close(quit_=True)
    return tally, elapsed


async def paced(port, msgs, rate, seconds, pool=PACED_POOL):
    """Open loop: one transaction every 1/rate s for `seconds`, on a pool of connections;
    latency from the scheduled start. -> (Tally, elapsed_s, transactions offered)."""
    conns = await asyncio.gather(*(Conn.open(port) for _ in range(pool)))
    idle = asyncio.Queue()
    for c in conns:
        idle.put_nowait(c)
    tally = Tally()
    n = max(int(rate * seconds), len(msgs))
    t0 = time.perf_counter() + 0.05

    async def one(i, scheduled):
        m = msgs[i % len(msgs)]
        c = await idle.get()
        # the client's own share of the latency: how late it starts the transaction it
        # scheduled (a busy event loop, or no free connection)
        tally.late.append(time.perf_counter() - scheduled)
        try:
            c = await reopen_if_dead(c, port)
            code, text = await c.transaction(m)
        except (OSError, asyncio.TimeoutError, ConnectionError) as e:
            code, text = 0, "reconnect: " + repr(e)
        tally.add(m, code, text, time.perf_counter() - scheduled)
        idle.put_nowait(c)

    tasks = []
    for i in range(n):
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(i, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    while not idle.empty():
        idle.get_nowait().close(quit_=True)
    return tally, elapsed, n


# ---- servers ------------------------------------------------------------------------------
class Sink:
    """smtp-sink on 127.0.0.1 (discards every message)."""

    def __init__(self, workdir):
        self.log = open(os.path.join(workdir, "smtp-sink.log"), "wb")
        user = ["-u", "nobody"] if os.geteuid() == 0 else []  # required when root
        self.proc, (self.port,) = start_listening(
            lambda port: start([SMTP_SINK, *user, "-h", "sink.example", "-t", str(STEP),
                                "-m", "1024", f"127.0.0.1:{port}", "1024"], self.log),
            "smtp-sink")

    def close(self):
        stop(self.proc)
        self.log.close()


class Relay:
    """`arcrelay serve` with a generated one-pass configuration (every stage)."""

    def __init__(self, binary, workdir, name, corpus, sink_port, algorithms,
                 max_message_size=None, command_timeout_s=60, stages="one-pass"):
        self.dir = os.path.join(workdir, name)
        os.makedirs(os.path.join(self.dir, "state"), exist_ok=True)
        self.config = os.path.join(self.dir, "arcrelay.toml")
        self.log_path = os.path.join(self.dir, "arcrelay.log")
        self.log = open(self.log_path, "wb")
        self.binary, self.corpus, self.sink_port = binary, corpus, sink_port
        self.algorithms = algorithms
        self.max_message_size = max_message_size
        self.command_timeout_s = command_timeout_s
        self.stages = stages
        try:
            self.proc, (self.port,) = start_listening(self.launch, f"arcrelay ({name})")
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {self.log_text()[-2000:]}") from None
        self.pid = self.proc.pid

    def launch(self, port):
        keys = "".join(f"""
[[arc.key]]
algorithm = "{a}"
domain = "{self.corpus.relay['domain']}"
selector = "{self.corpus.selector(a)}"
private_key = "{self.corpus.key(a)}"
""" for a in self.algorithms)
        size = f"max_message_size = {self.max_message_size}\n" if self.max_message_size else ""
        # the seal listener of the split layout, as examples/arcrelay.toml sets it up
        seal = (f"""allowed_clients = ["127.0.0.1/32"]
recipients = "any"

[listener.limits]
max_recipients = {FANOUT_BATCH}
""" if self.stages == "split-seal" else "")
        with open(self.config, "w") as f:
            f.write(f"""# written by bench/smtp_load.py
[server]
hostname = "relay.lists.example.org"
authserv_id = "lists.example.org"
threads = {RELAY_WORKERS}
io_threads = {RELAY_IO_THREADS}
state_dir = "{self.dir}/state"

[[listener]]
name = "in"
address = "127.0.0.1"
port = {port}
stages = "{self.stages}"
{seal}
[next_hop]
uri = "smtp:127.0.0.1:{self.sink_port}"
pool_size = 64
connect_timeout_s = 5
data_term_timeout_s = 60

[limits]
connections_total = 20000
connections_per_ip = 20000
command_timeout_s = {self.command_timeout_s}
data_block_timeout_s = 60
{size}
[[list]]
address = "{LIST}"
subject_prefix = "[bench] "
list_headers = true
{keys}
[dns]
zone_file = "{self.corpus.zone}"

[log]
level = "info"
format = "text"
""")
        return start([self.binary, "serve", "--config", self.config], self.log)

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def status(self):
        return proc_status(self.pid)

    def check_alive(self):
        """RuntimeError with the end of its log when arcrelay has exited (a crash)."""
        if self.proc.poll() is not None:
            raise RuntimeError("arcrelay (%s) exited with status %s; end of %s:\n%s" % (
                os.path.basename(self.dir), self.proc.returncode, self.log_path,
                self.log_text()[-1500:]))

    def close(self):
        rc = stop(self.proc, DRAIN_WAIT)
        self.log.close()
        return rc


# ---- measurements -------------------------------------------------------------------------
class Run:
    def __init__(self, out, args, corpus):
        self.out, self.args, self.corpus = out, args, corpus
        self.peak = {}       # size -> best closed-loop msgs/s via arcrelay (both keys)
        self.closed = {}     # (target, size, concurrency) -> run record

    def stop_relay(self, relay):
        """Stops arcrelay (SIGTERM: drain, exit 0) and records its exit status."""
        self.emit({"type": "e2e_relay_exit", "relay": os.path.basename(relay.dir),
                   "status": relay.close()})

    def emit(self, obj):
        self.out.write(json.dumps(obj) + "\n")
        self.out.flush()

    def measure(self, target, size, concurrency, seconds, port, relay=None, mode="closed",
                rate=None):
        msgs = self.corpus.by_size[size]
        if relay:
            relay.check_alive()
        hwm_reset = reset_hwm(relay.pid) if relay else None
        cpu0 = proc_cpu(relay.pid) if relay else None
        c0 = client_cpu()
        if mode == "closed":
            tally, elapsed = asyncio.run(closed_loop(port, msgs, concurrency, seconds))
            offered = None
        else:
            tally, elapsed, offered = asyncio.run(paced(port, msgs, rate, seconds))
        rec = {"type": "e2e_run", "target": target, "size_class": size, "mode": mode,
               "concurrency": concurrency, "connections": concurrency or PACED_POOL,
               "messages": tally.ok, "errors": tally.errors,
               "error_samples": dict(list(tally.samples.items())[:5]),
               "elapsed_s": round(elapsed, 4), "msgs_per_s": round(tally.ok / elapsed, 3),
               "mb_per_s": round(tally.bytes / elapsed / 1e6, 3),
               "client_cpu_s": round(client_cpu() - c0, 3), **latency_summary(tally.lat)}
        if mode == "paced":
            rec["offered_per_s"] = round(rate, 3)
            rec["offered"] = offered
            late = sorted(tally.late)
            rec["client_late_p50_ms"] = round(1000 * percentile(late, 0.5), 3) if late else None
            rec["client_late_p99_ms"] = round(1000 * percentile(late, 0.99), 3) if late else None
        if relay:
            relay.check_alive()
            st = relay.status()
            cpu = proc_cpu(relay.pid) - cpu0
            rec.update({"relay_cpu_s": round(cpu, 3),
                        "relay_cpu_ms_per_msg": round(1000 * cpu / max(tally.ok, 1), 3),
                        "relay_vm_hwm_kb": st.get("VmHWM"), "relay_vm_rss_kb": st.get("VmRSS"),
                        "hwm_reset": hwm_reset})
            if relay.proc.poll() is not None:
                rec["relay_exited"] = relay.proc.returncode
        self.emit(rec)
        print("  %-12s %-4s %-6s c=%-3s %8.1f msg/s  p50 %8.2f ms  p99 %8.2f ms  errors %d%s" % (
            target, size, mode, rec["concurrency"] or "-", rec["msgs_per_s"], rec["p50_ms"] or -1,
            rec["p99_ms"] or -1, tally.errors,
            "  RSS peak %.0f MiB" % (rec["relay_vm_hwm_kb"] / KB) if relay else ""),
            file=sys.stderr, flush=True)
        if tally.errors:
            print("     first replies that were not 250: %s" % rec["error_samples"],
                  file=sys.stderr)
        return rec

    def warm(self, port):
        """One pass over every bench message at concurrency 1 (caches, pools), untimed."""
        msgs = [m for s in self.args.sizes for m in self.corpus.by_size[s]]
        asyncio.run(closed_loop(port, msgs, 1, 0))

    # throughput + added latency at 1/8/64 ---------------------------------------------------
    def throughput(self, sink, relay):
        a = self.args
        for size in a.sizes:
            for c in a.concurrency:
                d = self.measure("sink", size, c, a.sink_seconds, sink.port)
                r = self.measure("arcrelay", size, c, a.seconds, relay.port, relay)
                self.closed[("sink", size, c)] = d
                self.closed[("arcrelay", size, c)] = r
                self.emit({"type": "e2e_added", "size_class": size, "concurrency": c,
                           **{f"added_{p}_ms": round(r[f"{p}_ms"] - d[f"{p}_ms"], 3)
                              if r[f"{p}_ms"] is not None and d[f"{p}_ms"] is not None
                              else None for p in ("p50", "p99")}})
            self.peak[size] = max(self.closed[("arcrelay", size, c)]["msgs_per_s"]
                                  for c in a.concurrency)

    def half_load(self, sink, relay):
        a = self.args
        for size in a.sizes:
            peak = self.peak.get(size)
            if not peak:
                continue
            rate = peak / 2
            # at least PACED_SAMPLES transactions, or the p99 of slow sizes is their maximum
            seconds = max(a.seconds, PACED_SAMPLES / rate)
            log_start = settled_log_size(relay)
            r = self.measure("arcrelay", size, None, seconds, relay.port, relay, "paced", rate)
            slowest = slowest_transactions(relay, log_start)
            d = self.measure("sink", size, None, seconds, sink.port, None, "paced", rate)
            added = (None if r["p99_ms"] is None or d["p99_ms"] is None
                     else round(r["p99_ms"] - d["p99_ms"], 3))
            self.emit({"type": "e2e_half_load", "size_class": size, "peak_msgs_per_s": peak,
                       "offered_per_s": round(rate, 3), "achieved_per_s": r["msgs_per_s"],
                       "relay_p50_ms": r["p50_ms"], "relay_p99_ms": r["p99_ms"],
                       "sink_p50_ms": d["p50_ms"], "sink_p99_ms": d["p99_ms"],
                       "added_p50_ms": None if r["p50_ms"] is None or d["p50_ms"] is None
                       else round(r["p50_ms"] - d["p50_ms"], 3),
                       "added_p99_ms": added, "samples": r["samples"], "errors": r["errors"],
                       "relay_client_late_p99_ms": r.get("client_late_p99_ms"),
                       "sink_client_late_p99_ms": d.get("client_late_p99_ms"),
                       "relay_cpu_share": round(r["relay_cpu_s"] / r["elapsed_s"], 3),
                       "client_cpu_share": round(r["client_cpu_s"] / r["elapsed_s"], 3),
                       "relay_slowest_transactions": slowest, "target_ms": 10})
            print("  half load %s: %.1f msg/s offered, p99 added %.2f ms; slowest in the relay "
                  "%s ms" % (size, rate, added if added is not None else float("nan"),
                             slowest[0]["ms"] if slowest else "-"), file=sys.stderr)

    # rsa-only sealing at concurrency 8 and rspamd -----------------------------------------
    def rsa_only(self, sink, relay_rsa, conc=8):
        out = {}
        for size in self.args.sizes:
            out[size] = self.measure("arcrelay-rsa", size, conc, self.args.seconds,
                                     relay_rsa.port, relay_rsa)
        return out

    def rspamd(self, workdir, conc=8):
        """peer_rspamd.py at concurrency `conc` (servers.sh, PROFILE=min, free ports).
        -> {size: summary} or a reason string."""
        shared = self.args.shared
        servers = os.path.join(shared, "rspamd", "servers.sh")
        peer = os.path.join(shared, "peer_rspamd.py")
        if not (shutil.which("rspamd") and shutil.which("nsd") and os.path.exists(servers)
                and os.path.exists(peer) and self.corpus.complete):
            return "needs Debian rspamd and nsd and ../shared/bench with its corpus"
        env = dict(os.environ, WORKDIR=os.path.join(workdir, "rspamd-c%d" % conc),
                   PROFILE="min", CORPUS=self.corpus.root,
                   DNSPORT=str(free_port(socket.SOCK_DGRAM)), HTTPPORT=str(free_port()))
        log = open(os.path.join(workdir, "rspamd-servers.log"), "ab")

        def servers_stop():
            subprocess.run(["bash", servers, "stop"], env=env, stdout=log, stderr=log,
                           timeout=60)

        CLEANUPS.append(servers_stop)
        try:
            subprocess.run(["bash", servers, "start"], env=env, stdout=log, stderr=log,
                           timeout=120, check=True)
            with open(os.path.join(env["WORKDIR"], "rspamd.started.pid")) as f:
                pid = f.read().strip()
            subprocess.run([PY, os.path.join(shared, "rspamd", "wait_idle.py"), pid],
                           stdout=log, stderr=log, timeout=620, check=True)
            jsonl = os.path.join(self.args.results, "rspamd_c%d.jsonl" % conc)
            if os.path.exists(jsonl):
                os.unlink(jsonl)
            with open(os.path.join(self.args.results, "rspamd_c%d.txt" % conc), "wb") as err:
                subprocess.run([PY, peer, "--label", "min", "--concurrency", str(conc),
                                "--runs", "1", "--min-seconds", str(self.args.peer_seconds),
                                "--sizes", ",".join(self.args.sizes),
                                "--rspamd-pid", pid, "--url",
                                "http://127.0.0.1:%s" % env["HTTPPORT"], "--jsonl", jsonl,
                                "--corpus", self.corpus.root],
                               stdout=subprocess.DEVNULL, stderr=err, timeout=900, check=True)
            with open(jsonl) as f:
                rows = [json.loads(l) for l in f if l.strip()]
            # The verdict pass (each message once, before the timed runs) shows that rspamd
            # got its DNS answers from nsd: servers.sh cannot check that without dig.
            check = next((r for r in rows if r.get("type") == "verdict_summary"), {})
            out = {r["size_class"]: r for r in rows if r.get("type") == "summary"}
            for r in out.values():
                r["verdicts"] = {k: check.get(k) for k in ("messages", "sealed", "dkim_agrees",
                                                           "spf_agrees", "dmarc_agrees",
                                                           "arc_agrees")}
            return out
        except (subprocess.SubprocessError, OSError) as e:
            return "failed: %r (see %s)" % (e, log.name)
        finally:
            CLEANUPS.remove(servers_stop)
            try:
                servers_stop()
            finally:
                log.close()

    def compare_rspamd(self, ours, theirs, conc=8):
        for size in self.args.sizes:
            r = theirs.get(size)
            o = ours.get(size)
            if not r or not o:
                continue
            ratio = o["msgs_per_s"] / r["msgs_per_s_median"] if r["msgs_per_s_median"] else None
            self.emit({"type": "e2e_rspamd", "size_class": size, "concurrency": conc,
                       "arcrelay_rsa_msgs_per_s": o["msgs_per_s"],
                       "rspamd_msgs_per_s": r["msgs_per_s_median"],
                       "rspamd_server_cpu_ms_per_msg": r.get("server_cpu_ms_per_msg_median"),
                       "arcrelay_cpu_ms_per_msg": o.get("relay_cpu_ms_per_msg"),
                       "rspamd_client_cpu_share": r.get("client_cpu_share_median"),
                       "arcrelay_client_cpu_share": round(o["client_cpu_s"] / o["elapsed_s"], 3),
                       "rspamd_verdicts": r.get("verdicts"),
                       "ratio": None if ratio is None else round(ratio, 3), "target": 3})
            print("  rspamd c=%d %s: arcrelay(rsa) %.1f vs rspamd %.1f msg/s = %.2fx" % (
                conc, size, o["msgs_per_s"], r["msgs_per_s_median"], ratio or 0),
                file=sys.stderr)

    # 25 MB ----------------------------------------------------------------------------------
    def big(self, workdir, sink):
        size = int(self.args.big_mb * 1e6)
        msg, signed = big_message(self.corpus, size)
        path = os.path.join(workdir, "big.eml")
        with open(path, "wb") as f:
            f.write(msg)
        dkim = verify_dkim(self.args.binary, self.corpus, path) if signed else "unsigned"
        os.unlink(path)
        relay = Relay(self.args.binary, workdir, "relay-big", self.corpus, sink.port,
                      ["rsa-sha256", "ed25519-sha256"], max_message_size=2 * size + (1 << 20))
        try:
            small = self.corpus.by_size[self.args.sizes[0]]
            asyncio.run(closed_loop(relay.port, small, 1, 0))  # warm: a normal message first
            time.sleep(0.3)
            before = relay.status()
            hwm_reset = reset_hwm(relay.pid)
            m = Message("big", msg, {"mail_from": "alice@example.com", "rcpt_to": [LIST]})
            t0 = time.perf_counter()
            tally, _ = asyncio.run(closed_loop(relay.port, [m], 1, 0))
            seconds = time.perf_counter() - t0
            after = relay.status()
            base = before["VmRSS"] if hwm_reset else before["VmHWM"]
            rec = {"type": "e2e_big", "message_bytes": len(msg), "dkim": dkim,
                   "accepted": tally.ok == 1, "reply": next(iter(tally.samples), "250"),
                   "seconds": round(seconds, 3), "baseline_rss_kb": before["VmRSS"],
                   "baseline_hwm_kb": before["VmHWM"], "peak_hwm_kb": after["VmHWM"],
                   "rss_after_kb": after["VmRSS"], "hwm_reset": hwm_reset,
                   "peak_minus_baseline_kb": after["VmHWM"] - base,
                   "ratio": round((after["VmHWM"] - base) * KB / len(msg), 3),
                   "ratio_absolute": round(after["VmHWM"] * KB / len(msg), 3), "target": 3}
            self.emit(rec)
            print("  %.1f MB message: %s in %.2f s, peak RSS %.0f MiB (+%.0f MiB over %.0f MiB "
                  "before) = %.2fx its size (absolute %.2fx)" % (
                      len(msg) / 1e6, "accepted" if rec["accepted"] else rec["reply"], seconds,
                      after["VmHWM"] / KB, rec["peak_minus_baseline_kb"] / KB, base / KB,
                      rec["ratio"], rec["ratio_absolute"]), file=sys.stderr)
        finally:
            self.stop_relay(relay)

    # idle connections -----------------------------------------------------------------------
    def idle(self, workdir, sink):
        want = self.args.idle
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        # the driver and arcrelay each hold one descriptor per connection, plus their own
        reachable = min(want, hard - 256)
        why = None if reachable >= want else (
            "hard RLIMIT_NOFILE is %d: %d connections leave room for the other descriptors "
            "of each process" % (hard, reachable))
        relay = Relay(self.args.binary, workdir, "relay-idle", self.corpus, sink.port,
                      ["rsa-sha256", "ed25519-sha256"], command_timeout_s=600)
        try:
            asyncio.run(closed_loop(relay.port, self.corpus.by_size[self.args.sizes[0]], 1, 0))
            time.sleep(0.5)
            before = relay.status()
            stats = asyncio.run(hold_idle(relay, reachable))
            rec = {"type": "e2e_idle", "requested": want, "attempted": reachable,
                   "fd_limit_hard": hard, "limited_by": why, "rss_before_kb": before["VmRSS"],
                   **stats}
            g = stats["greeted"]
            rec["rss_per_conn_bytes"] = (round((stats["rss_open_kb"] - before["VmRSS"]) * KB / g)
                                         if g else None)
            # RSS with `want` idle connections: measured, or extrapolated from what was reached
            rec["rss_at_requested_kb"] = (stats["rss_open_kb"] if g >= want else
                                          round(before["VmRSS"] + (rec["rss_per_conn_bytes"] or 0)
                                                * want / KB))
            rec["extrapolated"] = g < want
            rec["target_kb"] = 1 << 20
            self.emit(rec)
            print("  idle: %d of %d greeted, RSS %.0f -> %.0f MiB = %s bytes per connection "
                  "(%d refused/failed)" % (g, reachable, before["VmRSS"] / KB,
                                           stats["rss_open_kb"] / KB,
                                           rec["rss_per_conn_bytes"], stats["failed"]),
                  file=sys.stderr)
        finally:
            self.stop_relay(relay)

    # seal fan-out: the split layout's seal listener fed as Mailman feeds it ------------------
    def fanout(self, workdir, sink):
        relay = Relay(self.args.binary, workdir, "relay-seal", self.corpus, sink.port,
                      ["rsa-sha256", "ed25519-sha256"], stages="split-seal")
        n = self.args.fanout_members
        try:
            # the hand-over secret the listener made on its first start (STATE_DIR), which a
            # verify listener sharing it would sign with
            with open(os.path.join(relay.dir, "state", "handover.secret"), "rb") as f:
                secret = f.read().rstrip(b"\r\n \t")
            sizes = [s for s in ("2k", "20k") if s in self.args.sizes]
            for size in sizes:  # warm: caches, the next-hop pool
                asyncio.run(closed_loop(relay.port, mailman_copies(self.post(size), 8, secret),
                                        1, 0))
            for size in sizes:
                post = self.post(size)
                copies = mailman_copies(post, n, secret)
                for runners in FANOUT_RUNNERS:
                    self.fanout_run(relay, size, "personalized", copies, runners, n)
                whole = mailman_batches(post, FANOUT_LIST_MEMBERS, secret)
                self.fanout_run(relay, size, "batched", whole, 1, FANOUT_LIST_MEMBERS)
        finally:
            self.stop_relay(relay)

    def post(self, size):
        """The s1 message of `size` (plain text, no prior ARC set), the fan-out's post."""
        msgs = self.corpus.by_size[size]
        return next((m for m in msgs if m.id.endswith("-s1")), msgs[0])

    def crypto_rates(self):
        """The in-process crypto rates measured now (bench_arcrelay --stages crypto), or None
        without that binary."""
        if not os.path.exists(self.args.rates_binary):
            return None
        out = subprocess.run([self.args.rates_binary, "--corpus", self.corpus.root,
                              "--stages", "crypto"], capture_output=True, text=True, check=True,
                             timeout=120).stdout
        return next(json.loads(l)["rates"] for l in out.splitlines()
                    if l.startswith("{") and json.loads(l).get("type") == "crypto")

    def fanout_run(self, relay, size, mode, msgs, connections, members):
        relay.check_alive()
        # The bound of this run: the rates measured right before and right after it (the
        # faster), as the machine's speed moves by tens of percent within minutes here.
        rates_before = self.crypto_rates()
        log_start = settled_log_size(relay)
        cpu0, c0 = proc_cpu(relay.pid), client_cpu()
        tally, elapsed = asyncio.run(closed_loop(relay.port, msgs, connections, 0))
        cpu = proc_cpu(relay.pid) - cpu0
        rates_after = self.crypto_rates()
        bound_rates = ({k: max(v, rates_after[k]) for k, v in rates_before.items()}
                       if rates_before and rates_after else None)
        relay.check_alive()
        seals, unsealed = sealed_transactions(relay, log_start, len(msgs))
        if unsealed:  # e.g. the hand-over was refused: then nothing here measured sealing
            raise RuntimeError("fan-out: %d of %d transactions were not sealed: %s" % (
                len(unsealed), len(msgs), unsealed[0][-300:]))
        per_list = elapsed * FANOUT_LIST_MEMBERS / members if members else None
        rec = {"type": "e2e_fanout", "size_class": size, "mode": mode,
               "connections": connections, "members": members,
               "transactions": len(msgs), "seals": seals, "errors": tally.errors,
               "error_samples": dict(list(tally.samples.items())[:5]),
               "message_bytes": round(sum(m.size for m in msgs) / max(len(msgs), 1)),
               "body_bytes": round(sum(m.body_size for m in msgs) / max(len(msgs), 1)),
               "elapsed_s": round(elapsed, 4), "relay_cpu_s": round(cpu, 3),
               "client_cpu_s": round(client_cpu() - c0, 3),
               "seals_per_s": round(seals / elapsed, 2),
               "seals_per_cpu_s": round(seals / cpu, 2) if cpu > 0 else None,
               "list_members": FANOUT_LIST_MEMBERS,
               "list_seconds": round(per_list, 3) if per_list is not None else None,
               "extrapolated": members != FANOUT_LIST_MEMBERS, "bound_rates": bound_rates,
               **latency_summary(tally.lat)}
        self.emit(rec)
        print("  fan-out %-4s %-12s %d conn: %d seals in %.2f s (%.0f seals/s, %s seals/CPU-s); "
              "%d members: %.1f s%s; errors %d" % (
                  size, mode, connections, seals, elapsed, rec["seals_per_s"],
                  rec["seals_per_cpu_s"], FANOUT_LIST_MEMBERS, rec["list_seconds"] or -1,
                  " (extrapolated)" if rec["extrapolated"] else "", tally.errors),
              file=sys.stderr, flush=True)
        if tally.errors:
            print("     first replies that were not 250: %s" % rec["error_samples"],
                  file=sys.stderr)
        return rec


    # smtp-source cross-check ------------------------------------------------------------------
    def smtp_source(self, workdir, relay, sessions=8):
        size = self.args.sizes[0]
        m = self.corpus.by_size[size][0]
        lf = os.path.join(workdir, "smtp-source-%s.txt" % m.id)
        with open(lf, "wb") as f:  # -F appends CRLF to each line as read
            f.write(m.payload[:-3].replace(b"\r\n", b"\n").replace(b"\n..", b"\n."))
        count = max(50, int(self.peak.get(size, 100) * self.args.seconds))
        argv = [SMTP_SOURCE, "-s", str(sessions), "-m", str(count), "-M", CLIENT_HELO,
                "-f", m.mail_from, "-t", LIST, "-F", lf, f"127.0.0.1:{relay.port}"]
        t0 = time.perf_counter()
        try:
            r = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                               timeout=max(120, 10 * self.args.seconds))
            err = r.stderr.strip()[-300:] if r.returncode else None
        except subprocess.TimeoutExpired:
            err = "timed out"
        elapsed = time.perf_counter() - t0
        rec = {"type": "e2e_smtp_source", "message": m.id, "size_class": size,
               "sessions": sessions, "messages": count, "elapsed_s": round(elapsed, 3),
               "msgs_per_s": round(count / elapsed, 3), "error": err,
               "our_client_msgs_per_s": self.closed.get(("arcrelay", size, sessions),
                                                        {}).get("msgs_per_s")}
        self.emit(rec)
        print("  smtp-source -s %d -m %d (%s, one connection per message): %.1f msg/s%s" % (
            sessions, count, m.id, rec["msgs_per_s"], " ERROR " + err if err else ""),
            file=sys.stderr)


# A transaction log line, after the optional "ts=..." stamp of [log] timestamps.
TRANSACTION_LINE = re.compile(rb"(ts=\S+ )?transaction ")


LOG_GATHER_S = 0.02  # relay/log_writer.hpp default_gather: how late a line may be written


def settled_log_size(relay, quiet_s=3 * LOG_GATHER_S, wait_s=2.0):
    """The size of the relay's log once nothing was appended for `quiet_s` (the log writer
    writes a line up to LOG_GATHER_S after its transaction ended), or after `wait_s`: the
    offset where the next run's lines start, and where the last run's lines all are."""
    deadline = time.monotonic() + wait_s
    size, since = os.path.getsize(relay.log_path), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(LOG_GATHER_S / 2)
        now_size = os.path.getsize(relay.log_path)
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return size


def sealed_transactions(relay, offset, count, wait_s=5.0):
    """How many of the `count` transactions logged after byte `offset` of the relay's log
    added ARC sets, and the log lines of those that did not. -> (sealed, [line])."""
    deadline = time.monotonic() + wait_s
    while True:
        with open(relay.log_path, "rb") as f:
            f.seek(offset)
            lines = [l.decode(errors="replace") for l in f.read().split(b"\n")
                     if TRANSACTION_LINE.match(l)]
        if len(lines) >= count:
            break
        if time.monotonic() > deadline:  # a log format this reader does not know: say so
            raise RuntimeError("fan-out: %d transaction lines in the relay's log for %d "
                               "transactions" % (len(lines), count))
        time.sleep(0.05)
    sealed = [l for l in lines if re.search(r" arc_sets_added=[1-9]", l)]
    return len(sealed), [l for l in lines if l not in sealed]


def slowest_transactions(relay, offset, n=3):
    """The `n` transactions logged after byte `offset` of the relay's log that took longest by
    the relay's own clock (ms=, from the end of DATA to the final reply), with their ts= when
    [log] timestamps are on, and the part at the next hop (next_hop_ms=): whether a tail the
    client saw was spent inside a transaction, and in which part.
    -> [{"ms": int, "ts": str or None, "next_hop_ms": int or None}]."""
    settled_log_size(relay)  # the run's last lines are written
    with open(relay.log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    found = []
    for line in text.split("\n"):
        if not TRANSACTION_LINE.match(line.encode()):
            continue
        ms = re.search(r" ms=(\d+)", line)
        hop = re.search(r" next_hop_ms=(\d+)", line)
        ts = re.match(r"ts=(\S+) ", line)
        if ms:
            found.append({"ms": int(ms.group(1)), "ts": ts.group(1) if ts else None,
                          "next_hop_ms": int(hop.group(1)) if hop else None})
    return sorted(found, key=lambda x: -x["ms"])[:n]


async def offers_pipelining(port):
    c = await Conn.open(port)
    c.close(quit_=True)
    return c.pipelining


async def hold_idle(relay, n):
    """Opens n connections from IDLE_SOURCES addresses, reads each greeting, measures RSS
    with all open, closes them. -> dict."""
    sem = asyncio.Semaphore(IDLE_OPENING)
    conns, failures = [], {}
    t0 = time.perf_counter()

    async def one(i):
        async with sem:
            source = "127.0.0.%d" % (2 + i % IDLE_SOURCES)
            try:
                conns.append(await Conn.open(relay.port, source, ehlo=False))
            except (OSError, asyncio.TimeoutError, ConnectionError) as e:
                key = str(e)[:100]
                failures[key] = failures.get(key, 0) + 1

    await asyncio.gather(*(one(i) for i in range(n)))
    opened_s = time.perf_counter() - t0
    await asyncio.sleep(1.0)  # let the sessions settle at their first read
    st = relay.status()
    # the connections are still open: nothing was read but the greeting
    still = sum(1 for c in conns if not c.reader.at_eof())
    for c in conns:
        c.close()
    await asyncio.sleep(1.0)
    after = relay.status()
    return {"greeted": len(conns), "still_open": still, "failed": sum(failures.values()),
            "failure_samples": dict(list(failures.items())[:5]), "open_seconds": round(opened_s, 2),
            "rss_open_kb": st["VmRSS"], "hwm_kb": st["VmHWM"], "rss_closed_kb": after["VmRSS"]}


# ---- the 25 MB message --------------------------------------------------------------------
def relaxed_header(name, value):
    """RFC 6376 3.4.2 relaxed header canonicalization, without the CRLF."""
    v = re.sub(r"\r\n(?=[ \t])", "", value)
    v = re.sub(r"[ \t]+", " ", v).strip(" ")
    return name.lower() + ":" + v


def big_message(corpus, size):
    """A text/plain message of about `size` bytes, DKIM-signed by example.com (rsa-sha256,
    relaxed/relaxed) when openssl is there. -> (bytes, signed)."""
    headers = [("From", "Alice <alice@example.com>"), ("To", LIST),
               ("Subject", "a %d MB message for the memory test" % round(size / 1e6)),
               ("Date", "Thu, 01 Jan 2026 00:00:00 +0000"),
               ("Message-ID", "<big-%d@example.com>" % size), ("MIME-Version", "1.0"),
               ("Content-Type", "text/plain; charset=us-ascii")]
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod".split()
    lines = []
    for i in range(64):  # 64 distinct 76-character lines, repeated
        text = "%05d" % i
        k = i
        while len(text) < 76:
            text += " " + words[k % len(words)]
            k += 1
        lines.append(text[:76].rstrip().ljust(76, "x").encode() + b"\r\n")  # no trailing WSP
    block = b"".join(lines)
    body = (block * (size // len(block) + 1))[:size // 78 * 78]  # whole 78-byte lines
    key = os.path.join(corpus.root, "keys", "example.com.rsa2026.rsa.pem")
    signed = bool(shutil.which("openssl")) and os.path.exists(key)
    if signed:
        bh = base64.b64encode(hashlib.sha256(body).digest()).decode()
        h = ["From", "To", "Subject", "Date", "Message-ID"]
        sig = ("v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa2026; t=1767225600; "
               "h=%s; bh=%s; b=" % (":".join(x.lower() for x in h), bh))
        data = "".join(relaxed_header(n, v) + "\r\n" for n, v in headers if n in h)
        data += relaxed_header("DKIM-Signature", sig)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=data.encode(),
                           capture_output=True, timeout=60)
        if r.returncode == 0:
            headers.insert(0, ("DKIM-Signature", sig + base64.b64encode(r.stdout).decode()))
        else:
            signed = False
    head = "".join("%s: %s\r\n" % hv for hv in headers).encode()
    return head + b"\r\n" + body, signed


def verify_dkim(binary, corpus, path):
    """The DKIM verdict `arcrelay verify` gives the generated message (to prove it is real)."""
    try:
        r = subprocess.run([binary, "verify", "--zone", corpus.zone, "--client-ip", "192.0.2.10",
                            "--helo", "mail.example.com", "--mail-from", "alice@example.com",
                            "--json", path], capture_output=True, text=True, timeout=120)
        return ",".join(d.get("result", "?") for d in json.loads(r.stdout).get("dkim", []))
    except (subprocess.SubprocessError, ValueError, OSError) as e:
        return "verify failed: %r" % e


# ---- main ---------------------------------------------------------------------------------
def env_default(name, default):
    return os.environ.get(name) or default


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build-bench", "relay", "arcrelay"))
    ap.add_argument("--rates-binary", default=None,
                    help="bench_arcrelay, for the crypto rates around each fan-out run "
                    "(default: bench/bench_arcrelay of --binary's build tree)")
    ap.add_argument("--shared", default=os.environ.get("SHARED_BENCH") or
                    os.path.join(os.path.dirname(ROOT), "shared", "bench"))
    ap.add_argument("--sizes", default=env_default("E2E_SIZES", ",".join(SIZES)))
    ap.add_argument("--concurrency", default=env_default("E2E_CONCURRENCY", "1,8,64"))
    ap.add_argument("--seconds", type=float, default=float(env_default("E2E_SECONDS", 5)))
    ap.add_argument("--sink-seconds", type=float,
                    default=float(env_default("E2E_SINK_SECONDS", 2)))
    ap.add_argument("--idle", type=int, default=int(env_default("E2E_IDLE", 10000)))
    ap.add_argument("--big-mb", type=float, default=float(env_default("E2E_BIG_MB", 25)))
    ap.add_argument("--peer-seconds", type=float, default=float(env_default("PEER_SECONDS", 3)))
    ap.add_argument("--fanout-members", type=int,
                    default=int(env_default("E2E_FANOUT_MEMBERS", FANOUT_LIST_MEMBERS)),
                    help="personalized copies per fan-out run (default: the %d members of "
                    "the list; the list's time is extrapolated from fewer)" %
                    FANOUT_LIST_MEMBERS)
    ap.add_argument("--skip", default=env_default("E2E_SKIP", ""),
                    help="comma list of: main (closed loop, half, smtp-source), half, rsa, rspamd, big, "
                    "idle, smtp-source, fanout")
    a = ap.parse_args()
    if a.rates_binary is None:
        a.rates_binary = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(a.binary))),
                                      "bench", "bench_arcrelay")
    a.concurrency = [int(x) for x in a.concurrency.split(",") if x]
    a.skip = set(x for x in a.skip.split(",") if x)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(WATCHDOG)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # arcrelay inherits it

    for tool in (a.binary, SMTP_SINK):
        if not os.access(tool, os.X_OK):
            sys.exit("smtp_load: %s is missing" % tool)
    corpus = Corpus(a.shared)
    wanted = [s for s in a.sizes.split(",") if s]
    a.sizes = [s for s in SIZES if s in wanted and s in corpus.by_size]
    if not a.sizes:
        sys.exit("smtp_load: no bench messages of sizes %s in %s" % (wanted, corpus.root))
    os.makedirs(a.results, exist_ok=True)
    workdir = os.path.join(a.results, "e2e")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    os.chmod(workdir, 0o755)
    out = open(os.path.join(a.results, "smtp.jsonl"), "w")
    run = Run(out, a, corpus)
    started = time.time()
    run.emit({"type": "e2e_setup", "corpus": corpus.root, "complete": corpus.complete,
              "sizes": a.sizes, "missing_sizes": [s for s in wanted if s not in a.sizes],
              "concurrency": a.concurrency, "seconds": a.seconds, "sink_seconds": a.sink_seconds,
              "threads": RELAY_WORKERS, "io_threads": RELAY_IO_THREADS, "paced_pool": PACED_POOL,
              "client_helo": CLIENT_HELO,
              "fd_limit": list(resource.getrlimit(resource.RLIMIT_NOFILE)),
              "loadavg_start": round(os.getloadavg()[0], 2), "skip": sorted(a.skip),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())})
    print("smtp_load: corpus %s (sizes %s), %s s per arcrelay run" % (
        corpus.root, ",".join(a.sizes), a.seconds), file=sys.stderr)

    sink = Sink(workdir)
    try:
        phases(run, a, corpus, workdir, sink)
    except BaseException as e:  # recorded for the report, then the run fails
        run.emit({"type": "e2e_error", "error": "%s: %s" % (type(e).__name__, e)})
        raise
    finally:
        sink.close()
        run.emit({"type": "e2e_done", "seconds": round(time.time() - started, 1),
                  "loadavg_end": round(os.getloadavg()[0], 2)})
        out.close()
        stop_all()
    print("smtp_load: done in %.0f s; %s" % (time.time() - started,
                                              os.path.join(a.results, "smtp.jsonl")),
          file=sys.stderr)


def main_phases(run, a, corpus, workdir, sink):
    """Closed loop, half load and smtp-source through the one-pass relay sealing both."""
    relay = Relay(a.binary, workdir, "relay-both", corpus, sink.port,
                  ["rsa-sha256", "ed25519-sha256"])
    try:
        run.emit({"type": "e2e_client", "pipelining": {
            "arcrelay": asyncio.run(offers_pipelining(relay.port)),
            "sink": asyncio.run(offers_pipelining(sink.port))}})
        run.warm(relay.port)
        print("throughput and latency (arcrelay seals rsa-sha256 + ed25519-sha256):",
              file=sys.stderr)
        run.throughput(sink, relay)
        if "half" not in a.skip:
            print("half of peak load (paced):", file=sys.stderr)
            run.half_load(sink, relay)
        if "smtp-source" not in a.skip and os.access(SMTP_SOURCE, os.X_OK):
            run.smtp_source(workdir, relay)
    finally:
        run.stop_relay(relay)


def phases(run, a, corpus, workdir, sink):
    """Every measurement in turn; each arcrelay is stopped when its phase ends."""
    if "main" not in a.skip:
        main_phases(run, a, corpus, workdir, sink)
    if "rsa" not in a.skip or "rspamd" not in a.skip:
        print("rsa-sha256 only, concurrency 8 (the rspamd comparison):", file=sys.stderr)
        relay_rsa = Relay(a.binary, workdir, "relay-rsa", corpus, sink.port, ["rsa-sha256"])
        try:
            run.warm(relay_rsa.port)
            ours = run.rsa_only(sink, relay_rsa)
        finally:
            run.stop_relay(relay_rsa)
        if "rspamd" in a.skip:
            run.emit({"type": "e2e_rspamd_skipped", "reason": "skipped (--skip rspamd)"})
        else:
            theirs = run.rspamd(workdir)
            if isinstance(theirs, str):
                run.emit({"type": "e2e_rspamd_skipped", "reason": theirs})
                print("  rspamd: " + theirs, file=sys.stderr)
            else:
                run.compare_rspamd(ours, theirs)
    if "fanout" not in a.skip:
        print("seal fan-out (split-seal listener, Mailman's delivery):", file=sys.stderr)
        run.fanout(workdir, sink)
    if "big" not in a.skip:
        print("one %g MB message:" % a.big_mb, file=sys.stderr)
        run.big(workdir, sink)
    if "idle" not in a.skip:
        print("%d idle connections:" % a.idle, file=sys.stderr)
        run.idle(workdir, sink)


if __name__ == "__main__":
    main()
