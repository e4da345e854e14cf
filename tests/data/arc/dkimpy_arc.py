#!/usr/bin/python3
"""dkimpy interop helper for tests/unit/arc/dkimpy_interop_test.cpp (Debian python3-dkim,
python3-authres). Runs dkimpy's ARC verifier or sealer on one message file.

  dkimpy_arc.py verify KEYS MESSAGE
      prints pass, fail or none (dkimpy's None for a cv=fail chain is printed as fail,
      RFC 8617 section 5.2 step 2)
  dkimpy_arc.py seal KEYS MESSAGE OUT KEY_PEM DOMAIN SELECTOR SRV_ID TIMESTAMP
      verifies the chain with dkimpy, records the result as an Authentication-Results field
      (dkimpy's sealer takes cv= from there), seals rsa-sha256, and writes the ARC set
      followed by MESSAGE to OUT (the temporary Authentication-Results is not kept)

KEYS is a text file of "name<TAB>TXT record" lines, the only DNS answers given to dkimpy.
"""
import sys

import dkim


def load_keys(path):
    keys = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\r\n")
            if line:
                name, txt = line.split(b"\t", 1)
                keys[name.lower().rstrip(b".")] = txt
    return keys


def dns_function(keys):
    def lookup(name, timeout=5):
        if isinstance(name, str):
            name = name.encode()
        return keys.get(name.lower().rstrip(b"."))
    return lookup


def verify(keys, message):
    cv, _, _ = dkim.arc_verify(message, dnsfunc=dns_function(keys))
    return "fail" if cv is None else cv.decode()


def main(argv):
    if len(argv) >= 3 and argv[0] == "verify":
        keys = load_keys(argv[1])
        with open(argv[2], "rb") as f:
            print(verify(keys, f.read()))
        return 0
    if len(argv) == 9 and argv[0] == "seal":
        keys = load_keys(argv[1])
        with open(argv[2], "rb") as f:
            message = f.read()
        out, key_pem, domain, selector, srv_id, timestamp = argv[3:9]
        result = verify(keys, message)
        results = "Authentication-Results: %s; arc=%s\r\n" % (srv_id, result)
        with open(key_pem, "rb") as f:
            key = f.read()
        fields = dkim.arc_sign(results.encode() + message, selector.encode(), domain.encode(),
                               key, srv_id.encode(), timestamp=int(timestamp))
        with open(out, "wb") as f:
            f.write(b"".join(fields) + message)
        print(result)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
