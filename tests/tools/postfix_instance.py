"""A private Postfix (Debian's postfix, scripts/deps/postfix.txt) set up from examples/postfix/
alone, as a new user would (issue 15), for the integration tests.

Debian's stock main.cf and master.cf (/usr/share/postfix) are copied into DIR/etc and changed
exactly as examples/postfix says: every setting of its main.cf through `postconf -e`, Debian's
`smtp inet` line commented out, the 127.0.0.1:10026 service of its master.cf appended, its
transport map copied and postmapped. The test's own changes are only where it runs: the queue
and data directories under DIR (the system's Postfix is never touched), the log in DIR/maillog
(Postfix 3.4+ postlog: start-up errors are readable without syslog), the loopback ports the
test chose instead of 25 (arcrelay's verify listener) and 10026, and transport entries for the
member domains (the test's sink instead of the Internet).

`start()` runs `postfix -c DIR/etc start` and waits until the master listens; `stop()` runs
`postfix stop` and, should the master outlive WAIT_S, SIGKILLs it by the PID in its pid file.
Every command has a timeout.
"""
import os
import re
import shutil
import signal
import subprocess
import time

from itest_support import listens_on

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "postfix")
STOCK_MAIN = "/usr/share/postfix/main.cf.debian"
STOCK_MASTER = "/usr/share/postfix/master.cf.dist"
COMMAND_S = 30  # any postfix/postconf/postmap command
WAIT_S = 20     # the master listening after start, gone after stop
SEAL_PORT = 10026   # examples/postfix/master.cf: where arcrelay's seal listener delivers
VERIFY_PORT = 25    # examples/postfix/transport: arcrelay's verify listener


def run(*argv, stdin=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_S, input=stdin)


def example_settings():
    """The `name = value` lines of examples/postfix/main.cf (comments, blank lines skipped)."""
    out = []
    with open(os.path.join(EXAMPLES, "main.cf")) as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, value = line.partition("=")
                out.append((name.strip(), value.strip()))
    return out


def example_lines(name):
    """The lines of examples/postfix/NAME that are not comments."""
    with open(os.path.join(EXAMPLES, name)) as f:
        return [line for line in f if line.strip() and not line.startswith("#")]


class postfix_instance:
    """Postfix configured from examples/postfix in DIR. seal_port and verify_port replace
    10026 and 25; extra_transport adds `domain nexthop` lines to the transport map."""

    def __init__(self, root, seal_port=SEAL_PORT, verify_port=VERIFY_PORT, extra_transport=()):
        self.root = root
        self.etc = os.path.join(root, "etc")
        self.queue = os.path.join(root, "queue")
        self.maillog = os.path.join(root, "maillog")
        data = os.path.join(root, "data")
        os.makedirs(root, exist_ok=True)
        # mkdtemp's 0700 would keep the postfix user out of data/ (the parents of root must
        # be searchable by it too)
        os.chmod(root, 0o755)
        for d in (self.etc, self.queue, data):
            os.makedirs(d)
        shutil.chown(data, "postfix")  # the master's lock file: created as mail_owner
        shutil.copy(STOCK_MAIN, os.path.join(self.etc, "main.cf"))
        shutil.copy(STOCK_MASTER, os.path.join(self.etc, "master.cf"))
        edits = [f"queue_directory={self.queue}", f"data_directory={data}",
                 f"maillog_file={self.maillog}", f"maillog_file_prefixes={root}"]
        for name, value in example_settings():
            edits.append(f"{name}={value.replace('/etc/postfix/', self.etc + '/')}")
        self.checked("postconf", "-c", self.etc, "-e", *edits)
        # master.cf step 1: comment out Debian's smtp inet line; step 2: append the service.
        with open(os.path.join(self.etc, "master.cf")) as f:
            master = f.read()
        self.stock_had_smtp = re.search(r"^smtp\s+inet\b", master, re.M) is not None
        master = re.sub(r"^(smtp\s+inet\b)", r"#\1", master, flags=re.M)
        master += "".join(example_lines("master.cf")).replace(
            f"127.0.0.1:{SEAL_PORT} ", f"127.0.0.1:{seal_port} ")
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(master)
        transport = "".join(example_lines("transport")).replace(
            f"[127.0.0.1]:{VERIFY_PORT}\n", f"[127.0.0.1]:{verify_port}\n")
        transport += "".join(f"{domain} {nexthop}\n" for domain, nexthop in extra_transport)
        self.transport = os.path.join(self.etc, "transport")
        with open(self.transport, "w") as f:
            f.write(transport)
        self.checked("postmap", "-c", self.etc, self.transport)
        self.seal_port = seal_port
        self.master_pid = None

    def checked(self, *argv, stdin=None):
        r = run(*argv, stdin=stdin)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr}"
                               f"{self.log_tail()}")
        return r

    def log_tail(self):
        if not os.path.exists(self.maillog):
            return ""
        with open(self.maillog, errors="replace") as f:
            return "\n" + "".join(f.readlines()[-30:])

    def pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def start(self):
        """`postfix start`; returns once the master listens on seal_port."""
        self.checked("postfix", "-c", self.etc, "start")
        deadline = time.time() + WAIT_S
        while time.time() < deadline:
            self.master_pid = self.master_pid or self.pid()
            if self.master_pid and listens_on(self.master_pid, self.seal_port):
                return
            time.sleep(0.1)
        raise RuntimeError(f"Postfix did not listen on 127.0.0.1:{self.seal_port} in "
                           f"{WAIT_S} s{self.log_tail()}")

    def running(self):
        return self.master_pid is not None and os.path.exists(f"/proc/{self.master_pid}")

    def stop(self):
        """`postfix stop`, then SIGKILL by PID if the master is still there after WAIT_S.
        Returns True when `postfix stop` alone ended it."""
        if not self.running():
            return True
        run("postfix", "-c", self.etc, "stop")
        deadline = time.time() + WAIT_S
        while self.running() and time.time() < deadline:
            time.sleep(0.1)
        if not self.running():
            return True
        os.kill(self.master_pid, signal.SIGKILL)
        return False

    def sendmail(self, sender, recipient, data):
        """Postfix's sendmail(1) (pickup), as a local process on the list host would post."""
        return run("/usr/sbin/sendmail", "-C", self.etc, "-i", "-f", sender, recipient,
                   stdin=data.decode().replace("\r\n", "\n"))
