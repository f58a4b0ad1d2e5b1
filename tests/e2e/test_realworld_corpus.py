"""`vakt scan` over the real-world robustness corpus (../shared/corpus/realworld).

~600 documents collected from other parsers' test suites: encrypted, broken, fuzzed, exotic.
Asserts that the real binary finishes within a bound, never crashes, gives every file a result,
keeps its memory bounded, and reports every file the manifest says needs a password as
unreadable (never as a clean `scanned`).
"""
import csv
import json
import os
import re
import resource
import subprocess
import time
import unittest

from vakt_e2e import VAKT_BIN, VaktTestCase

SHARED = os.environ.get("VAKT_SHARED_DIR", "")
CORPUS = os.path.join(SHARED, "corpus", "realworld")

# Notes that say the file is encrypted or protected but readable without a password (or not
# encrypted at all): those may come out `scanned`, as the issue allows ("or scanned, where it
# opens without a user password").
READABLE = re.compile(
    r"owner password only|opens without a user password|not encrypted|NOT encrypted|"
    r"without password|owner_empty|only the attachments are encrypted|\(owner password\)|"
    r"encrypted attachments|with an owner password only|IRM-protected PDF: not PDF-encrypted|"
    r"restricted$|opens it with an empty password",
    re.IGNORECASE)
# Encrypted with an empty user password: pdftotext (poppler 22.12) reads their text as well.
OPENS_WITHOUT_PASSWORD = {"pdfjs/issue7665.pdf", "pdfjs/secHandler.pdf"}
NEEDS_PASSWORD = re.compile(r"encrypt|password|DRM|IRM|PGP|PKCS#7 enveloped", re.IGNORECASE)


def manifest():
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


class RealWorldCorpus(VaktTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.path.isdir(CORPUS):
            raise unittest.SkipTest("no real-world corpus at " + CORPUS)
        start = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(
            [VAKT_BIN, "scan", "--format", "jsonl", "--no-progress", "--threads", "2", CORPUS],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=900)
        cls.seconds = time.monotonic() - start
        cls.peak_rss_kib = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        cls.returncode = proc.returncode
        cls.stderr = proc.stderr.decode("utf-8", "replace")
        cls.results = {}
        for line in proc.stdout.decode("utf-8").splitlines():
            record = json.loads(line)
            cls.results[os.path.relpath(record["path"], CORPUS)] = record
        print("realworld corpus: %d files in %.1f s, exit %d, peak RSS %.0f MiB" %
              (len(cls.results), cls.seconds, cls.returncode, cls.peak_rss_kib / 1024))

    def test_finishes_without_crash_and_reports_every_file(self):
        # 0 clean, 1 flagged, 3 something not fully scanned: never a signal or a usage error.
        self.assertIn(self.returncode, (0, 1, 3), self.stderr[-2000:])
        missing = [row["path"] for row in manifest() if row["path"] not in self.results]
        self.assertEqual(missing, [])

    def test_every_result_has_a_status_and_a_reason_when_not_scanned(self):
        for path, r in self.results.items():
            self.assertIn(r["status"], ("scanned", "partial", "unscannable", "error"), path)
            if r["status"] != "scanned":
                self.assertTrue(r["reason"], path)

    def test_memory_stays_bounded(self):
        # The scanner and its isolated parsers are capped at 1.5 GiB each.
        self.assertLess(self.peak_rss_kib, 1600 * 1024)

    def test_files_that_need_a_password_are_never_clean(self):
        wrong = []
        for row in manifest():
            note = row["note"]
            if not NEEDS_PASSWORD.search(note) or READABLE.search(note):
                continue
            if row["path"] in OPENS_WITHOUT_PASSWORD:
                continue
            r = self.results.get(row["path"])
            if r is None:
                continue
            if r["status"] == "scanned":
                wrong.append("%s: scanned (%s)" % (row["path"], note[:60]))
        self.assertEqual(wrong, [])

    def test_encrypted_files_say_encrypted(self):
        plainly_encrypted = re.compile(
            r"^encrypted (XLS|DOC|DOCX|XLSX|PPT|PPTX|XLSB|PowerPoint|Word|RAR)|"
            r"^encrypted;|^encrypted \(password-protected\)|^encrypted with user|"
            r"^encrypted RC4|^encrypted AES|^password-protected", re.IGNORECASE)
        wrong = []
        for row in manifest():
            if not plainly_encrypted.search(row["note"]) or READABLE.search(row["note"]):
                continue
            r = self.results[row["path"]]
            if "encrypt" not in r["reason"].lower():
                wrong.append("%s: %s %r" % (row["path"], r["status"], r["reason"]))
        self.assertEqual(wrong, [])


if __name__ == "__main__":
    unittest.main()
