# Cross-compiling Vakt for 64-bit Windows with Debian's mingw-w64 (posix thread model, so
# std::thread and std::mutex work). Dependencies come from scripts/windows/build-deps, installed
# under VAKT_MINGW_PREFIX (default: the build-deps cache's `current` link).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(VAKT_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${VAKT_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${VAKT_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${VAKT_MINGW_TRIPLE}-windres)

if(NOT VAKT_MINGW_PREFIX)
  if(DEFINED ENV{VAKT_MINGW_PREFIX})
    set(VAKT_MINGW_PREFIX $ENV{VAKT_MINGW_PREFIX})
  else()
    set(VAKT_MINGW_PREFIX $ENV{HOME}/.cache/vakt/mingw-deps/current)
  endif()
endif()
set(VAKT_MINGW_PREFIX ${VAKT_MINGW_PREFIX} CACHE PATH "Prefix holding the cross-built dependencies")

set(CMAKE_FIND_ROOT_PATH /usr/${VAKT_MINGW_TRIPLE} ${VAKT_MINGW_PREFIX})
set(CMAKE_PREFIX_PATH ${VAKT_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see only the cross prefix, never the host's .pc files.
set(ENV{PKG_CONFIG_LIBDIR} ${VAKT_MINGW_PREFIX}/lib/pkgconfig:${VAKT_MINGW_PREFIX}/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
set(ENV{PKG_CONFIG_PATH} "")

# A static executable: vakt.exe runs with no DLLs beside it (the MSI ships one file).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# ...and find_library() returns static archives only (see mingw-w64-static.cmake).
set(CMAKE_USER_MAKE_RULES_OVERRIDE ${CMAKE_CURRENT_LIST_DIR}/mingw-w64-static.cmake)
# Tests and e2e runs go through wine.
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
