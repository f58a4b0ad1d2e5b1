"""Tests of packaging/windows/build-msi without installing anything: the MSI's tables say what
Windows Installer will do (service, upgrade, the permanent site config, every rule pack), and the
signing paths work with a throwaway self-signed certificate made here by openssl — PEM
certificate + key, and PKCS#12 with a password — read back with `osslsigncode verify`, for the MSI
and for the vakt.exe inside it. Bad input fails with a message and leaves no MSI behind.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from wine_env import SOURCE_DIR, VAKT_EXE

BUILD_MSI = os.path.join(SOURCE_DIR, "packaging", "windows", "build-msi")
SIGN_VARS = ("VAKT_SIGN_CERT", "VAKT_SIGN_KEY", "VAKT_SIGN_KEY_PASS", "VAKT_SIGN_PKCS12",
             "VAKT_SIGN_PASSWORD", "VAKT_SIGN_TIMESTAMP_URL")


def run(argv, env=None, timeout=300):
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)


def msi_table(msi, table):
    """Rows of an MSI table as dicts (msiinfo export: names, types, key line, then rows)."""
    p = run(["msiinfo", "export", msi, table])
    if p.returncode != 0:
        raise AssertionError("msiinfo export %s failed: %s" % (table, p.stderr))
    lines = p.stdout.split("\n")
    names = lines[0].rstrip("\r").split("\t")
    return [dict(zip(names, line.rstrip("\r").split("\t"))) for line in lines[3:] if line.strip()]


class BuildMsi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not VAKT_EXE or not os.path.isfile(VAKT_EXE):
            raise unittest.SkipTest("VAKT_EXE does not name the cross-built vakt.exe")
        for tool in ("wixl", "msiinfo", "msiextract", "osslsigncode", "openssl"):
            if shutil.which(tool) is None:
                raise unittest.SkipTest(tool + " is not installed")
        cls.tmp = tempfile.mkdtemp(prefix="vakt-build-msi-")
        cls.key = os.path.join(cls.tmp, "key.pem")
        cls.cert = os.path.join(cls.tmp, "cert.pem")
        p = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cls.key,
                 "-out", cls.cert, "-days", "2", "-subj", "/CN=Vakt test signing (throwaway)",
                 "-addext", "extendedKeyUsage=codeSigning"])
        assert p.returncode == 0, p.stderr
        cls.pfx = os.path.join(cls.tmp, "cert.pfx")
        p = run(["openssl", "pkcs12", "-export", "-in", cls.cert, "-inkey", cls.key, "-out",
                 cls.pfx, "-passout", "pass:Hemligt-123"])
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(getattr(cls, "tmp", ""), ignore_errors=True)

    def build(self, out, *extra, sign_env=None):
        env = {k: v for k, v in os.environ.items() if k not in SIGN_VARS}
        env.update(sign_env or {})
        return run([BUILD_MSI, "--exe", VAKT_EXE, "--out", out, *extra], env=env)

    def verify(self, path):
        p = run(["osslsigncode", "verify", "-CAfile", self.cert, "-in", path])
        self.assertEqual(p.returncode, 0, p.stdout[-1500:] + p.stderr[-1500:])
        self.assertIn("Vakt test signing (throwaway)", p.stdout)

    def extract_exe(self, msi):
        dest = tempfile.mkdtemp(dir=self.tmp)
        p = run(["msiextract", "-C", dest, msi])
        self.assertEqual(p.returncode, 0, p.stderr)
        for root, _, files in os.walk(dest):
            if "vakt.exe" in files:
                return os.path.join(root, "vakt.exe")
        self.fail("no vakt.exe in " + msi)

    def test_tables_describe_service_upgrade_and_payload(self):
        msi = os.path.join(self.tmp, "plain.msi")
        p = self.build(msi, "--version", "1.2.3")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("unsigned", p.stdout)
        props = {r["Property"]: r["Value"] for r in msi_table(msi, "Property")}
        self.assertEqual(props["ProductVersion"], "1.2.3")
        self.assertEqual(props["UpgradeCode"], "{7CD106FF-7E66-4F10-80A7-4A6EACE814CC}")

        (svc,) = msi_table(msi, "ServiceInstall")
        self.assertEqual(svc["Name"], "Vakt")
        self.assertEqual(svc["DisplayName"], "Vakt DLP agent")
        self.assertEqual(svc["StartName"], "LocalSystem")
        self.assertEqual(svc["StartType"], "2")       # automatic
        self.assertEqual(svc["ServiceType"], "16")    # own process
        self.assertEqual(svc["Arguments"],
                         'service run --config "[CommonAppDataFolder]Vakt\\vakt.yaml"')
        (ctl,) = msi_table(msi, "ServiceControl")
        # start on install (1), stop on install (2) and uninstall (32), delete on uninstall (128)
        self.assertEqual(int(ctl["Event"]), 1 | 2 | 32 | 128)

        upgrades = msi_table(msi, "Upgrade")
        self.assertEqual({u["ActionProperty"] for u in upgrades},
                         {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"})
        sequence = {r["Action"] for r in msi_table(msi, "InstallExecuteSequence")}
        self.assertTrue({"RemoveExistingProducts", "InstallServices", "StartServices",
                         "StopServices", "DeleteServices"} <= sequence, sequence)

        seq = {r["Action"]: int(r["Sequence"]) for r in msi_table(msi, "InstallExecuteSequence")}
        # Major upgrade: the old product goes first, inside no transaction of the new one.
        self.assertLess(seq["InstallValidate"], seq["RemoveExistingProducts"])
        self.assertLess(seq["RemoveExistingProducts"], seq["InstallInitialize"])
        # `vakt.exe service install` (recovery actions) after the service exists, before it starts.
        (ca,) = [r for r in msi_table(msi, "CustomAction") if r["Action"] == "VaktServiceConfigure"]
        # exe from File (18), exit code ignored (64), deferred (1024), as SYSTEM (2048)
        self.assertEqual(int(ca["Type"]), 18 | 64 | 1024 | 2048)
        self.assertEqual(ca["Source"], "VaktExeFile")
        self.assertEqual(ca["Target"], "service install")
        self.assertLess(seq["InstallServices"], seq["VaktServiceConfigure"])
        self.assertLess(seq["VaktServiceConfigure"], seq["StartServices"])
        self.assertLess(seq["VaktServiceConfigure"], seq["InstallFinalize"])
        registry = {(r["Key"], r["Name"]): r["Value"] for r in msi_table(msi, "Registry")}
        source = "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Vakt"
        self.assertEqual(registry[(source, "EventMessageFile")], "[#VaktExeFile]")
        self.assertEqual(registry[(source, "TypesSupported")], "#7")

        components = {r["Component"]: r for r in msi_table(msi, "Component")}
        # Permanent (16) + NeverOverwrite (128) + 64-bit (256): the site config survives.
        self.assertEqual(components["SiteConfig"]["Attributes"], "400")
        self.assertEqual(components["SiteConfig"]["Directory_"], "DATADIR")
        files = {r["FileName"] for r in msi_table(msi, "File")}
        packs = {f for f in os.listdir(os.path.join(SOURCE_DIR, "rules")) if f.endswith(".yaml")}
        self.assertTrue(packs and packs <= files, packs - files)
        self.assertTrue({"vakt.exe", "magic.mgc", "vakt.yaml", "vakt.yaml.default"} <= files)
        with open(VAKT_EXE, "rb") as f, open(self.extract_exe(msi), "rb") as g:
            self.assertEqual(f.read(), g.read(), "unsigned build must ship vakt.exe unchanged")

    def test_pem_signing_signs_exe_and_msi(self):
        msi = os.path.join(self.tmp, "pem.msi")
        p = self.build(msi, sign_env={"VAKT_SIGN_CERT": self.cert, "VAKT_SIGN_KEY": self.key})
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("signed", p.stdout)
        self.verify(msi)
        self.verify(self.extract_exe(msi))

    def test_pkcs12_signing_with_password(self):
        msi = os.path.join(self.tmp, "pfx.msi")
        p = self.build(msi, sign_env={"VAKT_SIGN_PKCS12": self.pfx,
                                      "VAKT_SIGN_PASSWORD": "Hemligt-123"})
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.verify(msi)
        self.verify(self.extract_exe(msi))
        self.assertNotIn("Hemligt-123", p.stdout + p.stderr)

    def test_wrong_password_fails_without_output(self):
        msi = os.path.join(self.tmp, "wrong.msi")
        p = self.build(msi, sign_env={"VAKT_SIGN_PKCS12": self.pfx,
                                      "VAKT_SIGN_PASSWORD": "fel"})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("signing vakt.exe failed", p.stderr)
        self.assertFalse(os.path.exists(msi))

    def test_bad_input_is_refused(self):
        not_pe = os.path.join(self.tmp, "not-an-exe")
        with open(not_pe, "w") as f:
            f.write("#!/bin/sh\n")
        cases = [
            (["--version", "1.2"], "not an MSI version"),
            (["--version", "256.0.0"], "not an MSI version"),
            (["--magic", os.path.join(self.tmp, "missing.mgc")], "no such file"),
        ]
        for extra, message in cases:
            with self.subTest(extra=extra):
                msi = os.path.join(self.tmp, "bad.msi")
                p = self.build(msi, *extra)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn(message, p.stderr)
                self.assertFalse(os.path.exists(msi))
        p = run([BUILD_MSI, "--exe", not_pe, "--out", os.path.join(self.tmp, "x.msi")])
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a Windows executable", p.stderr)
        p = self.build(os.path.join(self.tmp, "y.msi"),
                       sign_env={"VAKT_SIGN_CERT": self.cert})   # key missing
        self.assertEqual(p.returncode, 2)
        self.assertIn("VAKT_SIGN_KEY", p.stderr)
        self.assertTrue(re.search(r"\S", p.stderr))


if __name__ == "__main__":
    unittest.main()
