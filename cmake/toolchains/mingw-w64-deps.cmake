# Toolchain for scripts/windows/build-deps: the Vakt mingw-w64 toolchain, minus the wine emulator
# (dependency builds never run what they compile), plus optional extra find roots.
# VAKT_DEPS_EXTRA_ROOTS (environment, ':'-separated) adds folders whose usr/include is searched
# like the target's: build-deps uses it to let hyperscan see the host's header-only Boost
# without opening /usr/include (and the host's zlib.h, iconv.h, ...) to every other find.
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-x86_64.cmake)
unset(CMAKE_CROSSCOMPILING_EMULATOR)
if(DEFINED ENV{VAKT_DEPS_EXTRA_ROOTS} AND NOT "$ENV{VAKT_DEPS_EXTRA_ROOTS}" STREQUAL "")
  string(REPLACE ":" ";" _vakt_extra_roots "$ENV{VAKT_DEPS_EXTRA_ROOTS}")
  list(APPEND CMAKE_FIND_ROOT_PATH ${_vakt_extra_roots})
endif()
