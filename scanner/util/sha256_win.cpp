// SHA-256 and HMAC-SHA256 over Windows CNG (bcrypt.dll), so the Windows build needs no OpenSSL.
// The algorithm providers are opened once per process and shared (CNG algorithm handles are
// thread-safe); each Sha256 owns one hash object. CNG failing to hash with SHA-256 means a broken
// OS install: it throws std::runtime_error (scan entry points turn that into an error result)
// rather than return a digest that could wrongly compare equal.
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>

#include <cstdio>
#include <stdexcept>

#include "util/sha256.h"

namespace vakt {
namespace {

bool succeeded(NTSTATUS status) {
  return status >= 0;
}

[[noreturn]] void fail(const char* what, NTSTATUS status) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08lx", static_cast<unsigned long>(status));
  throw std::runtime_error(std::string("CNG ") + what + " failed: " + code);
}

// One provider per flavour (plain hash, HMAC), opened on first use.
BCRYPT_ALG_HANDLE provider(bool hmac) {
  static const auto open = [](ULONG flags) {
    BCRYPT_ALG_HANDLE h = nullptr;
    const NTSTATUS s = BCryptOpenAlgorithmProvider(&h, BCRYPT_SHA256_ALGORITHM, nullptr, flags);
    return succeeded(s) ? h : nullptr;
  };
  static const BCRYPT_ALG_HANDLE plain = open(0);
  static const BCRYPT_ALG_HANDLE keyed = open(BCRYPT_ALG_HANDLE_HMAC_FLAG);
  BCRYPT_ALG_HANDLE h = hmac ? keyed : plain;
  if (h == nullptr) fail("BCryptOpenAlgorithmProvider(SHA256)", static_cast<NTSTATUS>(0xC0000001L));
  return h;
}

BCRYPT_HASH_HANDLE create_hash(bool hmac, std::string_view key) {
  BCRYPT_HASH_HANDLE hash = nullptr;
  // No hash-object buffer: CNG allocates it (Windows 7 and later).
  auto* key_bytes = reinterpret_cast<PUCHAR>(const_cast<char*>(key.data()));
  const NTSTATUS s = BCryptCreateHash(provider(hmac), &hash, nullptr, 0, hmac ? key_bytes : nullptr,
                                      hmac ? static_cast<ULONG>(key.size()) : 0, 0);
  if (!succeeded(s)) fail("BCryptCreateHash", s);
  return hash;
}

void hash_data(BCRYPT_HASH_HANDLE hash, std::string_view bytes) {
  // BCryptHashData takes a ULONG length: feed views over 4 GiB in pieces.
  constexpr std::size_t kPiece = 1u << 30;
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kPiece);
    auto* p = reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data()));
    const NTSTATUS s = BCryptHashData(hash, p, static_cast<ULONG>(n), 0);
    if (!succeeded(s)) fail("BCryptHashData", s);
    bytes.remove_prefix(n);
  }
}

std::array<std::uint8_t, 32> finish(BCRYPT_HASH_HANDLE hash) {
  std::array<std::uint8_t, 32> out{};
  const NTSTATUS s = BCryptFinishHash(hash, out.data(), static_cast<ULONG>(out.size()), 0);
  if (!succeeded(s)) fail("BCryptFinishHash", s);
  return out;
}

}  // namespace

struct Sha256::Ctx {
  BCRYPT_HASH_HANDLE hash = nullptr;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->hash = create_hash(false, {});
}

Sha256::~Sha256() {
  if (ctx_->hash != nullptr) BCryptDestroyHash(ctx_->hash);
}

void Sha256::update(std::string_view bytes) {
  hash_data(ctx_->hash, bytes);
}

std::array<std::uint8_t, 32> Sha256::digest() {
  return finish(ctx_->hash);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  BCRYPT_HASH_HANDLE hash = create_hash(true, key);
  struct Destroy {
    BCRYPT_HASH_HANDLE h;
    ~Destroy() { BCryptDestroyHash(h); }
  } destroy{hash};
  hash_data(hash, message);
  const auto mac = finish(hash);
  return to_hex(mac.data(), mac.size());
}

}  // namespace vakt
