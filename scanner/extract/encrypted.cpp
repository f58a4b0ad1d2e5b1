// Encrypted messages (OpenPGP, PKCS#7/CMS enveloped data): there is no text to read without the
// recipient's key, so the document is unscannable with a reason naming the scheme. Detection is
// in type_detect.cpp (names "pgp-encrypted" and "smime-encrypted").
#include "extract/formats.h"

namespace vakt::extract {

void extract_encrypted(const Input& /*input*/, Context& ctx) {
  const std::string& type = ctx.current_type();
  ctx.mark_unscannable(type == "smime-encrypted" ? "encrypted (S/MIME)" : "encrypted (PGP)");
}

}  // namespace vakt::extract
