/* iconv.h - a small POSIX iconv for Windows (mingw-w64), built by scripts/windows/build-deps.
 *
 * Vakt's Windows build needs iconv only where poppler-cpp converts page text between UTF-8 and
 * UTF-16. This library gives the POSIX interface over the Win32 code-page API: UTF-8, UTF-16
 * (LE/BE, with BOM handling) and UTF-32 are converted in C; every other encoding name that
 * Windows knows (CP1252, WINDOWS-1252, ISO-8859-1, LATIN1, ASCII, CP437, CP850, ... or any
 * "CPnnnn") goes through MultiByteToWideChar/WideCharToMultiByte, one character at a time so the
 * POSIX error semantics hold: E2BIG (output full), EINVAL (input ends inside a character),
 * EILSEQ (invalid input, or a character the target cannot represent; "//IGNORE" skips those).
 */
#ifndef VAKT_WIN_ICONV_H
#define VAKT_WIN_ICONV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *iconv_t;

iconv_t iconv_open(const char *tocode, const char *fromcode);
size_t iconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf, size_t *outbytesleft);
int iconv_close(iconv_t cd);

#ifdef __cplusplus
}
#endif

#endif /* VAKT_WIN_ICONV_H */
