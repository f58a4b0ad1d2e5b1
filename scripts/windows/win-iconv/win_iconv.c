/* win_iconv.c - POSIX iconv over the Win32 code-page API; see iconv.h for what it covers.
 *
 * Every conversion decodes one character of the source encoding to a Unicode code point and
 * encodes it in the target encoding. Input and output pointers move only past whole characters
 * that were written, so a caller can resume after E2BIG or EINVAL exactly as with glibc.
 */
#include "iconv.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

enum kind { K_UTF8, K_UTF16LE, K_UTF16BE, K_UTF16, K_UTF32LE, K_UTF32BE, K_UTF32, K_CODEPAGE };

struct side {
  enum kind kind;
  UINT codepage;   /* K_CODEPAGE only */
  int max_char;    /* K_CODEPAGE: longest character in bytes */
  int big_endian;  /* K_UTF16 / K_UTF32 input: byte order found so far (BOM, default BE) */
  int bom_done;    /* K_UTF16 / K_UTF32: BOM read (input) or written (output) */
};

struct conv {
  struct side from;
  struct side to;
  int ignore; /* "//IGNORE": skip what cannot be decoded or represented */
};

#define NO_CHAR 0xFFFFFFFFu /* a decode step that consumed a BOM and yields no character */

/* --- encoding names ------------------------------------------------------------------------ */

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int all_digits(const char *s) {
  if (*s == '\0') return 0;
  for (; *s; ++s)
    if (!isdigit((unsigned char)*s)) return 0;
  return 1;
}

static int parse_name(const char *name, struct side *side, int *ignore) {
  char buf[64];
  size_t n = 0;
  const char *p;
  UINT cp = 0;
  CPINFO info;

  memset(side, 0, sizeof *side);
  for (p = name; *p && n + 1 < sizeof buf; ++p) buf[n++] = (char)toupper((unsigned char)*p);
  buf[n] = '\0';
  if (*p) return -1;
  {
    char *suffix = strstr(buf, "//");
    if (suffix) {
      if (strstr(suffix, "IGNORE")) *ignore = 1;
      *suffix = '\0';
    }
  }

  if (!strcmp(buf, "UTF-8") || !strcmp(buf, "UTF8")) side->kind = K_UTF8;
  else if (!strcmp(buf, "UTF-16LE") || !strcmp(buf, "UTF16LE") || !strcmp(buf, "UCS-2LE"))
    side->kind = K_UTF16LE;
  else if (!strcmp(buf, "UTF-16BE") || !strcmp(buf, "UTF16BE") || !strcmp(buf, "UCS-2BE"))
    side->kind = K_UTF16BE;
  else if (!strcmp(buf, "UTF-16") || !strcmp(buf, "UTF16") || !strcmp(buf, "UCS-2"))
    side->kind = K_UTF16;
  else if (!strcmp(buf, "UTF-32LE") || !strcmp(buf, "UTF32LE") || !strcmp(buf, "UCS-4LE"))
    side->kind = K_UTF32LE;
  else if (!strcmp(buf, "UTF-32BE") || !strcmp(buf, "UTF32BE") || !strcmp(buf, "UCS-4BE"))
    side->kind = K_UTF32BE;
  else if (!strcmp(buf, "UTF-32") || !strcmp(buf, "UTF32") || !strcmp(buf, "UCS-4"))
    side->kind = K_UTF32;
  else {
    side->kind = K_CODEPAGE;
    if (!strcmp(buf, "ASCII") || !strcmp(buf, "US-ASCII") || !strcmp(buf, "ANSI_X3.4-1968"))
      cp = 20127;
    else if (!strcmp(buf, "LATIN1") || !strcmp(buf, "L1")) cp = 28591;
    else if (starts_with(buf, "ISO-8859-") && all_digits(buf + 9)) cp = 28590 + atoi(buf + 9);
    else if (starts_with(buf, "ISO8859-") && all_digits(buf + 8)) cp = 28590 + atoi(buf + 8);
    else if (starts_with(buf, "WINDOWS-") && all_digits(buf + 8)) cp = (UINT)atoi(buf + 8);
    else if (starts_with(buf, "CP-") && all_digits(buf + 3)) cp = (UINT)atoi(buf + 3);
    else if (starts_with(buf, "CP") && all_digits(buf + 2)) cp = (UINT)atoi(buf + 2);
    else if (starts_with(buf, "IBM") && all_digits(buf + 3)) cp = (UINT)atoi(buf + 3);
    else if (!strcmp(buf, "SHIFT_JIS") || !strcmp(buf, "SJIS")) cp = 932;
    else if (!strcmp(buf, "GBK") || !strcmp(buf, "GB2312")) cp = 936;
    else if (!strcmp(buf, "GB18030")) cp = 54936;
    else if (!strcmp(buf, "BIG5") || !strcmp(buf, "BIG-5")) cp = 950;
    else if (!strcmp(buf, "EUC-KR")) cp = 51949;
    else if (!strcmp(buf, "EUC-JP")) cp = 20932;
    else if (!strcmp(buf, "KOI8-R")) cp = 20866;
    else if (!strcmp(buf, "KOI8-U")) cp = 21866;
    else if (!strcmp(buf, "MACINTOSH") || !strcmp(buf, "MAC")) cp = 10000;
    else return -1;
    if (cp == CP_UTF8) {
      side->kind = K_UTF8;
      return 0;
    }
    if (cp == 1200 || cp == 1201) {
      side->kind = cp == 1200 ? K_UTF16LE : K_UTF16BE;
      return 0;
    }
    if (!IsValidCodePage(cp) || !GetCPInfo(cp, &info)) return -1;
    side->codepage = cp;
    side->max_char = (int)info.MaxCharSize;
  }
  return 0;
}

iconv_t iconv_open(const char *tocode, const char *fromcode) {
  struct conv *cd;
  int ignore = 0;
  if (!tocode || !fromcode) {
    errno = EINVAL;
    return (iconv_t)-1;
  }
  cd = (struct conv *)calloc(1, sizeof *cd);
  if (!cd) {
    errno = ENOMEM;
    return (iconv_t)-1;
  }
  if (parse_name(fromcode, &cd->from, &ignore) != 0 || parse_name(tocode, &cd->to, &ignore) != 0) {
    free(cd);
    errno = EINVAL;
    return (iconv_t)-1;
  }
  cd->ignore = ignore;
  cd->from.big_endian = 1;
  return (iconv_t)cd;
}

int iconv_close(iconv_t cd) {
  if (cd == (iconv_t)-1 || cd == NULL) {
    errno = EBADF;
    return -1;
  }
  free(cd);
  return 0;
}

/* --- decoding: one character -> code point ------------------------------------------------- */

static uint32_t load16(const unsigned char *p, int be) {
  return be ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
}

static uint32_t load32(const unsigned char *p, int be) {
  return be ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
            : ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]);
}

/* Returns 0 and sets *cp and *used, or an errno value (EINVAL: incomplete, EILSEQ: invalid). */
static int decode_utf8(const unsigned char *s, size_t n, uint32_t *cp, size_t *used) {
  uint32_t c = s[0], min;
  size_t len, i;
  if (c < 0x80) {
    *cp = c;
    *used = 1;
    return 0;
  }
  if (c >= 0xC2 && c <= 0xDF) len = 2, c &= 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, c &= 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, c &= 0x07, min = 0x10000;
  else return EILSEQ;
  for (i = 1; i < len; ++i) {
    if (i >= n) return EINVAL;
    if ((s[i] & 0xC0) != 0x80) return EILSEQ;
    c = c << 6 | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return EILSEQ;
  *cp = c;
  *used = len;
  return 0;
}

static int decode_utf16(const unsigned char *s, size_t n, int be, uint32_t *cp, size_t *used) {
  uint32_t hi, lo;
  if (n < 2) return EINVAL;
  hi = load16(s, be);
  if (hi >= 0xDC00 && hi <= 0xDFFF) return EILSEQ;
  if (hi < 0xD800 || hi > 0xDBFF) {
    *cp = hi;
    *used = 2;
    return 0;
  }
  if (n < 4) return EINVAL;
  lo = load16(s + 2, be);
  if (lo < 0xDC00 || lo > 0xDFFF) return EILSEQ;
  *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  *used = 4;
  return 0;
}

static int decode_codepage(const struct side *side, const unsigned char *s, size_t n, uint32_t *cp,
                           size_t *used) {
  WCHAR w[4];
  size_t len;
  int got;
  for (len = 1; len <= (size_t)side->max_char && len <= 4; ++len) {
    if (len > n) return EINVAL;
    if (side->max_char == 2 && len == 1 && IsDBCSLeadByteEx(side->codepage, s[0])) continue;
    got = MultiByteToWideChar(side->codepage, MB_ERR_INVALID_CHARS, (LPCCH)s, (int)len, w, 4);
    if (got == 0 && GetLastError() == ERROR_INVALID_FLAGS)
      got = MultiByteToWideChar(side->codepage, 0, (LPCCH)s, (int)len, w, 4);
    if (got == 1 && !(w[0] >= 0xD800 && w[0] <= 0xDFFF)) {
      *cp = w[0];
      *used = len;
      return 0;
    }
    if (got == 2 && w[0] >= 0xD800 && w[0] <= 0xDBFF && w[1] >= 0xDC00 && w[1] <= 0xDFFF) {
      *cp = 0x10000 + (((uint32_t)w[0] - 0xD800) << 10) + ((uint32_t)w[1] - 0xDC00);
      *used = len;
      return 0;
    }
  }
  return EILSEQ;
}

static int decode(struct side *side, const unsigned char *s, size_t n, uint32_t *cp, size_t *used) {
  switch (side->kind) {
    case K_UTF8: return decode_utf8(s, n, cp, used);
    case K_UTF16LE: return decode_utf16(s, n, 0, cp, used);
    case K_UTF16BE: return decode_utf16(s, n, 1, cp, used);
    case K_UTF16:
      if (!side->bom_done && n >= 2) {
        side->bom_done = 1;
        if ((s[0] == 0xFE && s[1] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE)) {
          side->big_endian = s[0] == 0xFE;
          *cp = NO_CHAR;
          *used = 2;
          return 0;
        }
      }
      return decode_utf16(s, n, side->big_endian, cp, used);
    case K_UTF32LE:
    case K_UTF32BE:
    case K_UTF32: {
      uint32_t c;
      if (n < 4) return EINVAL;
      if (side->kind == K_UTF32 && !side->bom_done) {
        side->bom_done = 1;
        if (load32(s, 1) == 0xFEFF || load32(s, 0) == 0xFEFF) {
          side->big_endian = load32(s, 1) == 0xFEFF;
          *cp = NO_CHAR;
          *used = 4;
          return 0;
        }
      }
      c = load32(s, side->kind == K_UTF32BE || (side->kind == K_UTF32 && side->big_endian));
      if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return EILSEQ;
      *cp = c;
      *used = 4;
      return 0;
    }
    case K_CODEPAGE: return decode_codepage(side, s, n, cp, used);
  }
  return EILSEQ;
}

/* --- encoding: code point -> bytes --------------------------------------------------------- */

static size_t put16(unsigned char *o, uint32_t u, int be) {
  o[be ? 0 : 1] = (unsigned char)(u >> 8);
  o[be ? 1 : 0] = (unsigned char)u;
  return 2;
}

static size_t put32(unsigned char *o, uint32_t u, int be) {
  int i;
  for (i = 0; i < 4; ++i) o[be ? i : 3 - i] = (unsigned char)(u >> (24 - 8 * i));
  return 4;
}

static size_t put_utf16(unsigned char *o, uint32_t cp, int be) {
  if (cp < 0x10000) return put16(o, cp, be);
  cp -= 0x10000;
  put16(o, 0xD800 + (cp >> 10), be);
  return 2 + put16(o + 2, 0xDC00 + (cp & 0x3FF), be);
}

/* Writes cp to o (room for 16 bytes); returns the length, or 0 if the target cannot hold it. */
static size_t encode(struct side *side, uint32_t cp, unsigned char *o) {
  size_t n = 0;
  switch (side->kind) {
    case K_UTF8:
      if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
      }
      if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
      }
      if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
      }
      o[0] = (unsigned char)(0xF0 | cp >> 18);
      o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
      o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      o[3] = (unsigned char)(0x80 | (cp & 0x3F));
      return 4;
    case K_UTF16LE: return put_utf16(o, cp, 0);
    case K_UTF16BE: return put_utf16(o, cp, 1);
    case K_UTF16: /* like glibc: a byte order mark first, then little-endian */
      if (!side->bom_done) n = put16(o, 0xFEFF, 0);
      return n + put_utf16(o + n, cp, 0);
    case K_UTF32LE: return put32(o, cp, 0);
    case K_UTF32BE: return put32(o, cp, 1);
    case K_UTF32:
      if (!side->bom_done) n = put32(o, 0xFEFF, 0);
      return n + put32(o + n, cp, 0);
    case K_CODEPAGE: {
      WCHAR w[2];
      int wn = 1, got;
      BOOL used_default = FALSE;
      if (cp < 0x10000) {
        w[0] = (WCHAR)cp;
      } else {
        w[0] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
        w[1] = (WCHAR)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        wn = 2;
      }
      got = WideCharToMultiByte(side->codepage, WC_NO_BEST_FIT_CHARS, w, wn, (LPSTR)o, 16, NULL,
                                &used_default);
      if (got == 0 && GetLastError() == ERROR_INVALID_FLAGS) {
        used_default = FALSE;
        got = WideCharToMultiByte(side->codepage, 0, w, wn, (LPSTR)o, 16, NULL,
                                  side->codepage >= 50220 ? NULL : &used_default);
      }
      if (got <= 0 || used_default) return 0;
      return (size_t)got;
    }
  }
  return 0;
}

static void mark_bom_written(struct side *side) {
  if (side->kind == K_UTF16 || side->kind == K_UTF32) side->bom_done = 1;
}

size_t iconv(iconv_t handle, char **inbuf, size_t *inbytesleft, char **outbuf,
             size_t *outbytesleft) {
  struct conv *cd = (struct conv *)handle;
  size_t irreversible = 0;
  if (cd == NULL || cd == (struct conv *)-1) {
    errno = EBADF;
    return (size_t)-1;
  }
  if (inbuf == NULL || *inbuf == NULL) {
    /* Back to the initial state; no encoding here keeps shift state to flush. */
    cd->from.bom_done = 0;
    cd->from.big_endian = 1;
    cd->to.bom_done = 0;
    return 0;
  }
  while (*inbytesleft > 0) {
    const unsigned char *s = (const unsigned char *)*inbuf;
    unsigned char tmp[16];
    uint32_t cp = 0;
    size_t used = 0, len;
    int err = decode(&cd->from, s, *inbytesleft, &cp, &used);
    if (err == EILSEQ && cd->ignore) {
      *inbuf += 1;
      *inbytesleft -= 1;
      ++irreversible;
      continue;
    }
    if (err != 0) {
      errno = err;
      return (size_t)-1;
    }
    if (cp == NO_CHAR) {
      *inbuf += used;
      *inbytesleft -= used;
      continue;
    }
    len = encode(&cd->to, cp, tmp);
    if (len == 0) {
      if (!cd->ignore) {
        errno = EILSEQ;
        return (size_t)-1;
      }
      ++irreversible;
    } else {
      if (outbuf == NULL || *outbuf == NULL || len > *outbytesleft) {
        errno = E2BIG;
        return (size_t)-1;
      }
      memcpy(*outbuf, tmp, len);
      *outbuf += len;
      *outbytesleft -= len;
      mark_bom_written(&cd->to);
    }
    *inbuf += used;
    *inbytesleft -= used;
  }
  return irreversible;
}
