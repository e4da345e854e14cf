#!/usr/bin/env bash
# scripts/bench.sh — builds arcrelay in Release (build-bench/), runs the in-process
# benchmarks (bench/bench_arcrelay: stages, full job, crypto bound), the dkimpy peer and,
# when available, the rspamd peer; then writes docs/PERFORMANCE.md and docs/performance.png.
#
#   scripts/bench.sh
#   MIN_SECONDS=0.5 REPEAT=3 PEER_SECONDS=5 scripts/bench.sh   # longer, steadier runs
#
# The corpus is ../shared/bench/corpus when present (SHARED_BENCH overrides), else the 2k
# messages of tests/data/arc/bench-corpus (the report then says so). Servers started for a
# peer listen on 127.0.0.1 only and are stopped by PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
shared=${SHARED_BENCH:-$root/../shared/bench}
min_seconds=${MIN_SECONDS:-0.2}
repeat=${REPEAT:-1}
peer_seconds=${PEER_SECONDS:-3}
results=$build/bench-results
py=/usr/bin/python3 # Debian's python3-dkim lives here, not in a pyenv python3

# No -Werror here: g++ 12 at -O3 reports a -Wrestrict false positive in relay/rewrite.cpp.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DARCRELAY_TESTS=OFF \
  -DARCRELAY_WERROR=OFF >/dev/null
cmake --build "$build" --target bench_arcrelay -j2

rm -rf "$results"
mkdir -p "$results"

# Machine description (docs/PERFORMANCE.md "Machine").
"$py" - "$results/machine.json" "$root" "$min_seconds" "$repeat" "$peer_seconds" <<'PY'
import json, os, platform, subprocess, sys, time
out, root, min_s, rep, peer_s = sys.argv[1:6]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
botan = subprocess.run(["pkg-config", "--modversion", "botan-2"], capture_output=True, text=True).stdout.strip()
gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nproc": os.cpu_count(),
           "cpu": cpu, "memory": "%.1f GiB" % (int(mem) / 1048576), "kernel": platform.release(),
           "loadavg": "%.1f" % os.getloadavg()[0], "compiler": gxx, "botan": botan,
           "build": "CMAKE_BUILD_TYPE=Release (-O3 -DNDEBUG)", "source_dir": root,
           "settings": "MIN_SECONDS=%s REPEAT=%s PEER_SECONDS=%s" % (min_s, rep, peer_s)},
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

# End-to-end SMTP load needs a working `arcrelay serve` and a load driver (not written yet).
serve_usage=$(cmake --build "$build" --target arcrelay -j2 >/dev/null 2>&1 &&
  "$build/relay/arcrelay" serve --help 2>&1 || true)
if [[ $serve_usage == *"usage: arcrelay serve"* ]]; then
  note smtp "Not run: \`arcrelay serve\` builds, but scripts/bench.sh has no SMTP load driver yet (smtp-source/smtp-sink or an Asio client); the figures above are in-process only."
else
  note smtp "Not run: \`arcrelay serve\` did not build in this tree when the benchmark ran."
fi

"$py" - "$results/notes.json" "${notes[@]}" <<'PY'
import json, sys
args = sys.argv[2:]
json.dump(dict(zip(args[0::2], args[1::2])), open(sys.argv[1], "w"))
PY
"$py" "$root/bench/report.py" "$results" "$root/docs/PERFORMANCE.md" "$root/docs/performance.png"
echo "wrote $root/docs/PERFORMANCE.md and docs/performance.png (raw results in $results)"
