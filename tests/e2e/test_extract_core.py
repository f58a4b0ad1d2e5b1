"""End to end: `vakt scan` on containers and encodings built at test time (extraction core).

Runs the real binary (VAKT_BIN) with `--format jsonl` and checks status, reason, type and that
findings come out of nested members, odd encodings and damaged files. Skatteverket test numbers
only; no clear value may appear in the output. Skips until the `scan` command is built in.
"""
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unittest
import zipfile

VAKT_BIN = os.environ.get("VAKT_BIN", "")
PNR = "19990604-2388"
PNR2 = "19121212-1212"
# Every separator the personnummer rule reads as '-' (rules/identity.yaml), not just ASCII.
CLEAR_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{2})?\d{6}[-+\u2010\u2011\u2013\u2212\u00a0\u202f]\d{4}(?![0-9])")
TINY_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
            b"startxref\n0\n%%EOF\n")

# A rule pack of its own, so the test depends on extraction, not on the shipped packs.
POLICY = """classes:
  - {level: 0, name: Öppen}
  - {level: 1, name: Intern}
  - {level: 2, name: Känslig}
  - {level: 3, name: Mycket känslig}
conditions:
  - id: person
    class: 2
    rules: [t.pnr]
"""
RULES = r"""pack: extract-e2e
rules:
  - id: t.pnr
    name: Personnummer
    category: identity.person
    class: 2
    patterns: ['(?:[0-9]{2})?[0-9]{6}(?:-|\+)?[0-9]{4}']
    flags: [utf8]
    validator: personnummer
    digit_boundaries: true
    mask: identity
    examples:
      match: ["pnr 19990604-2388"]
      no_match: ["19990604-2389"]
"""


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def targz_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class ExtractCoreE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not VAKT_BIN or not os.access(VAKT_BIN, os.X_OK):
            raise unittest.SkipTest("VAKT_BIN does not name the built vakt binary")
        probe = subprocess.run([VAKT_BIN, "scan", "--help"], capture_output=True, timeout=60,
                               stdin=subprocess.DEVNULL)
        if probe.returncode != 0:
            raise unittest.SkipTest("this vakt has no scan command yet")
        cls.tmp = tempfile.mkdtemp(prefix="vakt-e2e-extract-")
        cls.cache = os.path.join(cls.tmp, "cache")
        os.makedirs(cls.cache)
        cls.files = os.path.join(cls.tmp, "files")
        os.makedirs(cls.files)
        cls.rules = os.path.join(cls.tmp, "rules")
        os.makedirs(cls.rules)
        with open(os.path.join(cls.rules, "policy.yaml"), "w", encoding="utf-8") as f:
            f.write(POLICY)
        with open(os.path.join(cls.rules, "extract.yaml"), "w", encoding="utf-8") as f:
            f.write(RULES)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def scan(self, path):
        proc = subprocess.run(
            [VAKT_BIN, "scan", "--no-progress", "--cache-dir", self.cache, "--rules", self.rules,
             "--format", "jsonl", path],
            capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
            env=dict(os.environ, LC_ALL="C.UTF-8"))
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        self.assertIsNone(CLEAR_RE.search(out + err), "clear value in output")
        records = [json.loads(line) for line in out.splitlines() if line.strip()]
        self.assertEqual(len(records), 1, out + err)
        return records[0]

    def pnr_findings(self, record):
        return [f for f in record["findings"] if f["rule"] == "t.pnr"]

    def test_nested_zip_member_finding_names_the_member(self):
        inner = zip_bytes([("lista.txt", f"Personnummer: {PNR}\n".encode())])
        r = self.scan(self.write("paket.zip", zip_bytes([("inre.zip", inner),
                                                         ("annat.txt", b"hej")])))
        self.assertEqual(r["status"], "scanned", r["reason"])
        self.assertEqual(r["type"], "zip")
        parts = {f["part"] for f in self.pnr_findings(r)}
        self.assertEqual(parts, {"inre.zip/lista.txt"})

    def test_container_whose_first_member_is_a_pdf_is_read_as_the_container(self):
        # "%PDF-" within the first KB once made the whole tar or stored zip a PDF: clean.
        journal = f"Patient {PNR}\n".encode()
        tar = io.BytesIO()
        with tarfile.open(fileobj=tar, mode="w") as t:
            for name, data in (("report.pdf", TINY_PDF), ("journal.txt", journal)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        stored = io.BytesIO()
        with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
            z.writestr("harmless.pdf", TINY_PDF)
            z.writestr("notes.txt", journal)
        for name, data, kind, part in (("docs.tar", tar.getvalue(), "tar", "journal.txt"),
                                        ("pdfzip.zip", stored.getvalue(), "zip", "notes.txt")):
            with self.subTest(name):
                r = self.scan(self.write(name, data))
                self.assertEqual(r["type"], kind)
                self.assertEqual({f["part"] for f in self.pnr_findings(r)}, {part})

    def test_file_name_with_an_en_dash_number_is_masked_everywhere(self):
        # The shipped rule reads U+2013 as '-': such a number in a name is found, so it must be
        # masked in "path" too (scan() fails on any clear value, whatever the dash).
        for dash in ("\u2013", "\u2212", "\u2011"):
            with self.subTest(dash=hex(ord(dash))):
                path = self.write(f"Patient 19121212{dash}1212.txt", b"hej\n")
                r = self.scan(path)
                self.assertIn(f"19121212{dash}****", r["path"])
                os.remove(path)

    def test_member_and_attachment_names_are_scanned(self):
        # A top-level name was scanned; the same name inside a zip or as an attachment was not.
        r = self.scan(self.write("namn.zip", zip_bytes([(f"Patient {PNR}.txt", b"hej\n")])))
        parts = [f["part"] for f in self.pnr_findings(r)]
        self.assertEqual(parts, ["Patient 19990604-****.txt/(filename)"])
        mail = (
            "From: a@example.se\r\nTo: b@example.se\r\nSubject: Bilaga\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            "Content-Type: text/plain\r\n\r\nSe bilagan.\r\n--XX\r\n"
            "Content-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename*=utf-8''Patient%20" + PNR + ".bin\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\naGVq\r\n--XX--\r\n")
        r = self.scan(self.write("bilaga.eml", mail.encode()))
        parts = [f["part"] for f in self.pnr_findings(r)]
        self.assertEqual(len(parts), 1, r)
        self.assertTrue(parts[0].endswith("(filename)"), parts)

    def test_html_mail_bodies_read_like_html_files(self):
        # The mail HTML converter lost the rest of a body without </head> (optional in HTML5),
        # ate text after a "<" followed by a digit, and dropped alt/title; html.cpp does not.
        bodies = {
            "utan-head.eml": f"<html><head><meta charset=utf-8><body><p>Patient {PNR}</p>",
            "mindre-an.eml": f"<p>CRP <5 hos patient {PNR} idag.</p>",
            "alt.eml": f'<p>Se bild</p><img src="x.png" alt="Patient {PNR}">',
        }
        for name, body in bodies.items():
            with self.subTest(name):
                mail = ("From: a@example.se\r\nTo: b@example.se\r\nSubject: Svar\r\n"
                        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                        + body + "\r\n")
                r = self.scan(self.write(name, mail.encode()))
                self.assertEqual(r["status"], "scanned", r["reason"])
                self.assertEqual(len(self.pnr_findings(r)), 1, r)

    def test_utf32_text_with_a_bom(self):
        for codec in ("utf-32", "utf-32-be"):
            with self.subTest(codec):
                data = f"Patient {PNR}\n".encode(codec)
                if codec == "utf-32-be":
                    data = b"\x00\x00\xfe\xff" + data
                r = self.scan(self.write(f"u32-{codec}.txt", data))
                self.assertEqual(r["status"], "scanned", r["reason"])
                self.assertEqual(len(self.pnr_findings(r)), 1, r)

    def test_zip_depth_bomb_is_partial(self):
        z = zip_bytes([("botten.txt", b"botten")])
        for level in range(20):
            z = zip_bytes([(f"niva{level}.zip", z)])
        r = self.scan(self.write("djup.zip", z))
        self.assertEqual(r["status"], "partial")
        self.assertIn("limit: max_depth", r["reason"])

    def test_ratio_bomb_is_partial_and_fast(self):
        r = self.scan(self.write("nollor.zip", zip_bytes([("n.txt", b"0" * (50 << 20))])))
        self.assertEqual(r["status"], "partial")
        self.assertIn("limit: max_compression_ratio", r["reason"])
        self.assertLess(r["seconds"], 10)

    def test_targz_with_windows_1252_text(self):
        text = f"P\u00e5 \u00c4lvsby: personnummer {PNR2}\n".encode("cp1252")
        r = self.scan(self.write("arkiv.tar.gz", targz_bytes([("mapp/brev.txt", text)])))
        self.assertEqual(r["type"], "gzip")
        self.assertEqual([f["part"] for f in self.pnr_findings(r)], ["mapp/brev.txt"])

    def test_bare_gzip_of_utf16_text(self):
        data = gzip.compress(("\ufeffpnr " + PNR + "\r\n").encode("utf-16-le"))
        r = self.scan(self.write("brev.txt.gz", data))
        self.assertEqual(len(self.pnr_findings(r)), 1, r)

    def test_html_with_entities_and_inline_tags(self):
        html = (f"<html><body><p>Elev: &Aring;sa&nbsp;{PNR[:4]}<b>{PNR[4:8]}</b>{PNR[8:]}</p>"
                "<script>var x = 1;</script></body></html>").encode()
        r = self.scan(self.write("sida.html", html))
        self.assertEqual(r["type"], "text/html")
        self.assertEqual(len(self.pnr_findings(r)), 1, r)

    def test_truncated_zip_is_salvaged_as_partial(self):
        z = zip_bytes([("a.txt", f"personnummer {PNR}\n".encode()), ("b.txt", b"b" * 1000)])
        cut = z[: z.index(b"PK\x01\x02")]
        r = self.scan(self.write("trasig.zip", cut))
        self.assertEqual(r["status"], "partial")
        self.assertIn("corrupt zip", r["reason"])
        self.assertEqual(len(self.pnr_findings(r)), 1, r)

    def test_garbage_zip_is_unscannable(self):
        r = self.scan(self.write("skrap.zip", b"PK\x03\x04" + b"\xff" * 100))
        self.assertEqual(r["status"], "unscannable")
        self.assertIn("corrupt zip", r["reason"])

    @unittest.skipUnless(shutil.which("zip"), "zip(1) not installed")
    def test_encrypted_zip_is_not_clean(self):
        src = self.write("hemlig.txt", f"personnummer {PNR}\n".encode())
        out = os.path.join(self.files, "krypterad.zip")
        subprocess.run(["zip", "-q", "-j", "-P", "hemligt", out, src], check=True)
        os.remove(src)
        r = self.scan(out)
        self.assertEqual(r["status"], "unscannable")
        self.assertIn("encrypted", r["reason"])

    def test_unknown_binary_is_partial(self):
        data = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"text inside a binary" + b"\x00" * 64
        r = self.scan(self.write("program", data))
        self.assertEqual(r["status"], "partial")
        self.assertIn("printable text only", r["reason"])


if __name__ == "__main__":
    unittest.main()
