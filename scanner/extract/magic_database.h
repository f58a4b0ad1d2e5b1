// Which compiled libmagic database type detection (type_detect.cpp) loads.
//
// Linux (magic_database_posix.cpp): the system's, through libmagic's own default search — as
// before. Windows (magic_database_win.cpp): there is no system database, so it is the file named by
// the VAKT_MAGIC_FILE environment variable or else magic.mgc beside the running executable, read
// once into memory with the wide file API (libmagic's narrow-path loader never sees a Windows
// path) and shared by every thread's handle.
//
//   if (auto s = magic_database_status(); !s) return s.error();  // Engine::load: clear error
//   load_magic_database(cookie);                                  // each thread's magic_t
#pragma once

#include <magic.h>

#include "vakt/scanner/expected.h"

namespace vakt::extract {

// Loads the database into `cookie`; false when it cannot be loaded.
bool load_magic_database(magic_t cookie);

// Ok, or why the database is unusable, e.g. "libmagic database not found: C:\Program
// Files\Vakt\magic.mgc (put magic.mgc beside vakt.exe or set VAKT_MAGIC_FILE)". Linux: always Ok
// (a missing system database only makes libmagic's names "", as it always has).
Status magic_database_status();

}  // namespace vakt::extract
