#!/usr/bin/python3
"""Installs the Debian package built by scripts/package.sh and runs it the way its unit does.

1. `dpkg -i`: /usr/sbin/arcrelay, the conffile /etc/arcrelay/arcrelay.toml on loopback only,
   the system user arcrelay, its directories and a generated sealing key (group arcrelay,
   0640) whose record postinst printed; the unit installed, not enabled, not started.
2. `arcrelay check-config /etc/arcrelay/arcrelay.toml` passes, and `arcrelay testkey`
   matches the printed record (a zone file made from dpkg's output).
3. As the admin would, the conffile is edited (free loopback ports, the seal listener's next
   hop a maildir sink in the state directory, DNS from that zone file); then the unit's
   ExecStartPre and ExecStart lines run as its User/Group with its UMask, capabilities and
   environment (systemd is not running here). A post to the seal listener is accepted, and
   the delivered copy carries an ARC set that `arcrelay verify` passes. SIGTERM: exit 0.
4. `dpkg -r` leaves only the conffile and the keys; `dpkg -P` leaves nothing but the system
   user (Debian policy 9.2.1).

Needs root. usage: package_test.py dist/arcrelay_VERSION_ARCH.deb"""
import grp
import os
import pwd
import re
import shlex
import shutil
import signal
import smtplib
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from itest_support import STARTED, free_port, wait_listening  # noqa: E402

DEB = ""
CONFIG = "/etc/arcrelay/arcrelay.toml"
UNIT = "/lib/systemd/system/arcrelay.service"
STATE = "/var/lib/arcrelay"
LIMIT_S = 60


def run(*args, check=True, **kw):
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=LIMIT_S, **kw)
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def installed():
    done = run("dpkg-query", "-W", "-f=${db:Status-Status}", "arcrelay", check=False)
    return done.stdout if done.returncode == 0 else "not-installed"


def unit_settings():
    """The [Service] settings of the installed unit: name -> list of values."""
    settings = {}
    with open(UNIT) as f:
        for line in f:
            m = re.match(r"(\w+)=(.*)", line.strip())
            if m:
                settings.setdefault(m.group(1), []).append(m.group(2))
    return settings


def as_unit_user(settings, command):
    """`command` (a unit Exec line) run as systemd would: User/Group, supplementary groups
    of the user, the ambient capabilities, UMask, and only the unit's Environment=."""
    caps = ",".join("+" + c.lower().removeprefix("cap_")
                    for c in settings.get("AmbientCapabilities", [""])[0].split() if c)
    argv = ["setpriv", f"--reuid={settings['User'][0]}", f"--regid={settings['Group'][0]}",
            "--init-groups"]
    if caps:
        argv += [f"--inh-caps={caps}", f"--ambient-caps={caps}"]
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    for e in settings.get("Environment", []):
        for pair in shlex.split(e):
            k, _, v = pair.partition("=")
            env[k] = v
    umask = int(settings.get("UMask", ["0022"])[0], 8)
    return argv + ["--"] + shlex.split(command), env, umask


class package(unittest.TestCase):
    def test_install_run_remove_purge(self):
        self.assertEqual(installed(), "not-installed",
                         "arcrelay is installed already: this test would replace it")
        work = tempfile.mkdtemp(prefix="arcrelay-package-test-")
        self.addCleanup(shutil.rmtree, work, True)
        os.chmod(work, 0o755)  # the zone file must be readable by the arcrelay user
        self.addCleanup(lambda: installed() == "not-installed" or
                        run("dpkg", "-P", "arcrelay", check=False))

        # 1. install
        out = run("dpkg", "-i", DEB).stdout
        self.assertEqual(installed(), "installed")
        version = run("dpkg-deb", "-f", DEB, "Version").stdout.strip()
        self.assertEqual(run("/usr/sbin/arcrelay", "--version").stdout, f"arcrelay {version}\n")
        conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", "arcrelay").stdout
        self.assertIn(CONFIG, conffiles)
        with open(CONFIG, "rb") as f:
            config = tomllib.load(f)
        self.assertTrue(config["listener"])
        for listener in config["listener"]:
            self.assertEqual(listener["address"], "127.0.0.1", listener["name"])
        user = pwd.getpwnam("arcrelay")
        self.assertLess(user.pw_uid, 1000)  # a system user
        self.assertEqual(grp.getgrgid(user.pw_gid).gr_name, "arcrelay")
        self.assert_mode(STATE, 0o700, "arcrelay", "arcrelay")
        self.assert_mode("/etc/arcrelay/keys", 0o750, "root", "arcrelay")
        for key in config["arc"]["key"]:
            self.assert_mode(key["private_key"], 0o640, "root", "arcrelay")
        for page in ("man8/arcrelay.8.gz", "man5/arcrelay.toml.5.gz"):
            self.assertTrue(os.path.exists(f"/usr/share/man/{page}"), page)
        self.assertFalse(os.path.exists(
            "/etc/systemd/system/multi-user.target.wants/arcrelay.service"), "enabled")
        self.assertIn("systemctl enable --now arcrelay", out)

        # 2. the configuration and the key's record
        run("/usr/sbin/arcrelay", "check-config", CONFIG)
        records = [line for line in out.splitlines() if "._domainkey." in line and " IN TXT " in line]
        self.assertEqual(len(records), len(config["arc"]["key"]), out)
        zone = os.path.join(work, "zone.txt")
        with open(zone, "w") as f:
            f.write("\n".join(records) + "\n")
        os.chmod(zone, 0o644)
        testkey = run("/usr/sbin/arcrelay", "testkey", "--zone", zone)
        self.assertIn(": match:", testkey.stdout)

        # 3. the admin's edit, then the unit's command lines as its user
        seal_port, mx_port, metrics_port = free_port(), free_port(), free_port()
        with open(CONFIG) as f:
            text = f.read()
        text = text.replace("port = 25 ", f"port = {mx_port} ", 1)
        text = text.replace("port = 10025", f"port = {seal_port}", 1)
        text = text.replace('uri = "smtp:127.0.0.1:10026"', f'uri = "maildir:{STATE}/sink"', 1)
        # Mailman's place: the verify listener hands straight to the seal listener, so the post
        # takes the split layout's whole path, hand-over MAC included (issue 15).
        text = text.replace('uri = "lmtp:127.0.0.1:8024"', f'uri = "smtp:127.0.0.1:{seal_port}"',
                            1)
        text = text.replace("port = 9464", f"port = {metrics_port}", 1)
        text = text.replace("[dns]\n", f'[dns]\nzone_file = "{zone}"\n', 1)
        for port in (mx_port, seal_port, metrics_port):
            self.assertIn(f"= {port}", text)
        with open(CONFIG, "w") as f:
            f.write(text)
        settings = unit_settings()
        self.assertEqual(settings["User"], ["arcrelay"])
        self.assertEqual(settings["ProtectSystem"], ["strict"])
        self.assertEqual(settings["CapabilityBoundingSet"], ["CAP_NET_BIND_SERVICE"])
        argv, env, umask = as_unit_user(settings, settings["ExecStartPre"][0])
        run(*argv, env=env, preexec_fn=lambda: os.umask(umask))
        argv, env, umask = as_unit_user(settings, settings["ExecStart"][0])
        log = open(os.path.join(work, "serve.log"), "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen(argv, env=env, preexec_fn=lambda: os.umask(umask),
                                stdout=log, stderr=log)
        STARTED.append(proc)
        wait_listening(seal_port, proc, "arcrelay serve")
        wait_listening(mx_port, proc, "arcrelay serve")
        self.assertEqual(pwd.getpwuid(os.stat(f"/proc/{proc.pid}").st_uid).pw_name, "arcrelay")
        message = ("From: Alice <alice@example.com>\r\nTo: dev@lists.example.org\r\n"
                   "Subject: installed from the package\r\nDate: Wed, 02 Dec 2026 12:00:00 +0000\r\n"
                   "Message-ID: <package-test@example.com>\r\n"
                   "Authentication-Results: lists.example.org; dkim=pass "
                   "header.d=example.com\r\n\r\nhello from the package test\r\n")
        with smtplib.SMTP("127.0.0.1", mx_port, timeout=LIMIT_S) as c:
            c.ehlo("client.example.com")
            c.sendmail("alice@example.com", ["dev@lists.example.org"], message)
        delivered = os.listdir(f"{STATE}/sink/new")
        self.assertEqual(len(delivered), 1)
        sealed = os.path.join(STATE, "sink", "new", delivered[0])
        with open(sealed, "rb") as f:
            text = f.read()
        key = config["arc"]["key"][0]
        seal = re.search(rb"^ARC-Seal:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", text, re.M).group(0)
        for tag in ("i=1", "cv=none", f"d={key['domain']}", f"s={key['selector']}"):
            self.assertRegex(seal, rb"\b" + re.escape(tag).encode() + rb"\s*(;|$)")
        self.assertNotIn(b"ARCRelay-Handover", text)  # the MAC never leaves arcrelay
        self.assertNotIn(b"dkim=pass", text)  # the forged result was stripped, not sealed
        verified = run("/usr/sbin/arcrelay", "verify", "--json", "--zone", zone, sealed)
        self.assertIn('"result": "pass"', verified.stdout.split('"arc"', 1)[1])
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=LIMIT_S), 0)

        # 4. remove, then purge
        run("dpkg", "-r", "arcrelay")
        self.assertEqual(installed(), "config-files")
        for gone in ("/usr/sbin/arcrelay", UNIT, "/usr/share/man/man8/arcrelay.8.gz"):
            self.assertFalse(os.path.exists(gone), gone)
        self.assertTrue(os.path.exists(CONFIG))  # conffiles stay until purge (policy 10.7.3)
        self.assertTrue(os.path.exists(key["private_key"]))
        run("dpkg", "-P", "arcrelay")
        self.assertEqual(installed(), "not-installed")
        for gone in ("/etc/arcrelay", STATE, "/usr/share/doc/arcrelay"):
            self.assertFalse(os.path.exists(gone), gone)
        pwd.getpwnam("arcrelay")  # the system user stays (policy 9.2.1)
        print("package: installed, checked, served and sealed one post, removed, purged",
              flush=True)

    def assert_mode(self, path, mode, owner, group):
        st = os.stat(path)
        self.assertEqual((stat.S_IMODE(st.st_mode), pwd.getpwuid(st.st_uid).pw_name,
                          grp.getgrgid(st.st_gid).gr_name), (mode, owner, group), path)


if __name__ == "__main__":
    if len(sys.argv) != 2 or os.geteuid() != 0:
        sys.exit(__doc__.splitlines()[-1] + " (as root)")
    DEB = os.path.abspath(sys.argv.pop())
    unittest.main(verbosity=2)
