#!/usr/bin/env bash
# The README's test command: install dependencies, build, run every test; then the
# Debian package test; then the same tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
BUILD_DIR="$root/build" "$root/scripts/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j2
# The Debian package: built (scripts/package.sh, lintian-clean), installed, run as its unit
# runs it, removed and purged (tests/integration/package). dpkg -i needs root.
if [ "${ARCRELAY_SKIP_PACKAGE:-0}" != 1 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    "$root/scripts/package.sh"
    deb="arcrelay_$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)_$(dpkg-architecture -q DEB_HOST_ARCH).deb"
    /usr/bin/python3 "$root/tests/integration/package/package_test.py" "$root/dist/$deb"
  else
    echo "test.sh: package test skipped (dpkg -i needs root)"
  fi
fi
if [ "${ARCRELAY_SKIP_SANITIZE:-0}" != 1 ]; then
  BUILD_DIR="$root/build-asan" BUILD_TYPE=Debug \
    CMAKE_EXTRA="-DARCRELAY_SANITIZE=ON -DARCRELAY_BENCH=OFF" "$root/scripts/build.sh"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure -j2
fi
