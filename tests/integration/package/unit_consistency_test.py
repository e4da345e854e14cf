#!/usr/bin/python3
"""The systemd unit (examples/systemd/arcrelay.service) agrees with what the Debian package
creates (debian/arcrelay.postinst, debian/arcrelay.install) and with the configuration the
package ships (examples/arcrelay.toml) — issue 15. Static: reads the files, installs nothing,
needs no root (tests/integration/package/package_test.py runs the installed package).

Checked: the package installs this very unit; User= and Group= are the system user and group
postinst creates (adduser --system --group), and no other group or credential is named
(SupplementaryGroups=, LoadCredential=, SetCredential=, ImportCredential= would need
something the package does not create); StateDirectory= with its mode is the directory
postinst makes, owned by that user, and it is the configuration's state_dir (the hand-over
secret and the reports database default into it); ExecStart=/ExecStartPre= read the file the
package installs as its conffile; the keys directory and the generated keys are group Group=
and not world-readable, the configuration's keys lie in that directory, and the unit's header
comment and docs/OPERATIONS.md's rollover step say the same group and mode; the unit's
UMask= keeps files it creates private.
"""
import os
import re
import shlex
import sys
import tomllib
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
UNIT = os.path.join(ROOT, "examples", "systemd", "arcrelay.service")
POSTINST = os.path.join(ROOT, "debian", "arcrelay.postinst")
INSTALL = os.path.join(ROOT, "debian", "arcrelay.install")
CONFIG = os.path.join(ROOT, "examples", "arcrelay.toml")
OPERATIONS = os.path.join(ROOT, "docs", "OPERATIONS.md")


def read(path):
    with open(path) as f:
        return f.read()


def unit_settings(text):
    """[Service] name -> [values] (comments skipped)."""
    settings, section = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            name, _, value = line.partition("=")
            settings.setdefault(name, []).append(value)
    return settings


def postinst_commands(text):
    """The shell words of each postinst line (continuations joined)."""
    return [shlex.split(line, comments=True)
            for line in text.replace("\\\n", " ").splitlines() if line.strip()]


class unit_consistency_case(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.unit = unit_settings(read(UNIT))
        cls.unit_text = read(UNIT)
        cls.postinst = read(POSTINST)
        cls.commands = [c for c in postinst_commands(cls.postinst) if c]
        with open(CONFIG, "rb") as f:
            cls.config = tomllib.load(f)
        cls.user = cls.unit["User"][0]
        cls.group = cls.unit["Group"][0]

    def command(self, *prefix):
        """Every postinst command starting with `prefix`."""
        return [c for c in self.commands if c[:len(prefix)] == list(prefix)]

    def install_d(self, path):
        """(mode, owner, group) of postinst's `install -d ... PATH`."""
        for c in self.command("install", "-d"):
            if c[-1] == path:
                opts = dict(zip(c[2:-1:2], c[3:-1:2]))
                return opts.get("-m"), opts.get("-o"), opts.get("-g")
        self.fail(f"postinst does not create {path}")

    def test_the_package_installs_this_unit(self):
        lines = [l.split() for l in read(INSTALL).splitlines() if l.strip()]
        self.assertIn(["examples/systemd/arcrelay.service", "lib/systemd/system/"], lines)

    def test_user_and_group_are_the_ones_postinst_creates(self):
        adduser = self.command("adduser")
        self.assertEqual(len(adduser), 1, adduser)
        words = adduser[0]
        self.assertIn("--system", words)
        self.assertIn("--group", words)  # a group of the user's name
        self.assertEqual(words[-1], self.user)
        self.assertEqual(self.group, self.user)
        self.assertIn(f"getent passwd {self.user}", self.postinst)

    def test_no_group_or_credential_the_package_does_not_create(self):
        for name in ("SupplementaryGroups", "LoadCredential", "LoadCredentialEncrypted",
                     "SetCredential", "SetCredentialEncrypted", "ImportCredential",
                     "DynamicUser"):
            self.assertNotIn(name, self.unit, f"{name}= names something postinst never makes")

    def test_state_directory_is_postinsts_and_the_configurations(self):
        (state,) = self.unit["StateDirectory"]
        (mode,) = self.unit["StateDirectoryMode"]
        path = f"/var/lib/{state}"
        self.assertEqual(self.install_d(path), (mode, self.user, self.group))
        self.assertEqual(self.config["server"]["state_dir"], path)
        # the hand-over secret and the reports database default into it (not set elsewhere)
        self.assertNotIn("handover_secrets", self.config.get("arc", {}))
        self.assertNotIn("database", self.config.get("reports", {}))

    def test_commands_read_the_installed_conffile(self):
        lines = [l.split() for l in read(INSTALL).splitlines() if l.strip()]
        conffile = next("/" + dest + os.path.basename(src) for src, dest in lines
                        if src.endswith("arcrelay.toml"))
        self.assertEqual(conffile, "/etc/arcrelay/arcrelay.toml")
        self.assertEqual(self.unit["ExecStartPre"],
                         [f"/usr/sbin/arcrelay check-config {conffile}"])
        self.assertEqual(self.unit["ExecStart"], [f"/usr/sbin/arcrelay serve --config {conffile}"])
        self.assertIn(f'CONFIG={conffile}', self.postinst)
        self.assertEqual(self.unit["ConfigurationDirectory"], ["arcrelay"])

    def test_keys_are_readable_by_the_group_only(self):
        keys = "/etc/arcrelay/keys"
        mode, owner, group = self.install_d(keys)
        self.assertEqual((owner, group), ("root", self.group))
        self.assertEqual(int(mode, 8) & 0o007, 0, "the keys directory is not world-readable")
        # generated keys: chgrp GROUP, chmod 0640
        self.assertTrue(self.command("chgrp", self.group, "$key"), self.postinst)
        self.assertTrue(self.command("chmod", "0640", "$key"), self.postinst)
        for k in self.config["arc"]["key"]:
            self.assertEqual(os.path.dirname(k["private_key"]), keys, k)
        # the unit's header comment and the rollover step say the same
        self.assertRegex(self.unit_text, rf"{keys}/\*\.pem, group {self.group}, mode 0640")
        ops = read(OPERATIONS)
        self.assertIn(f"chgrp {self.group} {keys}/*.pem && chmod 0640 {keys}/*.pem", ops)

    def test_files_the_service_creates_are_private(self):
        self.assertEqual(self.unit["UMask"], ["0077"])
        self.assertEqual(self.unit["ProtectSystem"], ["strict"])  # writes only StateDirectory


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
