#!/usr/bin/env bash
# Builds the Debian package: dist/arcrelay_<version>_<arch>.deb, with dpkg-buildpackage -us -uc -b
# on a copy of the work tree (the files git tracks or would track, committed or not) in a
# fixed directory, so that ccache (when installed) hits on the next run. Then runs lintian on
# it: any error or warning fails (debian/arcrelay.lintian-overrides says why for each override).
# ccache: debhelper (compat 13) points HOME at debian/.debhelper/generated/_source/home while
# it builds, and ccache's default cache lives under HOME: without CCACHE_DIR every run cached
# into the copy it deletes next time and never hit. So the cache directory is resolved here,
# before dpkg-buildpackage, and passed on; the compile lines are the same from run to run
# (fixed work dir, so dpkg-buildflags' -ffile-prefix-map=SRC=. does not change).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
work=${PACKAGE_WORK_DIR:-/tmp/arcrelay-package}
src="$work/arcrelay-$version"
start=$(date +%s)
rm -rf "$work"
mkdir -p "$src" "$root/dist"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$src" -xf -
extra=""
if command -v ccache >/dev/null; then
  extra="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  export CCACHE_BASEDIR="$work" CCACHE_DIR="${CCACHE_DIR:-$(ccache -k cache_dir)}"
  export CCACHE_STATSLOG="$work/ccache-stats.log"  # this build's compilations only
fi
(cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
  ARCRELAY_CMAKE_EXTRA="$extra" dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
  tail -40 "$work/build.log"; echo "package.sh: dpkg-buildpackage failed ($work/build.log)"; exit 1; }
deb="arcrelay_${version}_${arch}.deb"
cp "$work/$deb" "$root/dist/$deb"
echo "package.sh: built dist/$deb in $(( $(date +%s) - start )) s"
if [ -n "$extra" ]; then
  echo "package.sh: ccache ($CCACHE_DIR): $(grep -c '^# ' "$CCACHE_STATSLOG" || true) compilations," \
    "$(grep -cE '^(direct|preprocessed)_cache_hit$' "$CCACHE_STATSLOG" || true) cache hits"
fi
lintian --fail-on error,warning --info "$work/arcrelay_${version}_${arch}.changes"
echo "package.sh: lintian clean"
