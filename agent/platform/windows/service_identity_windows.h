// Who this process runs as: LocalSystem (the service) or an elevated administrator. Used to pick
// machine-wide defaults (%ProgramData%\Vakt, every user's OneDrive) over per-user ones.
//
//   if (running_as_local_system() || running_elevated()) read every loaded user hive;
#pragma once

namespace vakt::agent {

bool running_as_local_system();
bool running_elevated();

}  // namespace vakt::agent
