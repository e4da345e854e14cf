#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...] — builds the libFuzzer targets of tests/fuzz/ with clang
# (ASan + UBSan, libraries instrumented for coverage) in build-fuzz/ and runs each target for
# SECONDS (default 30), one after the other, on one core. Crashes land in
# build-fuzz/fuzz-out/<target>/ (crash-*, timeout-*, oom-*): copy a reproducer to
# tests/fuzz/regressions/<target>/ so the replay tests keep it. New corpus entries stay in
# build-fuzz/fuzz-out/<target>/corpus (merge good ones into tests/fuzz/corpus/ with -merge=1).
# Not run by CI (too long); see docs/ROBUSTNESS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
build=${ARCRELAY_FUZZ_BUILD:-$root/build-fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(header_block tag_list address_list auth_results arc_validate dkim_key_record
           dkim_verify spf_record smtp_server dns_answer config)
fi

# Libraries: coverage + ASan. Not UBSan: clang 14 fails on the Asio coroutines of dns/ and
# smtp/ with it ("Cannot represent a difference across sections"); the fuzz targets' own code
# has UBSan, and the replay tests run every seed and regression under g++ ASan+UBSan in CI.
# Boost 1.74's Asio only detects co_await support on g++; clang 14 has it too.
fuzz_flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address"
fuzz_flags+=" -DBOOST_ASIO_HAS_CO_AWAIT=1"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER=clang++ -DARCRELAY_FUZZ=ON -DARCRELAY_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="$fuzz_flags" >/dev/null
# -k 0: a target that does not build is reported below, the others still run.
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}" -- -k 0 || true

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
    echo "!! fuzz_$t did not build"
    status=1
    continue
  fi
  out=$build/fuzz-out/$t
  mkdir -p "$out/corpus"
  echo "== fuzz_$t for ${seconds}s"
  # The seeds are read, new inputs written to $out/corpus only (the first corpus dir).
  if ! (cd "$out" && "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        "$out/corpus" "$root/tests/fuzz/corpus/$t" 2>&1 | tee "$out/log.txt" | \
        grep -E '^(INFO: seed|#[0-9]+ *DONE|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units|Test unit written)'); then
    :
  fi
  if ls "$out"/crash-* "$out"/timeout-* "$out"/oom-* >/dev/null 2>&1; then
    echo "!! fuzz_$t found problems: $(ls "$out" | grep -E '^(crash|timeout|oom|leak)-' | tr '\n' ' ')"
    status=1
  fi
done
exit $status
