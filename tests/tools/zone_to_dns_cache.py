#!/usr/bin/python3
"""Turns an RFC 1035 master file into mailauth's DNS cache (its CLI's --dns-cache format).

  zone_to_dns_cache.py ZONE OUT.json

The cache maps a lower-case owner name without the trailing dot to {TYPE: answer}, where
the answer has the shape of Node's dns.promises.resolve(name, TYPE): TXT is a list of
records, each a list of its character-strings (RFC 1035 3.3.14), MX a list of
{exchange, priority}, every other type a list of strings. mailauth's resolver answers
ENOTFOUND for any name or type the cache lacks.

Reads what the tests' zones use: $ORIGIN, $TTL, comments, parentheses spanning lines
(RFC 1035 5.1), quoted strings with backslash escapes, an optional TTL and class. A
record it cannot read is an error, never skipped.
"""
import json
import re
import sys

TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([()])|([^\s"()]+)')


def _unescape(text):
    """RFC 1035 5.1: \\DDD is a byte in decimal, \\X is X."""
    return re.sub(r"\\(\d{3}|.)", lambda m: chr(int(m.group(1))) if m.group(1).isdigit()
                  else m.group(1), text)


def _logical_lines(text):
    """(starts_with_blank, [tokens]) per entry, parentheses joined, comments dropped."""
    depth, tokens, blank = 0, [], False
    for line in text.splitlines():
        if depth == 0:
            blank = line[:1] in (" ", "\t")
        for m in TOKEN.finditer(line):
            quoted, paren, word = m.groups()
            if word is not None and word.startswith(";"):
                break  # a comment runs to the end of the line
            if paren:
                depth += 1 if paren == "(" else -1
            elif quoted is not None:
                tokens.append(("q", _unescape(quoted)))
            else:
                tokens.append(("w", word))
        if depth == 0 and tokens:
            yield blank, tokens
            tokens = []
    if depth or tokens:
        raise ValueError("unbalanced parentheses at end of zone")


def _absolute(name, origin):
    if name == "@":
        return origin
    return name if name.endswith(".") else f"{name}.{origin}".replace("..", ".")


def read_zone(path):
    """[(owner, type, rdata tokens)] of every record of the master file at `path`."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    origin, owner, records = ".", None, []
    for blank, tokens in _logical_lines(text):
        words = [t for _, t in tokens]
        if words[0].upper() == "$ORIGIN":
            origin = words[1] if words[1].endswith(".") else words[1] + "."
            continue
        if words[0].upper() == "$TTL":
            continue
        if not blank:
            owner = _absolute(words[0], origin)
            tokens = tokens[1:]
        if owner is None:
            raise ValueError(f"{path}: record without an owner: {' '.join(words)}")
        while tokens and tokens[0][0] == "w" and (tokens[0][1].isdigit()
                                                   or tokens[0][1].upper() in ("IN", "CH")):
            tokens = tokens[1:]
        if not tokens:
            raise ValueError(f"{path}: record without a type at {owner}")
        records.append((owner, tokens[0][1].upper(), tokens[1:]))
    return records, origin


def dns_cache(path):
    """The mailauth DNS cache for the zone at `path`."""
    records, origin = read_zone(path)
    cache = {}
    for owner, rtype, rdata in records:
        name = owner.lower().rstrip(".")
        if rtype == "TXT":
            answer = [t for _, t in rdata]
        elif rtype == "MX":
            answer = {"priority": int(rdata[0][1]),
                      "exchange": _absolute(rdata[1][1], origin).rstrip(".")}
        elif rtype in ("PTR", "CNAME", "NS"):
            answer = _absolute(rdata[0][1], origin).rstrip(".")
        elif rtype in ("A", "AAAA"):
            answer = rdata[0][1]
        elif rtype == "SOA":
            continue  # mailauth never asks for it
        else:
            raise ValueError(f"{path}: {owner}: record type {rtype} not supported")
        cache.setdefault(name, {}).setdefault(rtype, []).append(answer)
    return cache


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: zone_to_dns_cache.py ZONE OUT.json")
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(dns_cache(sys.argv[1]), out, indent=1, sort_keys=True)
