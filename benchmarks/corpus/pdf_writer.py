"""A minimal, valid PDF writer with real text objects (Python stdlib only).

pdf(doc) lays the document's lines out on A4 pages in Helvetica (WinAnsiEncoding, so å ä ö § –
are real glyph codes), one Flate-compressed content stream per page with BT/Tj/T* text operators,
and writes a correct xref table. Lines are wrapped at spaces only, so an identity number is never
split across lines and pdftotext/poppler return it whole.
"""

import textwrap
import zlib

LINES_PER_PAGE = 64
CHARS_PER_LINE = 100


def _pdf_string(s):
    raw = s.replace("\t", "    ").encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(lines):
    for line in lines:
        if not line:
            yield ""
            continue
        yield from textwrap.wrap(line, CHARS_PER_LINE, break_long_words=False, break_on_hyphens=False)


def pdf(doc):
    lines = list(_wrap(doc.lines()))
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    # Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs.
    objects = {}
    kids = []
    for n, chunk in enumerate(pages):
        page_no, content_no = 5 + 2 * n, 6 + 2 * n
        kids.append(f"{page_no} 0 R")
        ops = [b"BT /F1 9 Tf 12 TL 40 800 Td"]
        for line in chunk:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        stream = zlib.compress(b"\n".join(ops), 6)
        objects[content_no] = (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                               + stream + b"\nendstream")
        objects[page_no] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>").encode()
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    objects[3] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  b"/Encoding /WinAnsiEncoding >>")
    objects[4] = b"<< /Title " + _pdf_string(doc.title) + b" /Producer (vakt benchmark corpus) >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for num in range(1, count):
        out += b"%010d 00000 n \n" % offsets[num]
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (count, xref))
    return bytes(out)
