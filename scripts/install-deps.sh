#!/usr/bin/env bash
# Installs every Debian package arcrelay needs to build, run and test.
# Package lists live in scripts/deps/*.txt (one package per line, # comments). Then the npm
# test peers under tests/peers/ (each pinned by its package-lock.json) are installed into their
# own folders: nothing global, nothing fetched when the tests run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packages=$(grep -hv '^\s*#' "$here"/deps/*.txt | tr -s ' \n' '\n' | sort -u | tr '\n' ' ')
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
missing=$(dpkg-query -W -f='${Package} ${Status}\n' $packages 2>/dev/null | awk '$4!="installed"{print $1}'; \
          for p in $packages; do dpkg-query -W "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$(echo "$missing" | tr -d '[:space:]')" ]; then
  # Postfix is installed only for its test tools (smtp-source, smtp-sink): no MTA configured.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo_cmd debconf-set-selections
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $packages
fi

# npm ci only when the lock file changed since the last install (the copy in node_modules).
# --loglevel=error: mailauth 7.1.0 declares Node >= 22 (EBADENGINE warning), yet runs on Node 20
# with undici held at 6.x by the package.json override; the interop tests prove it.
for peer in "$here"/../tests/peers/*/package-lock.json; do
  dir=$(dirname "$peer")
  if ! cmp -s "$peer" "$dir/node_modules/.installed-package-lock.json"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$peer" "$dir/node_modules/.installed-package-lock.json"
  fi
done
