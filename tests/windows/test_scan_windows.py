"""End-to-end tests of the helpdesk CLI, `vakt.exe scan`, run under wine on files written at test
time on the C: drive of the prefix: Windows paths with non-ASCII names and a personnummer in the
file name (masked in the output), a path longer than MAX_PATH, plain text, a Word document (libzip
and the OOXML reader in the cross build) and a PDF (poppler-cpp in the cross build), exit codes
0/1/2, and no clear value anywhere in stdout or stderr.
"""
import io
import json
import os
import re
import shutil
import unittest
import zipfile

from wine_env import (CLASS3_TEXT, CLEAN_TEXT, OSL_MARKING, SOURCE_DIR, TEST_PNR, WineTestCase,
                      assert_no_clear_values)


def docx_bytes(paragraphs):
    """A minimal but complete .docx (OPC package with content types, rels and the body)."""
    body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
                   % p.replace("&", "&amp;").replace("<", "&lt;") for p in paragraphs)
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body>%s</w:body></w:document>' % body,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def pdf_bytes(lines):
    """A one-page PDF with the lines as WinAnsi text in Helvetica (valid xref offsets)."""
    def esc(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = ["BT", "/F1 11 Tf", "72 760 Td", "14 TL"]
    for line in lines:
        ops.append("(%s) Tj T*" % esc(line))
    ops.append("ET")
    content = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe5\xe4\xf6\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


class ScanUnderWine(WineTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root_win = "C:\\vakt-e2e-scan"
        cls.root = cls.wine.unix_path(cls.root_win)
        shutil.rmtree(cls.root, ignore_errors=True)
        cls.flagged = os.path.join(cls.root, "Socialtjänst åäö")
        cls.clean = os.path.join(cls.root, "Kultur")
        os.makedirs(cls.flagged)
        os.makedirs(cls.clean)
        cls.files = {
            "Orosanmälan 19990604-2388.txt": CLASS3_TEXT.encode("utf-8"),
            "Utredning.docx": docx_bytes(CLASS3_TEXT.splitlines()),
            "Beslut.pdf": pdf_bytes(["Testby kommun, socialtjänsten", OSL_MARKING,
                                     "Personnummer: " + TEST_PNR, "Beslut om bistånd."]),
        }
        for name, data in cls.files.items():
            with open(os.path.join(cls.flagged, name), "wb") as f:
                f.write(data)
        with open(os.path.join(cls.clean, "Mötesanteckning.txt"), "wb") as f:
            f.write(CLEAN_TEXT.encode("utf-8"))
        # Deeper than MAX_PATH (260): 12 folders of 30 characters.
        deep = cls.flagged
        for i in range(12):
            deep = os.path.join(deep, "mapp-%02d-%s" % (i, "x" * 22))
        os.makedirs(deep)
        cls.deep_file = os.path.join(deep, "Djup anteckning.txt")
        with open(cls.deep_file, "wb") as f:
            f.write(CLASS3_TEXT.encode("utf-8"))
        cls.cache_win = cls.root_win + "\\cache"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(getattr(cls, "root", ""), ignore_errors=True)
        super().tearDownClass()

    def scan(self, *args):
        rc, out, err = self.wine.vakt("scan", "--no-progress", "--cache-dir", self.cache_win,
                                      *args, timeout=300)
        assert_no_clear_values(self, out + err, "scan output")
        return rc, out, err

    def scan_jsonl(self, *args):
        rc, out, err = self.scan("--format", "jsonl", *args)
        records = []
        for line in out.splitlines():
            if line.strip():
                try:
                    records.append(json.loads(line))
                except ValueError:
                    self.fail("not a JSON line: %r (stderr: %s)" % (line[:200], err[-500:]))
        return rc, records, err

    @staticmethod
    def by_name(records):
        return {re.split(r"[\\/]", r["path"])[-1]: r for r in records}

    def test_version(self):
        rc, out, err = self.wine.vakt("--version")
        self.assertEqual(rc, 0, err)
        with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as f:
            version = re.search(r"project\(vakt VERSION ([0-9.]+)", f.read()).group(1)
        self.assertEqual(out.splitlines()[0].strip(), "vakt " + version)
        self.assertIn("allocator: Windows heap", out)

    def test_clean_folder_exits_0(self):
        rc, records, err = self.scan_jsonl(self.wine.windows_path(self.clean))
        self.assertEqual(rc, 0, err)
        files = self.by_name(records)
        self.assertEqual(files["Mötesanteckning.txt"]["status"], "scanned")
        self.assertEqual(files["Mötesanteckning.txt"]["class"], 0)
        self.assertEqual(files["Mötesanteckning.txt"]["findings"], [])

    def test_class3_text_docx_pdf_and_long_path_are_flagged(self):
        rc, records, err = self.scan_jsonl(self.wine.windows_path(self.flagged))
        self.assertEqual(rc, 1, err)
        files = self.by_name(records)
        # The personnummer in the file name is masked in the reported path.
        self.assertIn("Orosanmälan 19990604-****.txt", files)
        for name in ("Orosanmälan 19990604-****.txt", "Utredning.docx", "Beslut.pdf",
                     "Djup anteckning.txt"):
            with self.subTest(file=name):
                self.assertIn(name, files, sorted(files))
                r = files[name]
                self.assertEqual(r["status"], "scanned", r.get("reason"))
                self.assertEqual(r["class"], 3, r)
                self.assertTrue(r["findings"], r)
                for finding in r["findings"]:
                    self.assertNotIn("2388", finding.get("masked", ""))
        self.assertGreater(len(files["Djup anteckning.txt"]["path"]), 260)
        self.assertTrue(files["Utredning.docx"]["type"], files["Utredning.docx"])

    def test_text_output_names_windows_paths(self):
        rc, out, err = self.scan(self.wine.windows_path(self.flagged))
        self.assertEqual(rc, 1, err)
        self.assertIn("Socialtjänst åäö", out)
        self.assertIn("19990604-****", out)

    def test_bad_usage_exits_2_with_a_message(self):
        for args in (["--format", "xml", self.wine.windows_path(self.clean)],
                     ["--fail-class", "7", self.wine.windows_path(self.clean)],
                     ["--rules", self.root_win + "\\no-such-rules",
                      self.wine.windows_path(self.clean)]):
            with self.subTest(args=args):
                rc, out, err = self.scan(*args)
                self.assertEqual(rc, 2, out + err)
                self.assertTrue((out + err).strip(), "no error message")

    def test_rule_packs_test_themselves_under_wine(self):
        rc, out, err = self.wine.vakt("rules", "test",
                                      self.wine.windows_path(os.path.join(SOURCE_DIR, "rules")),
                                      timeout=300)
        self.assertEqual(rc, 0, out[-2000:] + err[-2000:])
        self.assertRegex(out + err, r"\b[1-9][0-9]* passed, 0 failed")


if __name__ == "__main__":
    unittest.main()
