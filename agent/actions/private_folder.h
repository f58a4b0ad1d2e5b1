// Private folders: where the agent keeps what users must not read (the quarantine). A platform
// seam: Linux makes the folder mode 0700; Windows gives it a protected DACL that grants only
// SYSTEM and BUILTIN\Administrators (inherited by everything created inside).
//
//   if (auto st = make_private_folder(dir); !st) return st;   // creates missing parents too
//   auto dir = default_quarantine_dir();   // /var/lib/vakt/quarantine,
//   %ProgramData%\Vakt\quarantine
#pragma once

#include <filesystem>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

Status make_private_folder(const std::filesystem::path& dir);

// The platform's conventional quarantine folder (not created here).
Expected<std::filesystem::path> default_quarantine_dir();

}  // namespace vakt::agent
