// Security descriptors for the agent's private places, built from SDDL: only SYSTEM and
// BUILTIN\Administrators, protected from inheriting the parent's ACEs. Folders pass their ACEs
// on to what is created inside (OICI); a single stored file gets the same two ACEs directly.
#pragma once

#include "platform/windows/win_util.h"

namespace vakt::agent::win {

inline constexpr wchar_t kPrivateFolderSddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
inline constexpr wchar_t kPrivateFileSddl[] = L"D:P(A;;FA;;;SY)(A;;FA;;;BA)";

// An owned self-relative security descriptor (LocalFree on destruction).
class SecurityDescriptor {
 public:
  explicit SecurityDescriptor(const wchar_t* sddl);
  ~SecurityDescriptor();
  SecurityDescriptor(const SecurityDescriptor&) = delete;
  SecurityDescriptor& operator=(const SecurityDescriptor&) = delete;
  explicit operator bool() const { return sd_ != nullptr; }
  PSECURITY_DESCRIPTOR get() const { return sd_; }
  PACL dacl() const;  // nullptr if none
  DWORD error() const { return error_; }

 private:
  PSECURITY_DESCRIPTOR sd_ = nullptr;
  DWORD error_ = 0;
};

// The well-known SID of BUILTIN\Administrators (static storage).
PSID administrators_sid();

}  // namespace vakt::agent::win
