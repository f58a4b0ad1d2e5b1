#include "platform/windows/security.h"

#include <sddl.h>

namespace vakt::agent::win {

SecurityDescriptor::SecurityDescriptor(const wchar_t* sddl) {
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd_, nullptr)) {
    error_ = GetLastError();
    sd_ = nullptr;
  }
}

SecurityDescriptor::~SecurityDescriptor() {
  if (sd_ != nullptr) LocalFree(sd_);
}

PACL SecurityDescriptor::dacl() const {
  if (sd_ == nullptr) return nullptr;
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL acl = nullptr;
  if (!GetSecurityDescriptorDacl(sd_, &present, &acl, &defaulted) || !present) return nullptr;
  return acl;
}

PSID administrators_sid() {
  static struct Sid {
    Sid() {
      DWORD size = sizeof(storage);
      ok = CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, storage, &size) != FALSE;
    }
    alignas(8) unsigned char storage[SECURITY_MAX_SID_SIZE] = {};
    bool ok = false;
  } sid;
  return sid.ok ? static_cast<PSID>(sid.storage) : nullptr;
}

}  // namespace vakt::agent::win
