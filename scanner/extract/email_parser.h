// E-mail (RFC 822/MIME) and mbox → text, written against DocOutput (in-process: our own bounded
// parser, no third-party code, so it is not isolated).
//
//   parse_eml(bytes, "mail.eml", out);   // parts "headers", "body"; attachments as children
//   parse_mbox(bytes, "inbox.mbox", out); // parts "message 1/headers", "message 1/body", …
//
// Headers Subject/From/To/Cc/Bcc/Reply-To are unfolded and RFC 2047 decoded. Multipart bodies are
// split on their boundaries (nested), bodies decoded (base64, quoted-printable, 7bit/8bit/binary)
// and converted to UTF-8 from their charset; HTML bodies are stripped to text; of a
// multipart/alternative only the plain text (else the HTML) is read. Attachments (file name from
// Content-Disposition or the type's name parameter, RFC 2231/2047 decoded) become children;
// message/rfc822 parts are read in place. PGP and S/MIME encrypted content makes the result
// partial with reason "encrypted content: PGP" / "encrypted content: S/MIME".
#pragma once

#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract {

void parse_eml(std::string_view bytes, std::string_view name, DocOutput& out);
void parse_mbox(std::string_view bytes, std::string_view name, DocOutput& out);

}  // namespace vakt::extract
