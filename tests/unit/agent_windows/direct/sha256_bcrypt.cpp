// runtime/sha256.h over Windows CNG (BCrypt), for building this test folder directly with
// mingw-w64 (build.sh) before the cross-built OpenSSL that vakt_agent links is available. Not
// part of the CMake build, which compiles the real runtime/sha256.cpp.
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>

#include <cstdio>

#include "runtime/sha256.h"

namespace vakt::agent {

struct Sha256::State {
  BCRYPT_ALG_HANDLE alg = nullptr;
  BCRYPT_HASH_HANDLE hash = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  BCryptOpenAlgorithmProvider(&state_->alg, BCRYPT_SHA256_ALGORITHM, nullptr, 0);
  BCryptCreateHash(state_->alg, &state_->hash, nullptr, 0, nullptr, 0, 0);
}

Sha256::~Sha256() {
  if (state_->hash != nullptr) BCryptDestroyHash(state_->hash);
  if (state_->alg != nullptr) BCryptCloseAlgorithmProvider(state_->alg, 0);
}

void Sha256::update(std::string_view bytes) {
  // BCryptHashData takes a non-const pointer but does not write through it.
  BCryptHashData(state_->hash, reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data())),
                 static_cast<ULONG>(bytes.size()), 0);
}

std::string Sha256::hex_digest() {
  unsigned char digest[32] = {};
  BCryptFinishHash(state_->hash, digest, sizeof(digest), 0);
  std::string hex;
  char two[3];
  for (unsigned char b : digest) {
    std::snprintf(two, sizeof(two), "%02x", b);
    hex += two;
  }
  return hex;
}

}  // namespace vakt::agent
