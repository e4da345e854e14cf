#!/usr/bin/python3
"""A second CMake configure rewrites no generated source (the demo's second start rebuilds
nothing): configures a scratch build tree twice and compares the generated Boost.Test main
files' contents and modification times. Needs cmake and ninja; bounded by a timeout."""
import glob
import os
import subprocess
import sys
import tempfile

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def configure(build):
    subprocess.run(["cmake", "-S", SOURCE, "-B", build, "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=Release", "-DARCRELAY_BENCH=OFF"],
                   check=True, capture_output=True, timeout=300)
    mains = sorted(glob.glob(os.path.join(build, "tests", "**", "*_main.cpp"), recursive=True))
    return {m: (os.stat(m).st_mtime_ns, open(m).read()) for m in mains}


with tempfile.TemporaryDirectory(prefix="arcrelay-configure-") as build:
    first = configure(build)
    second = configure(build)
    if len(first) < 10:
        sys.exit(f"expected the generated test main files, found {len(first)}")
    changed = [m for m in first if first[m] != second.get(m)]
    if changed:
        sys.exit(f"a second configure rewrote {len(changed)} file(s): {changed[:3]}")
    print(f"1 passed, 0 failed: {len(first)} generated main files kept by a second configure")
