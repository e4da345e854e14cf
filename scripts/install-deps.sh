#!/usr/bin/env bash
# Installs every Debian package arcrelay needs to build, run and test.
# Package lists live in scripts/deps/*.txt (one package per line, # comments).
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
