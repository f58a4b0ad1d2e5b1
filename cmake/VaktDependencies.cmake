# Every third-party library Vakt links, found the Debian way (pkg-config or CMake config files).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(LIBMAGIC REQUIRED IMPORTED_TARGET libmagic)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
# libdeflate inflates zip members 2-2.7x faster than zlib (scanner/extract/zip_reader.h).
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
# libgsf is no dependency of Vakt itself (scanner/extract/ole2_reader.cpp reads OLE2 on its own);
# on Linux it is the oracle of the OLE2 differential test and the peer in ole2_bench, when present.
if(NOT WIN32 AND (VAKT_BUILD_TESTS OR VAKT_BUILD_BENCHMARKS))
  pkg_check_modules(LIBGSF IMPORTED_TARGET libgsf-1)
endif()
find_package(EXPAT REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(SQLite3 REQUIRED)
if(NOT WIN32)
  find_package(OpenSSL REQUIRED)  # SHA-256/HMAC; Windows uses the OS's CNG (bcrypt) instead
endif()
find_package(ZLIB REQUIRED)
# mimalloc takes over malloc/free for the whole vakt process on Linux (poppler, libzip and the
# scanner allocate many small blocks): 7-13 % less CPU than glibc's malloc on PDF and Office scans
# (README, "Performance"). Sanitizer builds keep their own allocator.
set(VAKT_USE_MIMALLOC OFF)
if(VAKT_MIMALLOC AND NOT WIN32 AND VAKT_SANITIZE STREQUAL "")
  find_package(mimalloc 2.0 REQUIRED)
  set(VAKT_USE_MIMALLOC ON)
endif()
if(UNIX AND NOT APPLE)
  pkg_check_modules(LIBSYSTEMD IMPORTED_TARGET libsystemd)
endif()
if(VAKT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(VAKT_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
