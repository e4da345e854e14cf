#!/usr/bin/env bash
# scripts/bench.sh — builds arcrelay in Release (build-bench/), runs the in-process
# benchmarks (bench/bench_arcrelay: stages, full job, crypto bound), the dkimpy peer and,
# when available, the rspamd peer; then the end-to-end SMTP load (bench/smtp_load.py:
# `arcrelay serve` in front of Postfix's smtp-sink, concurrency 1/8/64, added latency,
# idle connections, a 25 MB message, rspamd at concurrency 8, the seal fan-out of the split
# layout's seal listener fed as Mailman feeds it); then writes
# docs/PERFORMANCE.md, docs/performance.png and docs/performance-latency.png.
#
#   scripts/bench.sh
#   MIN_SECONDS=0.5 REPEAT=3 PEER_SECONDS=5 E2E_SECONDS=10 scripts/bench.sh   # longer runs
#   E2E_SKIP=idle,big scripts/bench.sh   # parts of the SMTP load left out (see smtp_load.py)
#   E2E_FANOUT_MEMBERS=500 scripts/bench.sh   # personalized copies per fan-out run (default
#                                             # 5 000, the list; fewer are extrapolated)
#
# The corpus is ../shared/bench/corpus when present (SHARED_BENCH overrides), else the 2k
# messages of tests/data/arc/bench-corpus (the report then says so). Servers started for a
# peer or the SMTP load listen on 127.0.0.1 only and are stopped by PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
shared=${SHARED_BENCH:-$root/../shared/bench}
min_seconds=${MIN_SECONDS:-0.2}
repeat=${REPEAT:-1}
peer_seconds=${PEER_SECONDS:-3}
e2e_seconds=${E2E_SECONDS:-5} # per closed-loop run through arcrelay (the SMTP load: ~5 min)
results=$build/bench-results
py=/usr/bin/python3 # Debian's python3-dkim lives here, not in a pyenv python3

# The development build's flags (-Werror; CMakeLists.txt silences g++ 12's -O3 false
# positives), so a shared ccache serves the objects the development build already made.
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DARCRELAY_TESTS=OFF \
  -DARCRELAY_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$build" --target bench_arcrelay -j2

rm -rf "$results"
mkdir -p "$results"

# Machine description (docs/PERFORMANCE.md "Machine").
"$py" - "$results/machine.json" "$root" "$min_seconds" "$repeat" "$peer_seconds" "$e2e_seconds" <<'PY'
import json, os, platform, subprocess, sys, time
out, root, min_s, rep, peer_s, e2e_s = sys.argv[1:7]
info = {}
for l in open("/proc/cpuinfo"):
    k, _, v = l.partition(":")
    info.setdefault(k.strip(), v.strip())
# Family and model tell the CPU generation; OpenSSL signs RSA twice as fast with AVX-512 IFMA.
cpu = "%s (family %s, model %s%s)" % (info.get("model name", "?"), info.get("cpu family", "?"),
                                      info.get("model", "?"),
                                      ", AVX-512 IFMA" if "avx512ifma" in info.get("flags", "").split()
                                      else ", no AVX-512 IFMA")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
botan = subprocess.run(["pkg-config", "--modversion", "botan-2"], capture_output=True, text=True).stdout.strip()
gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nproc": os.cpu_count(),
           "cpu": cpu, "memory": "%.1f GiB" % (int(mem) / 1048576), "kernel": platform.release(),
           "loadavg": "%.1f" % os.getloadavg()[0], "compiler": gxx, "botan": botan,
           "build": "CMAKE_BUILD_TYPE=Release (-O3 -DNDEBUG)", "source_dir": root,
           "settings": "MIN_SECONDS=%s REPEAT=%s PEER_SECONDS=%s E2E_SECONDS=%s" % (
               min_s, rep, peer_s, e2e_s)},
          open(out, "w"))
PY

notes=()
note() { notes+=("$1" "$2"); }

corpus_dir=$shared/corpus
if [ ! -f "$corpus_dir/manifest.json" ]; then
  echo "NOTE: $corpus_dir is absent: benchmarking the 2k messages of tests/data/arc/bench-corpus only" >&2
fi
"$build/bench/bench_arcrelay" --corpus "$corpus_dir" --min-seconds "$min_seconds" \
  --repeat "$repeat" --out "$results/arcrelay.jsonl"

# dkimpy, the same job in CPU time (needs the shared kit and Debian's python3-dkim).
if [ -f "$shared/peer_dkimpy.py" ] && "$py" -c 'import dkim, nacl' 2>/dev/null; then
  "$py" "$root/bench/dkimpy_cpu.py" "$shared" --min-seconds "$peer_seconds" > "$results/dkimpy.jsonl"
  note dkimpy "Measured in this run."
else
  note dkimpy "Not run: ../shared/bench or python3-dkim/python3-nacl missing."
fi

# rspamd (min profile, concurrency 1): server CPU per message read from /proc.
if command -v rspamd >/dev/null && command -v nsd >/dev/null && [ -f "$shared/peer_rspamd.py" ]; then
  export WORKDIR=$results/rspamd PROFILE=min CORPUS=$corpus_dir
  trap 'bash "$shared/rspamd/servers.sh" stop >/dev/null 2>&1 || true' EXIT
  bash "$shared/rspamd/servers.sh" start >/dev/null
  "$py" "$shared/rspamd/wait_idle.py" "$(cat "$WORKDIR/rspamd.started.pid")"
  "$py" "$shared/peer_rspamd.py" --label min --concurrency 1 --runs 1 --min-seconds "$peer_seconds" \
    --no-check --rspamd-pid "$(cat "$WORKDIR/rspamd.started.pid")" \
    --jsonl "$results/rspamd.jsonl" >/dev/null 2>"$results/rspamd.txt"
  bash "$shared/rspamd/servers.sh" stop >/dev/null
  trap - EXIT
  note rspamd "rspamd $(rspamd --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1) (profile min: DKIM+SPF+DMARC+ARC, seal rsa-sha256 only), HTTP /checkv2 at concurrency 1; the column is messages per second of rspamd server CPU (main process + workers, from /proc)."
else
  note rspamd "Not run: needs Debian rspamd and nsd and ../shared/bench (apt-get install rspamd nsd)."
fi

# End-to-end SMTP load: bench/smtp_load.py (asyncio SMTP client) -> `arcrelay serve` (every
# stage, DNS from the corpus zone) -> smtp-sink, and the client -> smtp-sink directly.
# Its progress goes to the terminal and to bench-results/smtp_load.txt.
if ! cmake --build "$build" --target arcrelay -j2 >"$results/arcrelay-build.log" 2>&1; then
  note smtp "Not run: \`arcrelay serve\` did not build in this tree when the benchmark ran (bench-results/arcrelay-build.log)."
elif [ ! -x /usr/sbin/smtp-sink ]; then
  note smtp "Not run: needs Postfix's smtp-sink (apt-get install postfix; scripts/deps/postfix.txt)."
elif "$py" "$root/bench/smtp_load.py" "$results" --binary "$build/relay/arcrelay" \
  --shared "$shared" --seconds "$e2e_seconds" --peer-seconds "$peer_seconds" 2>&1 |
  tee "$results/smtp_load.txt" >&2; then
  note smtp "Measured in this run by \`bench/smtp_load.py\` (section *End to end over SMTP*; its log is bench-results/smtp_load.txt)."
else
  note smtp "Failed: \`bench/smtp_load.py\` stopped with an error (bench-results/smtp_load.txt); what it recorded before is shown."
fi

"$py" - "$results/notes.json" "${notes[@]}" <<'PY'
import json, sys
args = sys.argv[2:]
json.dump(dict(zip(args[0::2], args[1::2])), open(sys.argv[1], "w"))
PY
"$py" "$root/bench/report.py" "$results" "$root/docs/PERFORMANCE.md" "$root/docs/performance.png" \
  "$root/docs/performance-latency.png"
echo "wrote $root/docs/PERFORMANCE.md, docs/performance.png and docs/performance-latency.png (raw results in $results)"
