#!/usr/bin/python3
"""A throw-away PostgreSQL cluster on 127.0.0.1 for the tests that need a real server.

Debian's server binaries (/usr/lib/postgresql/15/bin): `initdb` makes a cluster in a temporary
directory, the postmaster runs in the foreground on a free port with its unix socket in the
same directory, so it is a child in itest_support's process ledger (killed by PID at exit
whatever happens) and stop() is pg_ctl's "fast" shutdown sent to that PID. As root the server
runs as the postgres user (initdb and postgres refuse root): initdb and psql through runuser,
the postmaster through Popen(user=...) so that its PID is the server's own.

Host connections need a password (scram-sha-256): the role the tests give arcrelay has one,
so a URI with a password is exercised and any leak of it can be looked for. Local (socket)
connections are trusted, for the test's own psql.

Use from Python: `with Cluster() as pg: uri = pg.create_database("arcrelay", "reports")`.
From CTest: `pg_cluster.py run -- COMMAND...` starts a cluster, creates the role and database,
runs COMMAND with ARCRELAY_TEST_PG_URI set (and ARCRELAY_TEST_PG_ADMIN_URI: the superuser over
the socket), stops and removes the cluster; exit 77 (CTest SKIP_RETURN_CODE)
with the reason when no server can be run here.
"""
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import itest_support  # noqa: E402

BIN = os.environ.get("ARCRELAY_PG_BIN", "/usr/lib/postgresql/15/bin")
SKIP = 77
PASSWORD = "pw-Zq7.not-secret"  # a test-only password; logs are checked not to contain it


def unavailable():
    """None when a cluster can be run here, else why not."""
    for tool in ("initdb", "postgres", "psql"):
        if not os.access(os.path.join(BIN, tool), os.X_OK):
            if os.geteuid() != 0:
                return f"{BIN}/{tool} missing (install Debian's postgresql)"
            raise RuntimeError(f"{BIN}/{tool} missing: install postgresql (scripts/deps/report.txt)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root but there is no postgres user")
    return None


class Cluster:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="arcrelay-pg-")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.proc = None
        self.port = None
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.user = "postgres"
        else:
            self.user = None
        self._as_server([os.path.join(BIN, "initdb"), "-D", self.data, "-U", "postgres",
                         "-E", "UTF8", "--no-sync", "--auth-local=trust",
                         "--auth-host=scram-sha-256"])

    def _as_server(self, argv, **kwargs):
        """Runs argv as the server's user; returns its stdout."""
        if self.user:
            argv = ["runuser", "-u", self.user, "--"] + argv
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, **kwargs)
        if done.returncode != 0:
            raise RuntimeError(f"{argv}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    def start(self):
        """Starts the postmaster (again, after stop(): same data, same port if free)."""
        def launch(port):
            argv = [os.path.join(BIN, "postgres"), "-D", self.data, "-h", "127.0.0.1",
                    "-p", str(port), "-k", self.root, "-c", "fsync=off",
                    "-c", "max_connections=50", "-c", "log_min_messages=warning"]
            log = open(self.log, "a")
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                    user=self.user, group=self.user, cwd=self.root)
            log.close()
            itest_support.STARTED.append(proc)
            return proc
        if self.port is None:
            self.proc, (self.port,) = itest_support.start_listening(launch, "postgres")
        else:
            self.proc = launch(self.port)
            itest_support.wait_listening(self.port, self.proc, "postgres")
        self._wait_ready()

    def _wait_ready(self):
        """The postmaster listens before it accepts connections (recovery after a stop)."""
        for _ in range(200):
            done = subprocess.run(self._psql_argv("postgres", "SELECT 1"), capture_output=True)
            if done.returncode == 0:
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited {self.proc.returncode}: see {self.log}")
            time.sleep(0.05)
        raise RuntimeError("postgres does not accept connections")

    def stop(self):
        """pg_ctl stop -m fast: SIGINT to the postmaster, by PID; waits for it to exit."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=itest_support.WAIT)

    def _psql_argv(self, db, sql):
        argv = [os.path.join(BIN, "psql"), "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1", "-h", self.root, "-p", str(self.port), "-U",
                "postgres", "-d", db, "-c", sql]
        return (["runuser", "-u", self.user, "--"] if self.user else []) + argv

    def admin_uri(self, db):
        """The superuser over the unix socket (trusted): for a test's own statements."""
        return f"postgresql://postgres@/{db}?host={self.root}&port={self.port}"

    def psql(self, sql, db="postgres"):
        """Runs SQL as the superuser; returns the unaligned tuples-only output."""
        done = subprocess.run(self._psql_argv(db, sql), capture_output=True, text=True,
                              timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()

    def create_database(self, role, db):
        """A login role with PASSWORD owning a new database (what docs/OPERATIONS.md says to
        create); returns arcrelay's URI for it."""
        self.psql(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        self.psql(f"CREATE DATABASE {db} OWNER {role}")
        return self.uri(role, db)

    def uri(self, role, db):
        return f"postgresql://{role}:{PASSWORD}@127.0.0.1:{self.port}/{db}"

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.remove()


def main(argv):
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        print("usage: pg_cluster.py run -- COMMAND...", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1:]
    why = unavailable()
    if why:
        print(f"SKIPPED: no PostgreSQL server can run here: {why}")
        return SKIP
    with Cluster() as pg:
        env = dict(os.environ)
        env["ARCRELAY_TEST_PG_URI"] = pg.create_database("arcrelay", "reports")
        env["ARCRELAY_TEST_PG_ADMIN_URI"] = pg.admin_uri("reports")
        return subprocess.run(command, env=env, timeout=600).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
