#!/usr/bin/python3
"""Writes the man pages arcrelay(8) and arcrelay.toml(5) from their one source each, so no
second copy is kept by hand:

- arcrelay(8): NAME, SYNOPSIS, COMMANDS and EXIT STATUS from `arcrelay --help` (the usage
  table of relay/cli_usage.cpp), DESCRIPTION from README.md's opening paragraphs;
- arcrelay.toml(5): DESCRIPTION from the leading comment of examples/arcrelay.toml, one
  subsection per "# ---- NAME ----" part of it, each shown as it is in the file.

usage: manpages.py --binary build/relay/arcrelay --readme README.md
                   --config examples/arcrelay.toml --out DIR"""
import argparse
import datetime
import os
import re
import subprocess


def roff(text):
    """Escapes one line of text for roff; `code` becomes bold."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    text = text.replace("**", "")
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return "\\&" + text if text.startswith((".", "'")) else text


def literal(lines):
    return [".EX"] + [roff(line) if line else "" for line in lines] + [".EE"]


def header(name, section, version, title):
    # SOURCE_DATE_EPOCH (set by dpkg-buildpackage from debian/changelog): reproducible.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date() \
        if epoch else datetime.date.today()
    date = day.isoformat()
    return [f'.TH {name.upper()} {section} "{date}" "arcrelay {version}" "{title}"']


def readme_description(readme):
    with open(readme) as f:
        text = f.read()
    intro = text.split("\n## ", 1)[0].split("\n", 1)[1]  # after the "# arcrelay" title
    out = []
    for paragraph in re.split(r"\n\s*\n", intro.strip()):
        out += [".PP", roff(" ".join(paragraph.split()))]
    return out


def arcrelay_8(binary, readme):
    usage = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True,
                           timeout=30).stdout
    version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             check=True, timeout=30).stdout.split()[-1]
    title, body = usage.split("\n", 1)
    summary = title.split(" — ", 1)[1]
    commands, current = [], None
    for line in body.splitlines():
        if line.startswith("  arcrelay "):
            current = {"synopsis": [line.strip()], "text": []}
            commands.append(current)
        elif current and line.startswith("                  "):
            current["synopsis"].append(line.strip())
        elif current and line.strip():
            current["text"].append(line.strip())
    out = header("arcrelay", 8, version, "System Administration")
    out += [".SH NAME", f"arcrelay \\- {roff(summary)}", ".SH SYNOPSIS", ".nf"]
    for c in commands:
        out += [roff(" ".join(c["synopsis"]))]
    out += [".fi", ".SH DESCRIPTION"] + readme_description(readme)
    out += [".SH COMMANDS"]
    statuses = []
    for c in commands:
        if not c["text"]:
            continue
        text = " ".join(c["text"])
        parts = re.split(r"exit status(?= ?[:(])", text, maxsplit=1)
        described, status = parts[0], parts[1] if len(parts) > 1 else ""
        out += [".TP", "\\fB" + roff(" ".join(c["synopsis"])) + "\\fR", roff(described.strip())]
        if status:
            statuses += [".TP", "\\fB" + roff(c["synopsis"][0].split()[1]) + "\\fR",
                         roff(status.lstrip(": ").strip())]
    out += [".SH EXIT STATUS"] + statuses
    out += [".SH FILES", ".TP", "/etc/arcrelay/arcrelay.toml",
            "the configuration, see \\fBarcrelay.toml\\fR(5)", ".TP", "/etc/arcrelay/keys/",
            "the sealing keys (group arcrelay, mode 0640)", ".TP", "/var/lib/arcrelay/",
            "runtime state (the unit's StateDirectory)"]
    out += [".SH SEE ALSO", "\\fBarcrelay.toml\\fR(5),",
            "/usr/share/doc/arcrelay/OPERATIONS.md.gz, /usr/share/doc/arcrelay/README.md.gz"]
    return version, out


def arcrelay_toml_5(config, version):
    with open(config) as f:
        lines = f.read().splitlines()
    intro = []
    while lines and lines[0].startswith("#"):
        intro.append(lines.pop(0)[2:])
    out = header("arcrelay.toml", 5, version, "File Formats")
    out += [".SH NAME", "arcrelay.toml \\- configuration of \\fBarcrelay\\fR(8)",
            ".SH DESCRIPTION"]
    # The leading comment: prose paragraphs; indented lines (diagrams, snippets) as written.
    group, kind = [], None
    for line in intro + [""]:
        this = None if not line else "code" if line.startswith("  ") else "prose"
        if group and this != kind:
            out += literal(group) if kind == "code" else [".PP", roff(" ".join(group))]
            group = []
        if this:
            group.append(line)
        kind = this
    out += [".SH SETTINGS", ".PP",
            "Each part of the example configuration as installed in /usr/share/doc/arcrelay/"
            "examples/arcrelay.toml; every key shows its default unless its comment says "
            "otherwise."]
    section, part = "server", []
    for line in lines + ["# ---- end ----"]:
        m = re.match(r"# ---- (.+?) -+$", line)
        if m:
            while part and not part[-1]:
                part.pop()
            while part and not part[0]:
                part.pop(0)
            if part:
                out += [f".SS {roff(section)}"] + literal(part)
            section, part = m.group(1), []
        else:
            part.append(line)
    out += [".SH SEE ALSO", "\\fBarcrelay\\fR(8)"]
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", required=True)
    p.add_argument("--readme", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    version, page8 = arcrelay_8(a.binary, a.readme)
    os.makedirs(a.out, exist_ok=True)
    for name, lines in (("arcrelay.8", page8),
                        ("arcrelay.toml.5", arcrelay_toml_5(a.config, version))):
        with open(os.path.join(a.out, name), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
