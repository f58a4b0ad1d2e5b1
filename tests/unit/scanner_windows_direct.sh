#!/bin/sh
# Builds the scanner's Windows seams straight with mingw-w64 and runs their tests under wine, for
# when the full cross build cannot configure yet (hyperscan and poppler arrive last in the
# dependency prefix). Each executable links only the seam it tests:
#   isolation   isolation_win + isolation_wire     (worker spawn, Job Object, limits, crashes)
#   open_file   mapped_file_win + member_buffer_win + os_win + sha256_win
#   sha256      sha256_win (CNG) against FIPS 180-2 / RFC 4231
#   magic       magic_database_win + type_detect   (needs libmagic, libzip and magic.mgc)
#   hs_cache    hs_database + os_win               (needs hyperscan: cache file via MoveFileExW)
# Usage: tests/unit/scanner_windows_direct.sh [OUT_DIR]   (DEPS_PREFIX: the build-deps prefix)
set -eu
OUT=${1:-/tmp/vakt-scanner-windows}
DEPS_PREFIX=${DEPS_PREFIX:-$HOME/.cache/vakt/mingw-deps/current}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRC"
mkdir -p "$OUT/obj"
CXX="x86_64-w64-mingw32-g++-posix -std=c++20 -O1 -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough -Werror -Iscanner -Iscanner/include -Itests/unit/extract_docs
  -isystem $DEPS_PREFIX/include"
LINK="x86_64-w64-mingw32-g++-posix -static -static-libgcc -static-libstdc++"

obj() { echo "$OUT/obj/$(echo "$1" | tr / _).o"; }
compile() {
  for f in $(printf '%s\n' "$@" | sort -u); do  # once each: two jobs must not write one object
    o=$(obj "$f")
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] ||
       [ -n "$(find scanner tests/unit -name '*.h' -newer "$o" | head -1)" ]; then
      echo "$f $o"
    fi
  done | xargs -r -P2 -n2 sh -c 'echo "CXX $0"; nice '"$(echo $CXX)"' -c "$0" -o "$1"'
}
objs() { for f in "$@"; do printf '%s ' "$(obj "$f")"; done; }

GTEST="-L$DEPS_PREFIX/lib -lgtest"
ISO="scanner/extract/isolation_win.cpp scanner/extract/isolation_wire.cpp
  tests/unit/extract_docs/isolation_win_test.cpp tests/unit/isolated_worker_main.cpp"
OPEN="scanner/extract/mapped_file_win.cpp scanner/extract/member_buffer_win.cpp
  scanner/util/os_win.cpp scanner/util/sha256_win.cpp scanner/util/sha256.cpp
  tests/unit/extract_core/open_file_win_test.cpp"
SHA="scanner/util/sha256_win.cpp scanner/util/sha256.cpp tests/unit/engine/sha256_test.cpp"
HS="scanner/match/hs_database.cpp scanner/util/os_win.cpp scanner/util/sha256_win.cpp
  scanner/util/sha256.cpp tests/unit/engine/hs_cache_win_test.cpp"
MAGIC="scanner/extract/magic_database_win.cpp scanner/extract/type_detect.cpp
  scanner/extract/text_decoder.cpp scanner/util/os_win.cpp
  tests/unit/extract_core/magic_database_win_test.cpp"

compile $ISO $OPEN $SHA
$LINK -o "$OUT/isolation.exe" $(objs $ISO) $GTEST -lpsapi
$LINK -o "$OUT/open_file.exe" $(objs $OPEN) $GTEST -lgtest_main -lbcrypt
$LINK -o "$OUT/sha256.exe" $(objs $SHA) $GTEST -lgtest_main -lbcrypt
tests="isolation open_file sha256"
if [ -f "$DEPS_PREFIX/lib/libmagic.a" ] && [ -f "$DEPS_PREFIX/share/misc/magic.mgc" ]; then
  compile $MAGIC
  $LINK -o "$OUT/magic.exe" $(objs $MAGIC) $GTEST -lgtest_main -lzip -lmagic -ltre -lshlwapi \
    -lbz2 -llzma -lz
  cp "$DEPS_PREFIX/share/misc/magic.mgc" "$OUT/"
  tests="$tests magic"
else
  echo "libmagic not in $DEPS_PREFIX yet: magic test skipped"
fi
if [ -f "$DEPS_PREFIX/lib/libhs.a" ]; then
  compile $HS
  $LINK -o "$OUT/hs_cache.exe" $(objs $HS) $GTEST -lgtest_main -lhs -lbcrypt
  tests="$tests hs_cache"
else
  echo "hyperscan not in $DEPS_PREFIX yet: hs_cache test skipped"
fi

export WINEDEBUG=-all WINEPREFIX=${WINEPREFIX:-/tmp/vakt-scanner-wine}
WINE=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver -p >/dev/null 2>&1 </dev/null || true
failed=0
for t in $tests; do
  # wine can exit 0 after a crash (its debugger reports it): require GoogleTest's own verdict too.
  if (cd "$OUT" && "$WINE" "$t.exe" >"$t.log" 2>&1) && grep -q '^\[  PASSED  \]' "$OUT/$t.log" &&
     ! grep -q 'FAILED\|Unhandled' "$OUT/$t.log"; then
    echo "PASS $t ($(grep -o '[0-9]* tests\? from [0-9]* test suites\? ran' "$OUT/$t.log"))"
  else
    echo "FAIL $t (see $OUT/$t.log)"
    failed=$((failed + 1))
  fi
done
exit $failed
