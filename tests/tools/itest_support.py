"""Shared by the Python integration tests: loopback ports and processes that listen on them.

CTest runs two tests at a time, each starting daemons on "free" ports. A port found free can
be taken by another test before our daemon binds it, and a plain connect() probe then talks
to the wrong server (CI saw a relay test get the 550 of another test's next hop). So:
- `wait_listening` waits until *that process* has a listening socket on the port (read from
  /proc/<pid>/fd and /proc/net/tcp{,6}), never just "something answers";
- `start_listening` picks fresh ports and tries again when the process exits before it
  listens (its bind lost the race);
- `refused_port` holds a bound socket that does not listen: connecting to it is refused and
  nobody else can take the port meanwhile.
"""
import atexit
import os
import signal
import socket
import time

WAIT = 20  # seconds: the longest a start may take

STARTED = []  # every process a test started (Popen): killed by PID at exit


def kill_started():
    """SIGKILLs every process in STARTED still running; called at exit, callable earlier."""
    for p in STARTED:
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=WAIT)


atexit.register(kill_started)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused_port():
    """(socket, port): close the socket when done. Connections to the port are refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def _socket_inodes(pid):
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def listens_on(pid, port):
    """True when process `pid` (or a thread of it) has a TCP socket listening on `port`."""
    inodes = _socket_inodes(pid)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    # local_address is HEXIP:HEXPORT, st 0A is LISTEN, column 9 the inode
                    if (cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port
                            and cols[9] in inodes):
                        return True
        except OSError:
            continue
    return False


def wait_listening(port, proc, what, timeout=WAIT):
    """Waits until `proc` itself listens on `port`; RuntimeError if it exits or times out."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening on {port}")
        if listens_on(proc.pid, port):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


def start_listening(launch, what, ports=1, attempts=5, timeout=WAIT):
    """Calls launch(*ports) -> Popen with `ports` free ports and waits until the process
    listens on all of them. When it exits first (another test took a port between our
    choice and its bind) it is started again on new ports. Returns (proc, ports)."""
    error = None
    for _ in range(attempts):
        chosen = [free_port() for _ in range(ports)]
        proc = launch(*chosen)
        try:
            for p in chosen:
                wait_listening(p, proc, what, timeout)
            return proc, chosen
        except RuntimeError as e:
            error = e
            if proc.poll() is None:  # alive but not listening in time: not a lost race
                raise
    raise RuntimeError(f"{what}: no start in {attempts} attempts: {error}")
