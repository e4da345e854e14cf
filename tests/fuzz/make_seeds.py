#!/usr/bin/python3
"""tests/fuzz/make_seeds.py — writes the seed corpora tests/fuzz/corpus/<target>/ from the
repository's test data (see corpus/SOURCE.md). Run from anywhere: /usr/bin/python3 make_seeds.py
Deterministic: the same data gives the same files (named by content hash)."""
import email.parser
import glob
import hashlib
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
CORPUS = os.path.join(HERE, "corpus")


def write(target, content):
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogateescape")
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(content)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def messages(pattern):
    return sorted(glob.glob(os.path.join(DATA, pattern)))


def fields(raw, names):
    """Field values (unfolded as written, CRLF kept) of the header block of `raw`."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "surrogateescape")
    out = []
    for m in re.finditer(r"^([A-Za-z-]+):(.*(?:\r\n[ \t].*)*)", head, re.M):
        if m.group(1).lower() in names:
            out.append(m.group(2))
    return out


def zone_txt(path):
    """TXT strings of a master file, the quoted parts of one record joined."""
    text = read(path).decode()
    out = []
    for m in re.finditer(r"IN\s+TXT\s+(\([^)]*\)|\"[^\n]*\")", text):
        out.append("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
    return out


bench = messages("arc/bench-corpus/*.eml")
real = messages("arc/real-chains/*.eml")
dkim_msgs = messages("dkim/*.eml")
all_msgs = bench + real + dkim_msgs

for path in bench[:4] + real[:3] + dkim_msgs:
    write("header_block", read(path))
for path in bench:
    write("arc_validate", read(path))
for path in dkim_msgs + bench[:5]:
    write("dkim_verify", read(path))

for path in all_msgs:
    raw = read(path)
    for v in fields(raw, {"dkim-signature", "arc-seal", "arc-message-signature"}):
        write("tag_list", v)
        write("dkim_verify", v)
    for v in fields(raw, {"from", "to", "cc", "reply-to", "sender"}):
        write("address_list", v)
    for v in fields(raw, {"authentication-results", "arc-authentication-results"}):
        write("auth_results", v)

for extra in ['"Joe Q. Public" <john.q.public@example.com>',
              "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
              "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
              "Undisclosed recipients:;", "jdoe@[192.0.2.1], \"quoted local\"@example.org",
              "=?utf-8?q?J=C3=B6rg?= <joerg@example.de>"]:
    write("address_list", extra)

for path in [os.path.join(DATA, "auth_results", n) for n in
             ("rfc8601_appendix_b.txt", "arc_sign_aar.txt")]:
    text = read(path).decode()
    for m in re.finditer(r"^(?:ARC-)?Authentication-Results:(.*(?:\n[ \t].*)*)", text, re.M):
        write("auth_results", m.group(1).replace("\n", "\r\n"))

for zone in ("dkim/zone.txt", "dns/bench-corpus-zone.txt", "dns/real-chains-zone.txt"):
    for txt in zone_txt(os.path.join(DATA, zone)):
        if "DKIM1" in txt or "p=" in txt:
            write("dkim_key_record", txt)
            write("tag_list", txt)
        elif txt.startswith("v=spf1"):
            write("spf_record", txt)

spf_yaml = read(os.path.join(DATA, "spf", "rfc7208-tests.yml")).decode("utf-8", "replace")
for m in re.finditer(r"^\s*- SPF:\s*(.*)$", spf_yaml, re.M):
    v = m.group(1).strip()
    if v.startswith('"') and v.endswith('"'):
        v = v[1:-1].encode().decode("unicode_escape").encode("latin-1").decode(
            "utf-8", "surrogateescape")
    write("spf_record", v)
for macro in ["%{ir}.%{v}._spf.%{d2}", "%{lr-}.lp._spf.%{d2}", "%{l1r-}.lp._spf.%{d2}",
              "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "%{c} is not one of %{d}'s designated mail "
              "servers.", "%{S}%{L}%{O}%{D}%{I}%{P}%{H}%{C}%{R}%{T}%{V}%%%_%-"]:
    write("spf_record", macro)

write("config", read(os.path.join(HERE, "..", "..", "examples", "arcrelay.toml")))
write("config", '[server]\nhostname = "mx.example.org"\n')
for rua in ("mailto:dmarc@example.com", "mailto:agg@thirdparty.example.net!10m",
            "MAILTO:d%40x@Example.COM!3k", "mailto:a@b.example!18446744073709551615",
            "mailto:a%0d%0aBcc:x@b.example", "mailto:@example.com", "https://example.com/r"):
    write("rua", rua)

# SMTP sessions: byte 0 = chunk size (0: whole), byte 1 = flags (1: STARTTLS, 2: small limits).
ehlo = "EHLO client.test\r\n"
sessions = [
    ehlo + "MAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n"
    "Subject: t\r\n\r\nbody\r\n.\r\nQUIT\r\n",
    ehlo + "MAIL FROM:<a@b.test> SIZE=100 BODY=8BITMIME SMTPUTF8\r\n"
    "RCPT TO:<l@lists.example>\r\nRCPT TO:<x@other.example>\r\nRCPT TO:<n@no.test>\r\n"
    "DATA\r\nA: b\r\n\r\n..dot\r\n.\r\nRSET\r\nNOOP\r\nVRFY x\r\nHELP\r\nQUIT\r\n",
    ehlo + "STARTTLS\r\n" + ehlo + "MAIL FROM:<>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n"
    "x\r\n.\r\n",
    ehlo + "STARTTLS\r\nMAIL FROM:<evil@x.test>\r\n",
    "HELO old.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n"
    "bare\nlf\r\n.\r\n",
    ehlo + "MAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\nx\r\n\n.\n\r\n.\r\n",
    "MAIL FROM:<a@b.test>\r\nDATA\r\nBDAT 10 LAST\r\n" + "X" * 600 + "\r\n",
]
for s in sessions:
    for prefix in (b"\x00\x00", b"\x07\x01", b"\x01\x03"):
        write("smtp_server", prefix + s.encode())


# DNS answers for "selector._domainkey.example.com" (byte 0: 0 TXT, 1 A, 2 AAAA, 3 MX, 4 PTR).
def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\x00"


QNAME = name("selector._domainkey.example.com")


def packet(qtype, rcode, answers, authority=(), flags=0x8180):
    head = struct.pack(">HHHHHH", 0x5a17, flags | rcode, 1, len(answers), len(authority), 0)
    body = QNAME + struct.pack(">HH", qtype, 1)
    for owner, rtype, rdata in list(answers) + list(authority):
        body += owner + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return head + body


PTR0 = b"\xc0\x0c"  # compression pointer to the question name
txt = b"\x1dv=DKIM1; k=ed25519; p=11qYAYK"
soa = name("example.com") + name("hostmaster.example.com") + struct.pack(">IIIII", 1, 2, 3, 4, 60)
write("dns_answer", b"\x00" + packet(16, 0, [(PTR0, 16, txt)]))
write("dns_answer", b"\x00" + packet(16, 0, [(PTR0, 16, b"\xffA" + b"x" * 254)] * 3))
write("dns_answer", b"\x00" + packet(16, 3, [], [(name("example.com"), 6, soa)]))
write("dns_answer", b"\x00" + packet(16, 0, [], [(name("example.com"), 6, soa)]))
write("dns_answer", b"\x00" + packet(16, 2, []))
write("dns_answer", b"\x00" + packet(16, 0, [(PTR0, 5, name("alias.example.net")),
                                             (name("alias.example.net"), 16, txt)]))
write("dns_answer", b"\x00" + packet(16, 0, [(PTR0, 5, name("loop.example.net")),
                                             (name("loop.example.net"), 5, QNAME)]))
write("dns_answer", b"\x01" + packet(1, 0, [(PTR0, 1, bytes([192, 0, 2, 1]))]))
write("dns_answer", b"\x02" + packet(28, 0, [(PTR0, 28, bytes(15) + b"\x01")]))
write("dns_answer", b"\x03" + packet(15, 0, [(PTR0, 15, b"\x00\x0a" + name("mx.example.com"))]))
write("dns_answer", b"\x04" + packet(12, 0, [(PTR0, 12, name("host.example.com"))]))
write("dns_answer", b"\x00" + packet(16, 0, [(PTR0, 16, txt)], flags=0x8380))  # TC set
