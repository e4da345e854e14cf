#!/usr/bin/python3
"""dkimpy peer timed in CPU time, per size class (docs/PERFORMANCE.md).

Runs the same relay job as ../shared/bench/peer_dkimpy.py (its Relay class: ARC
validation, DKIM verification, A-R, seal with rsa-sha256 + ed25519-sha256) over the
corpus's bench messages, but measures process CPU time (time.process_time) rather than
wall time, so that a loaded, shared machine does not flatter arcrelay's per-core figures.
Run with /usr/bin/python3 (Debian's python3-dkim, python3-nacl).

usage: dkimpy_cpu.py BENCH_DIR [--min-seconds S] [--sizes 2k,20k,...]
Output: one JSON line per size class on stdout.
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_dir", help="the shared bench kit (peer_dkimpy.py, corpus/)")
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--sizes", default="2k,20k,200k,2m")
    args = ap.parse_args()
    sys.path.insert(0, args.bench_dir)
    import arcbench_common as C
    import peer_dkimpy as P

    C.enable_dkimpy_ed25519_arc()
    relay = P.Relay(os.path.join(args.bench_dir, "corpus"), ["rsa-sha256", "ed25519-sha256"], False)
    bench = P.load_messages(relay, role="bench")
    for size in args.sizes.split(","):
        msgs = [raw for m, raw in bench if m["size_class"] == size]
        if not msgs:
            continue
        for raw in msgs:  # warm-up, untimed
            relay.process(raw)
        n = 0
        t0 = time.process_time()
        while True:
            for raw in msgs:
                relay.process(raw)
                n += 1
            el = time.process_time() - t0
            if el >= args.min_seconds:
                break
        print(json.dumps({"type": "peer", "peer": "dkimpy", "size_class": size, "messages": n,
                          "cpu_s": round(el, 4), "msgs_per_s": n / el}), flush=True)


if __name__ == "__main__":
    main()
