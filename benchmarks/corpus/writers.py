"""Format writers for the benchmark corpus: Document -> file bytes, Python stdlib only.

Each writer is deterministic (fixed zip timestamps, MIME boundaries, PDF ids) so a seed always gives
the same bytes. write(fmt, doc) dispatches; FORMATS lists what exists. Containers (eml with an
attachment, zip) take child documents and their truth adds up in the manifest.
"""

import base64
import io
import email.quoprimime
import zipfile
import zlib
from xml.sax.saxutils import escape

import pdf_writer

FORMATS = ("txt-utf8", "txt-utf16le", "txt-cp1252", "docx", "xlsx", "pptx", "odt", "pdf", "rtf",
           "eml", "zip")
EXTENSION = {"txt-utf8": "txt", "txt-utf16le": "txt", "txt-cp1252": "txt", "docx": "docx",
             "xlsx": "xlsx", "pptx": "pptx", "odt": "odt", "pdf": "pdf", "rtf": "rtf",
             "eml": "eml", "zip": "zip"}
_ZIP_TIME = (2026, 3, 2, 9, 30, 0)


def _zip(members, stored_first=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if stored_first:
            info = zipfile.ZipInfo(stored_first[0], _ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, stored_first[1])
        for name, data in members:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _x(s):
    return escape(s)


# --- plain text ------------------------------------------------------------------------------
def text_utf8(doc):
    return ("\n".join(doc.lines()) + "\n").encode("utf-8")


def text_utf16le(doc):
    return b"\xff\xfe" + ("\r\n".join(doc.lines()) + "\r\n").encode("utf-16-le")


def text_cp1252(doc):
    return ("\r\n".join(doc.lines()) + "\r\n").encode("cp1252", errors="replace")


# --- Office Open XML -------------------------------------------------------------------------
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="{target}"/></Relationships>')


def _runs(text):
    # Word splits a paragraph into runs (formatting, spell-check); split at spaces, as Word mostly does.
    words = text.split(" ")
    out, cur = [], []
    for i, w in enumerate(words):
        cur.append(w)
        if len(cur) >= 7 or i == len(words) - 1:
            out.append(" ".join(cur) + ("" if i == len(words) - 1 else " "))
            cur = []
    return "".join(f'<w:r><w:t xml:space="preserve">{_x(r)}</w:t></w:r>' for r in out)


def docx(doc):
    body = []
    table = []
    def flush_table():
        if table:
            rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_runs(c)}</w:p></w:tc>" for c in row)
                           + "</w:tr>" for row in table)
            body.append(f"<w:tbl>{rows}</w:tbl>")
            table.clear()
    for b in doc.blocks:
        if isinstance(b, list):
            table.append(b)
            continue
        flush_table()
        body.append(f"<w:p>{_runs(b)}</w:p>")
    flush_table()
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>' + "".join(body)
                + "<w:sectPr/></w:body></w:document>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.wordprocessingml.document.main+xml"/></Types>')
    return _zip([("[Content_Types].xml", types),
                 ("_rels/.rels", _PKG_RELS.format(target="word/document.xml")),
                 ("word/document.xml", document)])


def _col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(doc):
    strings, rows = [], []
    for r, b in enumerate(doc.blocks, start=1):
        cells = b if isinstance(b, list) else [b]
        xml_cells = []
        for c, value in enumerate(cells):
            # One shared string per cell (no de-duplication, which the format allows), so every
            # occurrence of a value is in the text once, whichever way an extractor reads it.
            xml_cells.append(f'<c r="{_col(c)}{r}" t="s"><v>{len(strings)}</v></c>')
            strings.append(value)
        rows.append(f'<row r="{r}">' + "".join(xml_cells) + "</row>")
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{ns}">'
             "<sheetData>" + "".join(rows) + "</sheetData></worksheet>")
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{ns}" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f'<si><t xml:space="preserve">{_x(s)}</t></si>' for s in strings) + "</sst>")
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{ns}" '
                f'xmlns:r="{_R}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>'
             '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return _zip([("[Content_Types].xml", types),
                 ("_rels/.rels", _PKG_RELS.format(target="xl/workbook.xml")),
                 ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wb_rels),
                 ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst)])


def pptx(doc):
    lines = list(doc.lines())
    per_slide = 12
    slides = [lines[i:i + per_slide] for i in range(0, len(lines), per_slide)] or [[]]
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    members = []
    for n, chunk in enumerate(slides, start=1):
        paras = "".join(f'<a:p><a:r><a:t>{_x(t)}</a:t></a:r></a:p>' for t in chunk)
        members.append((f"ppt/slides/slide{n}.xml",
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<p:sld xmlns:a="{a}" xmlns:r="{_R}" xmlns:p="{p}"><p:cSld><p:spTree>'
                        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
                        '<p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr/><p:nvPr/>'
                        f'</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>{paras}</p:txBody></p:sp>'
                        '</p:spTree></p:cSld></p:sld>'))
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in range(1, len(slides) + 1))
    pres = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation '
            f'xmlns:a="{a}" xmlns:r="{_R}" xmlns:p="{p}"><p:sldIdLst>{ids}</p:sldIdLst>'
            '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                      f'officeDocument/2006/relationships/slide" Target="slides/slide{n}.xml"/>'
                      for n in range(1, len(slides) + 1)) + "</Relationships>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.presentationml.presentation.main+xml"/>'
             + "".join(f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="application/'
                       'vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
                       for n in range(1, len(slides) + 1)) + "</Types>")
    return _zip([("[Content_Types].xml", types),
                 ("_rels/.rels", _PKG_RELS.format(target="ppt/presentation.xml")),
                 ("ppt/presentation.xml", pres), ("ppt/_rels/presentation.xml.rels", rels)]
                + members)


# --- OpenDocument ----------------------------------------------------------------------------
def odt(doc):
    paras = []
    for b in doc.blocks:
        if isinstance(b, list):
            paras.append("<text:p>" + "<text:tab/>".join(_x(c) for c in b) + "</text:p>")
        else:
            paras.append(f"<text:p>{_x(b)}</text:p>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               "<office:body><office:text>" + "".join(paras)
               + "</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                'vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    return _zip([("META-INF/manifest.xml", manifest), ("content.xml", content)],
                stored_first=("mimetype", "application/vnd.oasis.opendocument.text"))


# --- RTF -------------------------------------------------------------------------------------
def _rtf_escape(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\tab ")
        elif o < 128:
            out.append(ch)
        else:
            try:
                out.append("\\'%02x" % ch.encode("cp1252")[0])
            except UnicodeEncodeError:
                out.append("\\u%d?" % (o if o < 32768 else o - 65536))
    return "".join(out)


def rtf(doc):
    body = "".join(_rtf_escape(line) + "\\par\n" for line in doc.lines())
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
            "{\\info{\\title " + _rtf_escape(doc.title) + "}}\\f0\\fs22\n" + body + "}").encode("ascii")


# --- e-mail ----------------------------------------------------------------------------------
def eml(doc, attachment=None, seq=0):
    """MIME mail; body base64 or quoted-printable (alternating by seq); optional attachment
    (name, bytes, content type) whose document truth the caller adds."""
    text = "\n".join(doc.lines()) + "\n"
    boundary = f"=_vakt_bench_{seq:06d}"
    if seq % 2:
        body = base64.encodebytes(text.encode("utf-8"))
        enc = "base64"
    else:
        body = email.quoprimime.body_encode(text.encode("utf-8").decode("latin-1")).encode("latin-1") + b"\n"
        enc = "quoted-printable"
    subject = "=?utf-8?b?" + base64.b64encode(doc.title.encode()).decode() + "?="
    head = (f"From: Registrator <registrator@vaktby.se>\nTo: Socialtjansten <social@vaktby.se>\n"
            f"Subject: {subject}\nDate: Mon, 02 Mar 2026 09:30:00 +0100\n"
            f"Message-ID: <bench-{seq}@vaktby.se>\nMIME-Version: 1.0\n")
    if attachment is None:
        return (head + f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: {enc}\n\n"
                ).encode() + body
    name, data, ctype = attachment
    att = base64.encodebytes(data)
    return ((head + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
             f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
             f"Content-Transfer-Encoding: {enc}\n\n").encode() + body
            + (f"\n--{boundary}\nContent-Type: {ctype}; name=\"{name}\"\n"
               f"Content-Disposition: attachment; filename=\"{name}\"\n"
               "Content-Transfer-Encoding: base64\n\n").encode() + att
            + f"\n--{boundary}--\n".encode())


def zip_of(members):
    """A plain zip archive of (name, bytes) members."""
    return _zip(members)


WRITERS = {"txt-utf8": text_utf8, "txt-utf16le": text_utf16le, "txt-cp1252": text_cp1252,
           "docx": docx, "xlsx": xlsx, "pptx": pptx, "odt": odt, "pdf": pdf_writer.pdf, "rtf": rtf}
CONTENT_TYPE = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf", "txt-utf8": "text/plain"}
