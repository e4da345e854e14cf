#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) as a real peer for arcrelay's interop tests.

  dkimpy_tool.py sign  KEY.pem DOMAIN SELECTOR ALGO CANON LENGTH(0|1) HEADERS IN OUT
  dkimpy_tool.py verify ZONE IN            -> one line per DKIM-Signature: pass|fail
  dkimpy_tool.py arc-sign KEY.pem DOMAIN SELECTOR AUTHSERV_ID ZONE IN OUT
  dkimpy_tool.py arc-verify ZONE IN        -> "pass"/"fail"/"none" and the reason

ZONE is an RFC 1035 master file with one TXT record per owner (strings joined).
Ed25519 keys are read from PKCS#8 PEM (the last 32 bytes of the DER are the seed).
"""
import base64
import re
import sys

import dkim


def read_zone(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r";[^\n\"]*(?=\n)", "", text)
    records = {}
    for m in re.finditer(r"^(\S+)\s+(?:\d+\s+)?IN\s+TXT\s+(\(.*?\)|\"[^\n]*)", text, re.M | re.S):
        name = m.group(1).lower().rstrip(".")
        strings = re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(2))
        records[name] = "".join(strings)
    return records


def dnsfunc_for(zone):
    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        value = zone.get(key.lower().rstrip("."))
        return value.encode() if value is not None else None
    return dnsfunc


def private_key(path, algo):
    pem = open(path, "rb").read()
    if algo == b"ed25519-sha256":
        der = base64.b64decode(b"".join(l for l in pem.splitlines() if not l.startswith(b"-----")))
        return base64.b64encode(der[-32:])
    return pem


def main(argv):
    cmd = argv[1]
    if cmd == "sign":
        key, domain, selector, algo, canon, length, headers, src, dst = argv[2:11]
        algo = algo.encode()
        msg = open(src, "rb").read()
        h, b = canon.split("/")
        sig = dkim.sign(msg, selector.encode(), domain.encode(), private_key(key, algo),
                        canonicalize=(h.encode(), b.encode()), signature_algorithm=algo,
                        include_headers=[x.encode() for x in headers.split(":")],
                        length=length == "1")
        open(dst, "wb").write(sig + msg)
    elif cmd == "verify":
        zone = dnsfunc_for(read_zone(argv[2]))
        msg = open(argv[3], "rb").read()
        d = dkim.DKIM(msg)
        count = sum(1 for line in msg.split(b"\r\n\r\n")[0].split(b"\r\n")
                    if line.lower().startswith(b"dkim-signature:"))
        for i in range(count):
            print("pass" if d.verify(idx=i, dnsfunc=zone) else "fail")
    elif cmd == "arc-sign":
        key, domain, selector, srv_id, zone_path, src, dst = argv[2:9]
        msg = open(src, "rb").read()
        zone = dnsfunc_for(read_zone(zone_path))
        hdrs = dkim.arc_sign(msg, selector.encode(), domain.encode(), open(key, "rb").read(),
                             srv_id.encode(), b"", dnsfunc=zone)
        open(dst, "wb").write(b"".join(hdrs) + msg)
    elif cmd == "arc-verify":
        zone = dnsfunc_for(read_zone(argv[2]))
        msg = open(argv[3], "rb").read()
        cv, results, reason = dkim.arc_verify(msg, dnsfunc=zone)
        print((cv or b"fail").decode(), reason)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
