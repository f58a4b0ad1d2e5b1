"""End-to-end tests of `vakt scan`: the real binary on files written to a temporary folder.

Covers exit codes 0/1/2/3, the jsonl schema, masking (no clear value anywhere in stdout/stderr),
csv, the text summary, --explain with a rejected candidate, unreadable entries, FIFOs and
symlink loops, UTF-16 and Windows-1252 text, and identical results for --threads 1 and 4.
"""
import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unittest
import zipfile

from vakt_e2e import (BAD_CHECKSUM, SAMORDNINGSNUMMER, TEST_PNR, VAKT_BIN, VaktTestCase)

REQUIRED_KEYS = {"path", "status", "reason", "type", "size", "class", "class_name", "findings",
                 "conditions", "seconds"}
FINDING_KEYS = {"rule", "class", "confidence", "masked", "part", "line", "offset"}
STATUSES = {"scanned", "partial", "unscannable", "error"}

CLEAN_TEXT = """Testby kommun, kultur- och fritidsförvaltningen
Minnesanteckningar från arbetsmöte 2026-11-12 kl. 13.30.
Närvarande: Karin, Ahmed och Eva. Vi planerade sommarlovets aktiviteter och
budgeten på 850 000 kr. Nästa möte hålls 2026-12-10.
"""


def staff_list(pnrs):
    rows = ["Personallista hemtjänsten (export från personalsystemet)",
            "Efternamn\tFörnamn\tPersonnummer\tBefattning"]
    for i, p in enumerate(pnrs):
        rows.append("Efternamn%d\tFörnamn%d\t%s\tUndersköterska" % (i, i, p))
    return "\n".join(rows) + "\n"


OROSANMALAN = """SEKRETESS enligt 26 kap. 1 § OSL
Orosanmälan enligt 14 kap. 1 § SoL
Barnets personnummer: %s
Anmälaren är orolig för barnets hemsituation.
""" % TEST_PNR[0]


def write(path, text, encoding="utf-8"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)


def without_seconds(lines):
    records = []
    for line in lines:
        record = json.loads(line)
        record.pop("seconds", None)
        records.append(record)
    return records


class ScanCliTest(VaktTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="vakt-e2e-scan-")
        cls.cache = os.path.join(cls.tmp, "cache")
        os.makedirs(cls.cache)
        cls.clean_dir = os.path.join(cls.tmp, "clean")
        write(os.path.join(cls.clean_dir, "motesanteckning.txt"), CLEAN_TEXT)
        write(os.path.join(cls.clean_dir, "budget.txt"), "Budget 2027: 850 000 kr.\n")
        cls.flagged_dir = os.path.join(cls.tmp, "flagged")
        write(os.path.join(cls.flagged_dir, "personallista.txt"), staff_list(TEST_PNR))
        write(os.path.join(cls.flagged_dir, "orosanmalan.txt"), OROSANMALAN)
        write(os.path.join(cls.flagged_dir, "motesanteckning.txt"), CLEAN_TEXT)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def scan(self, *args, **kwargs):
        return self.vakt("scan", "--no-progress", "--cache-dir", self.cache, *args, **kwargs)

    def scan_jsonl(self, *args, expect_rc=None):
        rc, out, err = self.scan("--format", "jsonl", *args)
        if expect_rc is not None:
            self.assertEqual(rc, expect_rc, err)
        lines = [line for line in out.splitlines() if line.strip()]
        return rc, [json.loads(line) for line in lines], err

    def by_name(self, records):
        return {os.path.basename(r["path"]): r for r in records}

    def test_version_names_the_allocator_in_use(self):
        # Linux builds link mimalloc to replace malloc for the whole process; the line comes from
        # a live block, so a build whose override did not take shows "not in use".
        rc, out, err = self.vakt("--version")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^vakt \d+\.\d+\.\d+$")
        self.assertRegex(lines[1], r"^allocator: (mimalloc \d+\.\d+\.\d+|glibc malloc)$")

    # --- exit codes -------------------------------------------------------------------------

    def test_exit_0_when_nothing_is_flagged(self):
        rc, out, err = self.scan(self.clean_dir)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("motesanteckning.txt", out)

    def test_exit_1_when_a_file_reaches_fail_class(self):
        rc, records, err = self.scan_jsonl(self.flagged_dir, expect_rc=1)
        files = self.by_name(records)
        self.assertGreaterEqual(files["personallista.txt"]["class"], 2)
        self.assertGreaterEqual(files["orosanmalan.txt"]["class"], 2)
        self.assertEqual(files["motesanteckning.txt"]["findings"], [])

    def test_fail_class_moves_the_threshold(self):
        rc, records, _ = self.scan_jsonl(self.flagged_dir)
        top = max(r["class"] for r in records)
        rc, _, err = self.scan("--fail-class", str(top), self.flagged_dir)
        self.assertEqual(rc, 1, err)
        if top < 3:
            rc, _, err = self.scan("--fail-class", str(top + 1), self.flagged_dir)
            self.assertEqual(rc, 0, err)

    def test_exit_2_on_usage_and_configuration_errors(self):
        empty_key = os.path.join(self.tmp, "empty.key")
        write(empty_key, b"")
        cases = [
            ["--format", "xml", self.clean_dir],
            ["--fail-class", "7", self.clean_dir],
            ["--threads", "0", self.clean_dir],
            ["--reference-date", "2026-02-30", self.clean_dir],
            ["--max-file-size", "12Q", self.clean_dir],
            ["--pseudonym-key-file", empty_key, self.clean_dir],
            ["--pseudonym-key-file", os.path.join(self.tmp, "missing.key"), self.clean_dir],
            ["--rules", os.path.join(self.tmp, "no-such-rules"), self.clean_dir],
            ["--no-such-flag", self.clean_dir],
            [],
        ]
        for args in cases:
            with self.subTest(args=args):
                rc, out, err = self.scan(*args)
                self.assertEqual(rc, 2, out + err)
                self.assertTrue(err.strip() or out.strip(), "no error message")
        rc, _, err = self.scan("--pseudonym-key-file", empty_key, self.clean_dir)
        self.assertIn("empty", err)

    def test_bad_timeouts_short_keys_and_fail_class_0_on_unread_files(self):
        for value in ("nan", "0", "-1", "inf", "1e9", "abc"):
            rc, _, err = self.scan("--timeout", value, self.clean_dir)
            self.assertEqual(rc, 2, (value, err))
            self.assertIn("above 0 and at most 86400", err)
            self.assertLess(len(err), 400)  # no DBL_MAX written out in 300 digits
        short_key = os.path.join(self.tmp, "short.key")
        write(short_key, "abc")
        rc, _, err = self.scan("--pseudonym-key-file", short_key, self.clean_dir)
        self.assertEqual(rc, 2, err)
        self.assertIn("at least 16", err)
        # Not read is "not fully scanned" (3), even with --fail-class 0: it has no class.
        rc, _, err = self.scan("--fail-class", "0", os.path.join(self.tmp, "no-such-file.txt"))
        self.assertEqual(rc, 3, err)

    def test_exit_3_when_nothing_flagged_but_something_unreadable(self):
        folder = os.path.join(self.tmp, "dangling")
        write(os.path.join(folder, "ok.txt"), CLEAN_TEXT)
        os.symlink(os.path.join(folder, "gone.txt"), os.path.join(folder, "lost.txt"))
        rc, records, err = self.scan_jsonl(folder, expect_rc=3)
        files = self.by_name(records)
        self.assertEqual(files["ok.txt"]["status"], "scanned")
        self.assertEqual(files["lost.txt"]["status"], "error")
        self.assertIn("broken symbolic link", files["lost.txt"]["reason"])

    def test_missing_path_is_an_error_result(self):
        rc, records, _ = self.scan_jsonl(os.path.join(self.tmp, "no-such-file.txt"), expect_rc=3)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["status"], "error")
        # Not read: no class, and certainly not 0 "Öppen" (a SIEM filter would count it open).
        self.assertIsNone(records[0]["class"])
        self.assertIsNone(records[0]["class_name"])
        rc, out, _ = self.vakt("scan", "--format", "csv", os.path.join(self.tmp, "no-such-file.txt"))
        row = out.splitlines()[1].split(";")
        self.assertEqual(row[5:7], ["", ""], out)

    def test_special_files_and_fifo_key_files_never_block(self):
        fifo = os.path.join(self.tmp, "nyckel.fifo")
        if not os.path.exists(fifo):
            os.mkfifo(fifo)
        rc, _, err = self.vakt("scan", "--pseudonym-key-file", fifo, self.flagged_dir, timeout=30)
        self.assertEqual(rc, 2, err)
        self.assertIn("not a regular file", err)
        # Named on the command line, a FIFO or device is reported not scanned (exit 3), not
        # skipped as if all were clean (exit 0).
        rc, records, _ = self.scan_jsonl(fifo, "/dev/null", expect_rc=3)
        self.assertEqual([r["status"] for r in records], ["unscannable", "unscannable"])

    def test_closed_stdout_does_not_send_results_into_a_socket(self):
        proc = subprocess.run([VAKT_BIN, "scan", "--format", "jsonl", self.flagged_dir],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
                              pass_fds=(), close_fds=True,
                              preexec_fn=lambda: os.close(1))
        self.assertEqual(proc.returncode, 1, proc.stderr)

    def test_flagged_wins_over_incomplete(self):
        folder = os.path.join(self.tmp, "flagged-and-broken")
        write(os.path.join(folder, "lista.txt"), staff_list(TEST_PNR))
        os.symlink(os.path.join(folder, "gone"), os.path.join(folder, "lost.txt"))
        self.scan_jsonl(folder, expect_rc=1)

    @unittest.skipIf(hasattr(os, "geteuid") and os.geteuid() == 0,
                     "root reads files whatever their mode")
    def test_unreadable_file_and_folder_are_reported_not_clean(self):
        folder = os.path.join(self.tmp, "unreadable")
        write(os.path.join(folder, "secret.txt"), OROSANMALAN)
        write(os.path.join(folder, "locked", "inner.txt"), CLEAN_TEXT)
        os.chmod(os.path.join(folder, "secret.txt"), 0)
        os.chmod(os.path.join(folder, "locked"), 0)
        try:
            rc, records, _ = self.scan_jsonl(folder, expect_rc=3)
        finally:
            os.chmod(os.path.join(folder, "secret.txt"), stat.S_IRUSR | stat.S_IWUSR)
            os.chmod(os.path.join(folder, "locked"), stat.S_IRWXU)
        files = self.by_name(records)
        self.assertNotEqual(files["secret.txt"]["status"], "scanned")
        self.assertEqual(files["locked"]["status"], "error")

    def test_an_excel_register_of_bare_numbers_is_class_three(self):
        # Excel keeps a personnummer column as numbers: 10 bare digits, the heading
        # "Personnummer" once at the top and most rows beyond its 300-byte context window.
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Namn</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>Personnummer</t></is></c>'
                '<c r="C1" t="inlineStr"><is><t>Adress</t></is></c></row>']
        for i, pnr in enumerate(TEST_PNR, start=2):
            bare10 = pnr.replace("-", "")[-10:]
            rows.append('<row r="%d"><c r="A%d" t="inlineStr"><is><t>Elev %d Testsson</t></is></c>'
                        '<c r="B%d"><v>%s</v></c><c r="C%d" t="inlineStr"><is><t>Storgatan %d, '
                        '123 45 Testby, lägenhet 1102</t></is></c></row>' % (i, i, i, i, bare10, i, i))
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                       'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                       'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="http://schemas.'
                       'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                       'name="Elever" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns)
            z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.'
                       'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                       'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                       'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            z.writestr("xl/worksheets/sheet1.xml",
                       '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>'
                       % (ns, "".join(rows)))
        folder = os.path.join(self.tmp, "register")
        write(os.path.join(folder, "elevregister.xlsx"), package.getvalue())
        _, records, _ = self.scan_jsonl(folder, expect_rc=1)
        register = self.by_name(records)["elevregister.xlsx"]
        self.assertEqual(register["type"], "xlsx")
        self.assertEqual(register["class"], 3, register["conditions"])
        self.assertIn("bulk-person-identifiers", register["conditions"])
        self.assertEqual(len(register["findings"]), len(TEST_PNR))
        self.assertNotIn("low", [f["confidence"] for f in register["findings"]])

    # --- jsonl and masking ------------------------------------------------------------------

    def test_jsonl_schema_and_masking(self):
        rc, records, err = self.scan_jsonl(self.flagged_dir, expect_rc=1)
        self.assertEqual(len(records), 3)
        self.assertEqual([r["path"] for r in records], sorted(r["path"] for r in records))
        for r in records:
            self.assertTrue(REQUIRED_KEYS <= set(r), set(r))
            self.assertIn(r["status"], STATUSES)
            self.assertIsInstance(r["size"], int)
            # The snapshot's SHA-256, as the agent logs it (file.hash.sha256).
            with open(r["path"], "rb") as scanned:
                self.assertEqual(r["sha256"], hashlib.sha256(scanned.read()).hexdigest())
            self.assertIn(r["class"], (0, 1, 2, 3))
            self.assertIsInstance(r["class_name"], str)
            self.assertIsInstance(r["conditions"], list)
            self.assertIsInstance(r["seconds"], (int, float))
            # Every finding counted per rule, listed or not; the counts add up to the total.
            self.assertEqual(sum(r["findings_by_rule"].values()), r["findings_total"])
            for f in r["findings"]:
                self.assertIn(f["rule"], r["findings_by_rule"])
            for f in r["findings"]:
                self.assertTrue(FINDING_KEYS <= set(f), set(f))
                self.assertNotIn("pseudonym", f)   # no key given
                self.assertIn(f["confidence"], ("low", "medium", "high"))
                self.assertGreaterEqual(f["line"], 1)
        staff = self.by_name(records)["personallista.txt"]
        pnr_findings = [f for f in staff["findings"] if "personnummer" in f["rule"]]
        self.assertEqual(len(pnr_findings), len(TEST_PNR))
        lines = sorted(f["line"] for f in pnr_findings)
        self.assertEqual(lines, list(range(3, 3 + len(TEST_PNR))))
        for f in pnr_findings:
            pnr = TEST_PNR[f["line"] - 3]               # the value on that line of the list
            self.assertIn("*", f["masked"])
            self.assertNotIn(pnr[-4:], f["masked"].replace(pnr[:8], ""), "serial left in mask")

    def test_pseudonyms_are_keyed_and_stable(self):
        key_a = os.path.join(self.tmp, "a.key")
        key_b = os.path.join(self.tmp, "b.key")
        write(key_a, os.urandom(32))
        write(key_b, os.urandom(32))
        target = os.path.join(self.flagged_dir, "personallista.txt")

        def pseudonyms(key):
            _, records, _ = self.scan_jsonl("--pseudonym-key-file", key, target, expect_rc=1)
            return [f["pseudonym"] for f in records[0]["findings"] if "personnummer" in f["rule"]]

        first, again, other = pseudonyms(key_a), pseudonyms(key_a), pseudonyms(key_b)
        self.assertEqual(len(first), len(TEST_PNR))
        self.assertEqual(first, again)
        self.assertEqual(len(set(first)), len(TEST_PNR))
        self.assertTrue(set(first).isdisjoint(other))
        for p in first:
            self.assertRegex(p, r"^[0-9a-f]{16,}$")

    # --- csv --------------------------------------------------------------------------------

    def test_csv_for_excel(self):
        folder = os.path.join(self.tmp, "csv")
        write(os.path.join(folder, "möte; protokoll.txt"), CLEAN_TEXT)
        write(os.path.join(folder, "lista.txt"), staff_list(TEST_PNR[:3]))
        out_file = os.path.join(folder, "fynd.csv")
        rc, out, err = self.scan("--format", "csv", "--output", out_file, folder)
        self.assertIn(rc, (0, 1), err)
        self.assertIn("Summary", out)                 # summary on stdout when -o is used
        with open(out_file, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM")
        self.assertIn(b"\r\n", raw)
        self.assert_no_clear_values(raw.decode("utf-8"))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        header, body = rows[0], rows[1:]
        self.assertEqual(header[:7], ["path", "status", "reason", "type", "size", "class",
                                      "class_name"])
        self.assertIn("masked", header)
        paths = [os.path.basename(r[0]) for r in body]
        self.assertNotIn("fynd.csv", paths)           # the output file is not scanned
        self.assertEqual(paths.count("möte; protokoll.txt"), 1)
        rule = header.index("rule")
        lista = [r for r in body if os.path.basename(r[0]) == "lista.txt"]
        self.assertGreaterEqual(len([r for r in lista if "personnummer" in r[rule]]), 3)
        for r in body:
            self.assertEqual(len(r), len(header))

    def test_output_file_is_skipped_however_it_is_reached(self):
        # The --output file is recognised by identity, not by spelling: reached through a
        # linked folder and through a hard link of the same name, it is still never scanned
        # (scanning the half-written report would only find its own masked lines).
        folder = os.path.join(self.tmp, "identity")
        write(os.path.join(folder, "lista.txt"), staff_list(TEST_PNR[:2]))
        os.makedirs(os.path.join(folder, "kopia"))
        link = os.path.join(self.tmp, "identity-link")
        os.symlink(folder, link)
        out_file = os.path.join(link, "fynd.jsonl")
        rc, _, err = self.scan("--format", "jsonl", "--output", out_file, folder)
        self.assertEqual(rc, 1, err)
        os.link(os.path.join(folder, "fynd.jsonl"), os.path.join(folder, "kopia", "fynd.jsonl"))
        rc, _, err = self.scan("--format", "jsonl", "--output", out_file, folder)
        self.assertEqual(rc, 1, err)
        with open(os.path.join(folder, "fynd.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        scanned = [os.path.relpath(r["path"], folder) for r in records if "path" in r]
        self.assertIn("lista.txt", scanned)
        self.assertNotIn("fynd.jsonl", scanned)
        self.assertNotIn(os.path.join("kopia", "fynd.jsonl"), scanned)

    def test_output_that_is_a_file_to_scan_is_refused_and_the_file_kept(self):
        folder = os.path.join(self.tmp, "self-output")
        target = os.path.join(folder, "lista.txt")
        write(target, staff_list(TEST_PNR[:2]))
        with open(target, "rb") as f:
            before = f.read()
        for spelled in (target, os.path.join(folder, ".", "lista.txt")):
            rc, out, err = self.scan("--format", "jsonl", "--output", target, spelled)
            self.assertEqual(rc, 2, err)
            self.assertIn("is also a file to scan", err)
            with open(target, "rb") as f:
                self.assertEqual(f.read(), before)

    def test_csv_to_stdout_keeps_the_summary_on_stderr(self):
        rc, out, err = self.scan("--format", "csv", self.clean_dir)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("\ufeffpath;status;"))
        self.assertNotIn("Summary", out)
        self.assertIn("Summary", err)

    # --- text ------------------------------------------------------------------------------

    def test_text_table_and_summary(self):
        rc, out, err = self.scan(self.flagged_dir)
        self.assertEqual(rc, 1, err)
        self.assertIn("CLASS", out.splitlines()[0])
        self.assertIn("PATH", out.splitlines()[0])
        self.assertIn("personallista.txt", out)
        self.assertRegex(out, r"personnummer\S* %d" % len(TEST_PNR))
        self.assertIn("Summary", out)
        self.assertRegex(out, r"Files: +3 files \(3 scanned, 0 partial, 0 unscannable, 0 error\)")
        self.assertIn("MB/s", out)
        self.assertNotIn("ETA", err)                  # no progress bar when stderr is a pipe

    def test_control_characters_in_names_cannot_fake_rows(self):
        folder = os.path.join(self.tmp, "kontroll")
        os.makedirs(folder, exist_ok=True)
        name = "b\r0 \u00d6ppen   scanned   x\x1b[2K.txt"
        write(os.path.join(folder, name), "Personnummer %s\n" % TEST_PNR[0])
        rc, out, err = self.scan(folder)
        self.assertEqual(rc, 1, err)
        self.assertNotIn("\r", out)
        self.assertNotIn("\x1b", out)
        self.assertIn("b\\x0d0", out)
        self.assertIn("x\\x1b[2K.txt", out)
        # csv: CR stays (quoted, as RFC 4180 allows), an escape sequence is written as text.
        rc, out, err = self.scan("--format", "csv", folder)
        self.assertEqual(rc, 1, err)
        self.assertNotIn("\x1b", out)
        self.assertIn("x\\x1b[2K.txt", out)

    def test_quiet_lists_only_flagged_files(self):
        rc, out, err = self.scan("--quiet", self.flagged_dir)
        self.assertEqual(rc, 1, err)
        self.assertIn("personallista.txt", out)
        self.assertNotIn("motesanteckning.txt", out)
        self.assertNotIn("Summary", out)

    def test_explain_shows_findings_and_rejected_candidates(self):
        folder = os.path.join(self.tmp, "explain")
        write(os.path.join(folder, "brev.txt"),
              "Personnummer: %s\nFelskrivet personnummer: %s\n" % (TEST_PNR[0], BAD_CHECKSUM))
        rc, out, err = self.scan("--explain", folder)
        self.assertIn("bad checksum", out)
        self.assertIn("rejected", out)
        self.assertRegex(out, r"\+ \S*personnummer\S*  (low|medium|high)  \S*\*")
        rc, records, _ = self.scan_jsonl("--explain", folder)
        rejections = records[0]["rejections"]
        self.assertTrue(any(x["reason"] == "bad checksum" for x in rejections), rejections)
        for f in records[0]["findings"]:
            self.assertIn("explanation", f)

    # --- walking -------------------------------------------------------------------------------

    def test_fifo_and_symlink_loop_do_not_hang(self):
        folder = os.path.join(self.tmp, "special")
        write(os.path.join(folder, "ok.txt"), CLEAN_TEXT)
        os.mkfifo(os.path.join(folder, "pipe"))
        os.symlink(folder, os.path.join(folder, "loop"))
        rc, out, err = self.scan("--explain", folder, timeout=30)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("2 skipped", out)
        self.assertRegex(out, r"skipped: +\S*pipe \(fifo")
        self.assertRegex(out, r"skipped: +\S*loop \(symbolic link to a folder")

    def test_identity_numbers_in_names_are_masked(self):
        folder = os.path.join(self.tmp, "names", "Elevakter", TEST_PNR[0] + " Anna")
        write(os.path.join(folder, TEST_PNR[1][2:] + " utredning.txt"), CLEAN_TEXT)
        write(os.path.join(folder, "faktura 1234567890.txt"), CLEAN_TEXT)
        for fmt in ("text", "jsonl", "csv"):
            with self.subTest(format=fmt):
                rc, out, err = self.scan("--format", fmt, "--explain", folder)  # checks no clear
                self.assertIn(TEST_PNR[0][:9] + "****", out)
                self.assertIn(TEST_PNR[1][2:9] + "**** utredning.txt", out)
                self.assertIn("faktura 1234567890.txt", out)   # not a personnummer: kept

    def test_passwords_and_codes_never_appear_in_any_output(self):
        # Secrets are masked as ******** whatever their length: no part of one, and not its
        # length or punctuation, may reach stdout or stderr in any format, --explain included.
        secrets = ["Vinter2026!Kommun", "Pc4p!ta_2025", "Fg#88kommun", "4417", "9023", "6651"]
        text = ("IT-drift – inloggningar\nsrv-ekonomi01 administrator / %s\n"
                "Procapita databas: sa / %s\nBrandvägg admin: %s\n\n"
                "Larmkoder förskolor\nSolrosens förskola: %s\nBlåklockan: %s\nHumlan: %s#\n"
                % tuple(secrets))
        path = os.path.join(self.tmp, "secrets", "drift.txt")
        write(path, text)
        for fmt in ("text", "jsonl", "csv"):
            with self.subTest(format=fmt):
                rc, out, err = self.scan("--format", fmt, "--explain", path)
                self.assertEqual(rc, 1, err)
                # What varies from run to run can hold any digits by chance: a scan that took
                # 0.0079023 s is no leak of "9023". The temporary folder's name, likewise.
                shown = re.sub(r'"seconds":[0-9.e+-]+|Speed: .*', "", out + err)
                shown = shown.replace(self.tmp, "TMP")
                for secret in secrets + ["Vinter", "kommun", "!K", "#88"]:
                    self.assertNotIn(secret, shown)
        rc, records, err = self.scan_jsonl(path, expect_rc=1)
        self.assertEqual(records[0]["class"], 2)
        masked = sorted((f["rule"], f["line"], f["masked"]) for f in records[0]["findings"]
                        if f["rule"].startswith("domain.security.c"))
        self.assertEqual(masked, [("domain.security.code_list", line, "********")
                                  for line in (7, 8, 9)] +
                         [("domain.security.credentials", line, "********")
                          for line in (2, 3, 4)])

    def test_a_folder_named_with_a_personnummer_is_reported(self):
        # The files inside are scanned on their own; the folder's name syncs with them, so it is a
        # result of its own (type "folder", masked), and the exit code says something is flagged.
        base = os.path.join(self.tmp, "folder-names")
        person = os.path.join(base, "Elever", "Anna " + TEST_PNR[0])
        write(os.path.join(person, "schema.txt"), CLEAN_TEXT)
        write(os.path.join(base, "Protokoll", "mote.txt"), CLEAN_TEXT)
        rc, records, err = self.scan_jsonl(base, expect_rc=1)
        folders = [r for r in records if r["type"] == "folder"]
        self.assertEqual(len(folders), 1, records)
        self.assertTrue(folders[0]["path"].endswith(TEST_PNR[0][:9] + "****" + os.sep))
        self.assertEqual(folders[0]["class"], 2)
        self.assertEqual(folders[0]["findings"][0]["rule"], "se.personnummer")
        files = [r for r in records if r["type"] != "folder"]
        self.assertEqual(sorted(r["class"] for r in files), [0, 0])
        self.assertIn("1 folder name", err)
        self.assertIn("2 files", err)
        # Listed at class 2 whatever the fail class, but it sets the exit code only at or above it.
        rc, records, _ = self.scan_jsonl("--fail-class", "3", base, expect_rc=0)
        self.assertEqual(len([r for r in records if r["type"] == "folder"]), 1)

    def test_files_and_folders_mixed_and_deduplicated(self):
        one = os.path.join(self.flagged_dir, "orosanmalan.txt")
        rc, records, _ = self.scan_jsonl(one, self.clean_dir, one, expect_rc=1)
        self.assertEqual(len(records), 3)

    def test_one_file_reached_by_several_spellings_is_scanned_once(self):
        # A helpdesk scanning C:\\Users\\anna and C:\\Users\\anna\\OneDrive in one go must not count
        # the OneDrive files twice: a subfolder, ./ and .. spellings and a link to the folder.
        link = os.path.join(self.tmp, "link-to-flagged")
        if not os.path.lexists(link):
            os.symlink(self.flagged_dir, link)
        _, alone, _ = self.scan_jsonl(self.flagged_dir, expect_rc=1)
        spelled = os.path.join(self.flagged_dir, "..", os.path.basename(self.flagged_dir), ".")
        _, records, _ = self.scan_jsonl(
            self.flagged_dir, spelled, link, os.path.join(self.flagged_dir, "orosanmalan.txt"),
            expect_rc=1)
        names = sorted(os.path.basename(r["path"]) for r in records)
        self.assertEqual(names, sorted(os.path.basename(r["path"]) for r in alone))
        self.assertGreater(len(names), 1)

    def test_max_file_size_reports_the_file_not_scanned(self):
        folder = os.path.join(self.tmp, "big")
        write(os.path.join(folder, "big.txt"), CLEAN_TEXT * 200)
        rc, records, err = self.scan_jsonl("--max-file-size", "1K", folder, expect_rc=3)
        self.assertNotEqual(records[0]["status"], "scanned")
        self.assertTrue(records[0]["reason"])

    def test_timeout_per_file(self):
        bomb = os.path.join(os.environ.get("VAKT_SHARED_DIR", ""), "corpus", "realworld", "pdfjs",
                            "bomb_giant.pdf")
        if not os.path.isfile(bomb):
            self.skipTest("no shared corpus")
        started = time.monotonic()
        rc, records, err = self.scan_jsonl("--timeout", "1", bomb, expect_rc=3)
        self.assertLess(time.monotonic() - started, 20)
        self.assertIn(records[0]["status"], ("partial", "unscannable"))
        self.assertIn("time", records[0]["reason"])

    # --- encodings and threads ---------------------------------------------------------------

    def test_utf16_and_windows_1252_text(self):
        folder = os.path.join(self.tmp, "encodings")
        text = "Orosanmälan – sekretess\r\nPersonnummer: %s\r\n"
        write(os.path.join(folder, "utf16.txt"),
              b"\xff\xfe" + (text % TEST_PNR[0]).encode("utf-16-le"))
        write(os.path.join(folder, "cp1252.txt"), (text % TEST_PNR[1]).encode("cp1252"))
        rc, records, err = self.scan_jsonl(folder)
        files = self.by_name(records)
        for name in ("utf16.txt", "cp1252.txt"):
            with self.subTest(name=name):
                self.assertEqual(files[name]["status"], "scanned")
                rules = [f["rule"] for f in files[name]["findings"]]
                self.assertTrue(any("personnummer" in r for r in rules), rules)

    def test_threads_1_and_4_give_identical_results(self):
        folder = os.path.join(self.tmp, "many")
        for i in range(24):
            body = CLEAN_TEXT if i % 3 else staff_list(TEST_PNR[: 1 + i % len(TEST_PNR)])
            write(os.path.join(folder, "sub%d" % (i % 4), "fil%02d.txt" % i), body)
        write(os.path.join(folder, "samordning.txt"),
              "Samordningsnummer: %s\n" % SAMORDNINGSNUMMER)
        rc1, out1, err1 = self.scan("--format", "jsonl", "--threads", "1", folder)
        rc4, out4, err4 = self.scan("--format", "jsonl", "--threads", "4", folder)
        self.assertEqual(rc1, rc4)
        one, four = without_seconds(out1.splitlines()), without_seconds(out4.splitlines())
        self.assertEqual(len(one), 25)
        self.assertEqual(one, four)

    def test_reference_date_is_accepted(self):
        folder = os.path.join(self.tmp, "refdate")
        write(os.path.join(folder, "a.txt"), "Personnummer: 260104-9030\n")
        _, a, _ = self.scan_jsonl("--reference-date", "2026-11-27", folder)
        _, b, _ = self.scan_jsonl("--reference-date", "2026-11-27", folder)
        self.assertEqual(without_seconds([json.dumps(r) for r in a]),
                         without_seconds([json.dumps(r) for r in b]))

    def test_bundled_samples(self):
        samples = os.path.join(os.environ.get("VAKT_SOURCE_DIR", ""), "samples")
        if not os.path.isdir(samples):
            self.skipTest("no samples/ folder")
        rc, records, err = self.scan_jsonl(samples, expect_rc=1)
        files = self.by_name(records)
        self.assertGreaterEqual(files["personallista-hemtjanst.txt"]["class"], 2)
        self.assertGreaterEqual(files["orosanmalan-barn.txt"]["class"], 2)
        self.assertEqual(files["motesanteckningar-kultur-och-fritid.txt"]["class"], 0)
        for r in records:
            self.assertEqual(r["status"], "scanned", r)


if __name__ == "__main__":
    unittest.main()
