# Loaded through CMAKE_USER_MAKE_RULES_OVERRIDE by mingw-w64-x86_64.cmake, i.e. after CMake's
# Windows-GNU platform file, which would otherwise prefer DLL import libraries (.dll.a, such as
# Debian's /usr/x86_64-w64-mingw32/lib/libz.dll.a) over static ones: vakt.exe links statically.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
