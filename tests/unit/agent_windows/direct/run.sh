#!/bin/sh
# Runs the directly built Windows unit tests under wine in a throw-away prefix, with a Linux
# process writing into a watched folder (Z:\ maps /) for the external-writer test.
#   tests/unit/agent_windows/direct/run.sh OUT [gtest args...]
set -u
OUT=${1:-/tmp/vakt-agent-windows}
shift || true
export WINEDEBUG=-all
export WINEPREFIX=${WINEPREFIX:-$OUT/wine-prefix}
EXT=$(mktemp -d /tmp/vakt-wine-ext.XXXXXX)
export VAKT_WINE_EXTERNAL_DIR="Z:$(echo "$EXT" | tr / '\\')"
wineserver -p >/dev/null 2>&1
# The Linux writer: waits for the test's "ready" marker, then writes a file below the root.
( for _ in $(seq 1 600); do
    if [ -f "$EXT/ready" ]; then
      sleep 0.5
      printf 'skriven av Linux\n' > "$EXT/sub/from_linux.txt"
      exit 0
    fi
    sleep 0.1
  done ) &
writer=$!
${WINE:-wine} "$OUT/vakt_unit_agent_windows.exe" "$@"
rc=$?
kill "$writer" 2>/dev/null
rm -rf "$EXT"
exit $rc
