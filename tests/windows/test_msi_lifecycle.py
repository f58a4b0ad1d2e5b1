"""End-to-end test of the MSI under wine, in one fresh prefix, step by step as a PC sees it:

  1. build two MSIs from the real vakt.exe with packaging/windows/build-msi: the project version
     (signed with a throwaway self-signed certificate) and the next patch version (unsigned)
  2. `msiexec /qn /i` the first: files in Program Files, the site config in ProgramData, the
     service "Vakt" RUNNING as LocalSystem with automatic start
  3. seed a OneDrive for Business folder in HKEY_USERS\\<SID>\\...\\OneDrive\\Accounts\\Business1,
     write a class-3 document (a test personnummer and an OSL secrecy marking) into it from the
     Linux side, and wait (bounded) until the service has quarantined it: gone from OneDrive,
     byte-identical in %ProgramData%\\Vakt\\quarantine, named masked in the ECS log
  4. upgrade to the second MSI: one product registered, the new version, the service RUNNING
     again, the quarantine and the site's edit of vakt.yaml survived
  5. `msiexec /qn /x`: the service is gone, Program Files\\Vakt is gone, the quarantine, the log
     and the site config are kept

A step that cannot run because an earlier one failed fails too, naming the step it waits for.
"""
import hashlib
import json
import os
import re
import subprocess
import unittest

from wine_env import (CLASS3_TEXT, SOURCE_DIR, VAKT_EXE, WineTestCase, assert_no_clear_values,
                      wait_until)

SERVICE = "Vakt"
PROGRAM_DIR = "C:\\Program Files\\Vakt"
DATA_DIR = "C:\\ProgramData\\Vakt"
QUARANTINE_DIR = DATA_DIR + "\\quarantine"
LOG_FILE = DATA_DIR + "\\log\\vakt.jsonl"
SITE_CONFIG = DATA_DIR + "\\vakt.yaml"
EVENT_SOURCE = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Vakt"
ONEDRIVE_NAME = "OneDrive - Testby kommun"
# The personnummer in the file name must come out masked in the log, like the content.
DOC_NAME = "Orosanmälan 19990604-2388.txt"
DOC_NAME_MASKED = "Orosanmälan 19990604-****.txt"
QUARANTINE_TIMEOUT = float(os.environ.get("VAKT_WIN_QUARANTINE_TIMEOUT", "90"))
# The service re-runs OneDrive discovery at least every 60 s.
DISCOVERY_TIMEOUT = float(os.environ.get("VAKT_WIN_DISCOVERY_TIMEOUT", "150"))
SITE_EDIT = "# site edit kept by upgrades (test_msi_lifecycle)\n"


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(vakt VERSION (\d+)\.(\d+)\.(\d+)", f.read())
    return tuple(int(x) for x in m.groups())


def field(event, dotted, default=None):
    node = event
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


class MsiLifecycle(WineTestCase):
    own_prefix = True   # a clean "PC": nothing from other tests installed

    done = set()

    def require(self, *steps):
        missing = [s for s in steps if s not in self.done]
        if missing:
            self.fail("blocked: needs step(s) %s, which did not pass" % ", ".join(missing))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = os.path.join(cls._tmp, "work")
        os.makedirs(cls.work)
        major, minor, patch = project_version()
        cls.v1 = "%d.%d.%d" % (major, minor, patch)
        cls.v2 = "%d.%d.%d" % (major, minor, patch + 1)
        cls.msi1 = os.path.join(cls.work, "vakt-%s-x64.msi" % cls.v1)
        cls.msi2 = os.path.join(cls.work, "vakt-%s-x64.msi" % cls.v2)
        cls.doc_unix = None
        cls.quarantined_copy = None

    def build_msi(self, out, version, env_extra=None):
        env = dict(os.environ)
        for k in ("VAKT_SIGN_CERT", "VAKT_SIGN_KEY", "VAKT_SIGN_KEY_PASS", "VAKT_SIGN_PKCS12",
                  "VAKT_SIGN_PASSWORD", "VAKT_SIGN_TIMESTAMP_URL"):
            env.pop(k, None)
        env.update(env_extra or {})
        proc = subprocess.run(
            [os.path.join(SOURCE_DIR, "packaging", "windows", "build-msi"), "--exe", VAKT_EXE,
             "--out", out, "--version", version],
            env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertTrue(os.path.isfile(out))

    # --- 1 -----------------------------------------------------------------------------------
    def test_1_build_msis(self):
        key = os.path.join(self.work, "key.pem")
        cert = os.path.join(self.work, "cert.pem")
        proc = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
             cert, "-days", "2", "-subj", "/CN=Vakt test signing (throwaway)",
             "-addext", "extendedKeyUsage=codeSigning"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.build_msi(self.msi1, self.v1, {"VAKT_SIGN_CERT": cert, "VAKT_SIGN_KEY": key})
        verify = subprocess.run(["osslsigncode", "verify", "-CAfile", cert, "-in", self.msi1],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=120)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.build_msi(self.msi2, self.v2)
        self.done.add("1")

    # --- 2 -----------------------------------------------------------------------------------
    def test_2_install(self):
        self.require("1")
        w = self.wine
        rc = w.msiexec("/i", w.windows_path(self.msi1), log=os.path.join(self.work, "install.log"))
        self.assertEqual(rc, 0, "msiexec /i exited with %d (see install.log)" % rc)
        for name in ("vakt.exe", "magic.mgc", "vakt.yaml.default", "rules\\identity.yaml",
                     "rules\\osl.yaml", "rules\\policy.yaml"):
            self.assertTrue(os.path.isfile(w.unix_path(PROGRAM_DIR + "\\" + name)), name)
        with open(VAKT_EXE, "rb") as f:
            built = f.read()
        with open(w.unix_path(PROGRAM_DIR + "\\vakt.exe"), "rb") as f:
            installed = f.read()
        # The installed exe is the built one plus an Authenticode signature (v1 is signed).
        self.assertTrue(len(installed) > len(built))
        self.assertTrue(os.path.isfile(w.unix_path(SITE_CONFIG)))

        state = w.wait_service(SERVICE, "RUNNING", timeout=60)
        self.assertEqual(state, "RUNNING", "service state after install: %s" % state)
        # What the SCM was told (wine's sc has no `qc`; the service's registry key is the same).
        rc, out, _ = w.reg_query("HKLM\\System\\CurrentControlSet\\Services\\" + SERVICE)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"Start\s+REG_DWORD\s+0x2\b")            # automatic
        self.assertRegex(out, r"ObjectName\s+REG_SZ\s+LocalSystem\b")
        self.assertRegex(out, r"Type\s+REG_DWORD\s+0x10\b")           # own process
        self.assertRegex(out, r"ImagePath\s+REG_SZ\s+.*\\Vakt\\vakt\.exe\"? service run --config "
                              r"\"C:\\ProgramData\\Vakt\\vakt\.yaml\"")
        rc, out, _ = w.reg_query(EVENT_SOURCE, "EventMessageFile")
        self.assertEqual(rc, 0, "no Event Log source " + EVENT_SOURCE)
        self.assertIn("\\Vakt\\vakt.exe", out)
        self.assertEqual([v for _, v in w.installed_products("Vakt")], [self.v1])
        self.done.add("2")

    # --- 3 -----------------------------------------------------------------------------------
    def test_3_quarantines_class3_document_from_onedrive(self):
        self.require("2")
        w = self.wine
        sids = w.user_sids()
        self.assertTrue(sids, "no user SID under HKEY_USERS")
        onedrive_win = w.user_profile() + "\\" + ONEDRIVE_NAME
        onedrive_unix = w.unix_path(onedrive_win)
        os.makedirs(os.path.join(onedrive_unix, "Socialtjänst"), exist_ok=True)
        log_unix = w.unix_path(LOG_FILE)

        def read_events():
            try:
                with open(log_unix, encoding="utf-8", errors="replace") as f:
                    return [json.loads(line) for line in f if line.strip()]
            except (OSError, ValueError):
                return []

        # A user signing in to OneDrive while the agent runs: the service finds the folder on
        # its next discovery pass (a registry notification, else every 60 s) and reconciles it.
        # Wait (bounded) for that, so the document below reaches the live watcher.
        mark = len(read_events())
        w.reg_add("HKEY_USERS\\%s\\Software\\Microsoft\\OneDrive\\Accounts\\Business1"
                  % sids[0], "UserFolder", onedrive_win)
        wait_until(lambda: [e for e in read_events()[mark:]
                            if field(e, "event.action") in ("reconcile-finished",
                                                            "rescan-finished")],
                   DISCOVERY_TIMEOUT, interval=1)
        doc = os.path.join(onedrive_unix, "Socialtjänst", DOC_NAME)
        payload = CLASS3_TEXT.encode("utf-8")
        with open(doc, "wb") as f:
            f.write(payload)
        digest = hashlib.sha256(payload).hexdigest()
        type(self).doc_unix = doc

        quarantine_unix = w.unix_path(QUARANTINE_DIR)

        def find_copy():
            if os.path.exists(doc) or not os.path.isdir(quarantine_unix):
                return None
            for root, _, files in os.walk(quarantine_unix):
                for name in files:
                    p = os.path.join(root, name)
                    try:
                        if os.path.getsize(p) == len(payload) and sha256_file(p) == digest:
                            return p
                    except OSError:
                        continue
            return None

        copy = wait_until(find_copy, QUARANTINE_TIMEOUT, interval=1)
        log_text = ""
        if os.path.isfile(log_unix):
            with open(log_unix, encoding="utf-8", errors="replace") as f:
                log_text = f.read()
        self.assertFalse(os.path.exists(doc),
                         "the class-3 document is still in OneDrive after %.0f s; log tail:\n%s"
                         % (QUARANTINE_TIMEOUT, log_text[-3000:]))
        self.assertIsNotNone(copy, "no byte-identical copy under " + QUARANTINE_DIR)
        with open(copy, "rb") as f:
            self.assertEqual(f.read(), payload)
        type(self).quarantined_copy = copy

        # The ECS log names the file, masked, and never holds the number in clear.
        events = [json.loads(line) for line in log_text.splitlines() if line.strip()]
        hits = [e for e in events if field(e, "event.action") == "file-quarantined"]
        self.assertTrue(hits, "no file-quarantined event in " + LOG_FILE)
        ev = hits[-1]
        self.assertEqual(field(ev, "file.name"), DOC_NAME_MASKED)
        self.assertTrue(str(field(ev, "file.path", "")).endswith(DOC_NAME_MASKED),
                        field(ev, "file.path"))
        self.assertEqual(field(ev, "vakt.class"), 3)
        self.assertEqual(field(ev, "file.hash.sha256"), digest)
        assert_no_clear_values(self, log_text, "ECS log")
        self.done.add("3")

    # --- 4 -----------------------------------------------------------------------------------
    def test_4_upgrade_in_place(self):
        self.require("2")
        w = self.wine
        site = w.unix_path(SITE_CONFIG)
        with open(site, "a", encoding="utf-8") as f:
            f.write(SITE_EDIT)
        rc = w.msiexec("/i", w.windows_path(self.msi2), log=os.path.join(self.work, "upgrade.log"))
        self.assertEqual(rc, 0, "msiexec upgrade exited with %d (see upgrade.log)" % rc)
        self.assertEqual([v for _, v in w.installed_products("Vakt")], [self.v2])
        state = w.wait_service(SERVICE, "RUNNING", timeout=60)
        self.assertEqual(state, "RUNNING", "service state after upgrade: %s" % state)
        with open(site, encoding="utf-8") as f:
            self.assertTrue(f.read().endswith(SITE_EDIT), "the upgrade overwrote " + SITE_CONFIG)
        with open(VAKT_EXE, "rb") as f:
            built = f.read()
        with open(w.unix_path(PROGRAM_DIR + "\\vakt.exe"), "rb") as f:
            self.assertEqual(f.read(), built, "v2 (unsigned) did not replace vakt.exe")
        if "3" in self.done:
            with open(self.quarantined_copy, "rb") as f:
                self.assertEqual(f.read(), CLASS3_TEXT.encode("utf-8"))
        # A lower version must not install over the higher one (MSI error 1603 -> 67 in wine).
        rc = w.msiexec("/i", w.windows_path(self.msi1), log=os.path.join(self.work, "down.log"))
        self.assertNotEqual(rc, 0, "a downgrade was accepted")
        self.assertEqual([v for _, v in w.installed_products("Vakt")], [self.v2])
        self.done.add("4")

    # --- 5 -----------------------------------------------------------------------------------
    def test_5_uninstall_keeps_quarantine_and_log(self):
        self.require("2")
        w = self.wine
        rc = w.msiexec("/x", w.windows_path(self.msi2), log=os.path.join(self.work, "remove.log"))
        self.assertEqual(rc, 0, "msiexec /x exited with %d (see remove.log)" % rc)
        self.assertIsNone(w.wait_service(SERVICE, None, timeout=60), "service still registered")
        self.assertEqual(w.installed_products("Vakt"), [])
        self.assertFalse(os.path.exists(w.unix_path(PROGRAM_DIR)), PROGRAM_DIR + " left behind")
        rc, out, _ = w.reg_query(EVENT_SOURCE, "EventMessageFile")
        self.assertNotEqual(rc, 0, "Event Log source left behind: " + out)
        self.assertTrue(os.path.isfile(w.unix_path(SITE_CONFIG)), "site config removed")
        if "3" in self.done:
            with open(self.quarantined_copy, "rb") as f:
                self.assertEqual(f.read(), CLASS3_TEXT.encode("utf-8"))
            self.assertTrue(os.path.isfile(w.unix_path(LOG_FILE)), "log removed")
        else:
            self.fail("blocked: step 3 (quarantine) did not pass, so there was nothing to keep")


if __name__ == "__main__":
    unittest.main()
