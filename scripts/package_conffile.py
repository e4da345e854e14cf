#!/usr/bin/python3
"""Derives the Debian package's /etc/arcrelay/arcrelay.toml from examples/arcrelay.toml (the
one source) at package build time, so that installing never opens port 25 to the world:

- every [[listener]] binds 127.0.0.1 (an address line is rewritten, or added after name =);
- tls_certificate / tls_private_key are commented out (the example's certificate paths do not
  exist on a fresh machine, and check-config refuses unreadable files).

Everything else is the example, comments included. The result is checked with tomllib: a
listener that is not on loopback, or a TLS file left in, fails the build.
usage: package_conffile.py examples/arcrelay.toml > arcrelay.toml"""
import re
import sys
import tomllib

LOOPBACK = "127.0.0.1"
NOTE = "  # the package listens on loopback until you change it"


def derive(lines):
    out, table, listener_start, has_address = [], None, None, False

    def close_listener():
        if table == "[[listener]]" and not has_address:
            name_at = next(i for i in range(listener_start, len(out))
                           if re.match(r"name\s*=", out[i]))
            out.insert(name_at + 1, f'address = "{LOOPBACK}"{NOTE}')

    for line in lines:
        header = re.match(r"\s*(\[\[?[^\]]+\]\]?)", line)
        if header and not line.lstrip().startswith("#"):
            close_listener()
            table = header.group(1).replace(" ", "")
            if table == "[[listener]]":
                listener_start, has_address = len(out), False
        elif table == "[[listener]]" and re.match(r"address\s*=", line):
            has_address = True
            line = f'address = "{LOOPBACK}"{NOTE}'
        elif table == "[[listener]]" and re.match(r"tls_(certificate|private_key)\s*=", line):
            line = "# " + line
        out.append(line)
    close_listener()
    return out


def check(text):
    config = tomllib.loads(text)
    for listener in config.get("listener", []):
        if listener.get("address") != LOOPBACK:
            sys.exit(f"listener {listener.get('name')} is not on {LOOPBACK}")
        if "tls_certificate" in listener or "tls_private_key" in listener:
            sys.exit(f"listener {listener.get('name')} still names TLS files")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[-1])
    with open(sys.argv[1]) as f:
        lines = f.read().splitlines()
    text = "\n".join([
        "# /etc/arcrelay/arcrelay.toml — installed by the arcrelay Debian package from",
        "# examples/arcrelay.toml with every listener on 127.0.0.1 and STARTTLS off. Set the",
        "# addresses (and the tls_* files) when the relay is ready for the world; arcrelay.toml(5).",
        "#",
    ] + derive(lines)) + "\n"
    check(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
