#!/bin/sh
# Builds tests/unit/agent_windows straight with mingw-w64 — the Windows platform files, the
# portable pieces they need (quarantine, ledger), sqlite3 + nlohmann_json from DEPS_PREFIX and
# GoogleTest from GTEST_PREFIX (both default to the build-deps cache) — for when the full cross build cannot
# configure yet (its dependency prefix is incomplete). Then run it under wine:
#   tests/unit/agent_windows/direct/build.sh /tmp/out && tests/unit/agent_windows/direct/run.sh /tmp/out
set -eu
OUT=${1:-/tmp/vakt-agent-windows}
DEPS_PREFIX=${DEPS_PREFIX:-$HOME/.cache/vakt/mingw-deps/current}  # sqlite3, nlohmann_json
GTEST_PREFIX=${GTEST_PREFIX:-$DEPS_PREFIX}
JSON_INCLUDE=${JSON_INCLUDE:-}
SRC=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$SRC"
mkdir -p "$OUT/obj"
CXX="x86_64-w64-mingw32-g++-posix -std=c++20 -O1 -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough -Werror -Iagent -Iscanner/include -Itests/unit/agent_windows
  -isystem $GTEST_PREFIX/include -isystem $DEPS_PREFIX/include"
SOURCES="$(ls agent/platform/windows/*.cpp) agent/watch/overflow_injector.cpp
  agent/actions/safe_move.cpp agent/actions/note.cpp agent/actions/quarantine.cpp
  agent/state/quarantine_ledger.cpp agent/state/sqlite_db.cpp scanner/mask/mask_text.cpp
  $(ls tests/unit/agent_windows/*.cpp) tests/unit/agent_windows/direct/sha256_bcrypt.cpp"
OBJS=""
for f in $SOURCES; do
  OBJS="$OBJS $OUT/obj/$(echo "$f" | tr / _).o"
done
# Two compiles at a time; each object is rebuilt when its source or any header is newer.
for f in $SOURCES; do
  o="$OUT/obj/$(echo "$f" | tr / _).o"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find agent tests/unit/agent_windows -name '*.h' -newer "$o")" ]; then
    echo "$f $o"
  fi
done | xargs -r -P2 -n2 sh -c 'echo "CXX $0"; nice '"$(echo $CXX)"' -c "$0" -o "$1"'
x86_64-w64-mingw32-g++-posix -static -o "$OUT/vakt_unit_agent_windows.exe" $OBJS \
  -L"$GTEST_PREFIX/lib" -L"$DEPS_PREFIX/lib" -lgtest_main -lgtest -lsqlite3 -lbcrypt -ladvapi32 -lshell32 -lole32 -luuid
echo "built $OUT/vakt_unit_agent_windows.exe"
