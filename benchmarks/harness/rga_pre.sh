#!/usr/bin/env bash
# ripgrep-all-style preprocessor for `rg --pre`: turns one file into text on stdout with the usual
# command-line extractors (poppler's pdftotext, unzip + sed tag stripping, Python's email module),
# recursing into zip members and mail attachments. It is the peer Vakt's end-to-end scan is
# measured against; it does no validation and no classification.
set -u
f="$1"
case "${f,,}" in
  *.pdf) pdftotext -q "$f" - ;;
  *.docx|*.xlsx|*.pptx|*.odt|*.ods|*.odp) unzip -p "$f" 2>/dev/null | sed -e 's/<[^>]*>/ /g' ;;
  *.zip)
    d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
    unzip -qq -o "$f" -d "$d" 2>/dev/null
    find "$d" -type f -print0 | while IFS= read -r -d '' m; do "$0" "$m"; done ;;
  *.eml)
    d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
    python3 - "$f" "$d" <<'PY'
import email, email.policy, os, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(msg.get("subject", ""))
for i, part in enumerate(msg.walk()):
    if part.is_multipart():
        continue
    name = part.get_filename()
    if name:
        with open(os.path.join(sys.argv[2], f"{i}_{os.path.basename(name)}"), "wb") as out:
            out.write(part.get_payload(decode=True) or b"")
    elif part.get_content_maintype() == "text":
        sys.stdout.write(part.get_content())
PY
    find "$d" -type f -print0 | while IFS= read -r -d '' m; do "$0" "$m"; done ;;
  *) cat "$f" ;;
esac
exit 0
