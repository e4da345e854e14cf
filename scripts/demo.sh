#!/usr/bin/env bash
# The README's run command: install dependencies, build, and run arcrelay on its embedded
# demo defaults (127.0.0.1:2525, keys and maildir under ./state).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
BUILD_DIR="$root/build" "$root/scripts/build.sh"
exec "$root/build/relay/arcrelay" serve
