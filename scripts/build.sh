#!/usr/bin/env bash
# Builds arcrelay into BUILD_DIR (default build/), Release, warnings as errors.
# With ccache installed (scripts/deps/base.txt) objects are cached: CCACHE_BASEDIR is the
# checkout's parent, so two checkouts side by side (or a CI clone) share hits for the same
# flags; the cache never changes what is built, only how fast.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
launcher=""
if command -v ccache >/dev/null; then
  launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=1
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} \
  -DARCRELAY_WERROR=ON $launcher ${CMAKE_EXTRA:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
