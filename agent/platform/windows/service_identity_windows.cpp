#include "platform/windows/service_identity_windows.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <cstring>
#include <vector>

namespace vakt::agent {
namespace {

class TokenHandle {
 public:
  TokenHandle() { ::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &handle_); }
  ~TokenHandle() {
    if (handle_ != nullptr) ::CloseHandle(handle_);
  }
  TokenHandle(const TokenHandle&) = delete;
  TokenHandle& operator=(const TokenHandle&) = delete;
  HANDLE get() const { return handle_; }

 private:
  HANDLE handle_ = nullptr;
};

}  // namespace

bool running_as_local_system() {
  TokenHandle token;
  if (token.get() == nullptr) return false;
  DWORD bytes = 0;
  ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &bytes);
  if (bytes == 0) return false;
  std::vector<unsigned char> buffer(bytes);
  if (!::GetTokenInformation(token.get(), TokenUser, buffer.data(), bytes, &bytes)) return false;
  TOKEN_USER user;
  std::memcpy(&user, buffer.data(), sizeof user);
  return ::IsWellKnownSid(user.User.Sid, WinLocalSystemSid) != FALSE;
}

bool running_elevated() {
  TokenHandle token;
  if (token.get() == nullptr) return false;
  TOKEN_ELEVATION elevation{};
  DWORD bytes = 0;
  if (!::GetTokenInformation(token.get(), TokenElevation, &elevation, sizeof elevation, &bytes))
    return false;
  return elevation.TokenIsElevated != 0;
}

}  // namespace vakt::agent
