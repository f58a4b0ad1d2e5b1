"""Shared helpers for the Windows end-to-end tests: a wine prefix, vakt.exe run under wine, the
registry, the service control manager and path mapping. Not a test file itself.

Environment (scripts/test-windows sets all of them):
  VAKT_EXE         the cross-built vakt.exe (required; tests skip without it)
  WINEPREFIX       a prefix made by scripts/test-windows (fresh per run); without it a test class
                   makes its own under a temporary folder
  VAKT_SOURCE_DIR  the repository (for packaging/windows/build-msi and rules/)

Wine pitfalls handled here (found by the prototype):
  - wine's system processes (wineserver, services.exe, explorer.exe) outlive the command that
    started them and inherit its stdout/stderr. A test that captures output through a pipe would
    then wait for an EOF that never comes. Every wine command here writes into temporary files,
    never pipes, and the prefix is booted with its output on /dev/null.
  - A service started while no persistent wineserver runs dies with the process that started it:
    `wineserver -w` (let the boot finish) then `wineserver -p` (stay up) before any `sc start`.
Every wait is bounded.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

VAKT_EXE = os.environ.get("VAKT_EXE", "")
SOURCE_DIR = os.environ.get(
    "VAKT_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
WINE = os.environ.get("VAKT_WINE", "wine")
WINESERVER = os.environ.get("VAKT_WINESERVER", "wineserver")

# Skatteverket test personnummer only (they pass Luhn); never a real person's number.
TEST_PNR = "19990604-2388"
TEST_PNR_SHORT = "990604-2388"
OSL_MARKING = "Sekretess enligt 26 kap. 1 § OSL"
CLASS3_TEXT = (
    "Socialtjänsten, Testby kommun\n"
    + OSL_MARKING + "\n"
    "Orosanmälan enligt 14 kap. 1 § SoL\n"
    "Barnets personnummer: " + TEST_PNR + "\n"
    "Anmälaren är orolig för barnets hemsituation.\n")
CLEAN_TEXT = ("Minnesanteckningar från arbetsmöte 2026-11-12.\n"
              "Vi planerade sommarlovets aktiviteter; budgeten är 850 000 kr.\n")
# Any personnummer-shaped value in clear; masked values ("19990604-****") never match.
CLEAR_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{2})?\d{6}[-+]?\d{4}(?![0-9])")
CLEAR_FORMS = ("199906042388", "19990604-2388", "9906042388", "990604-2388")


def assert_no_clear_values(test, text, what="output"):
    for form in CLEAR_FORMS:
        test.assertNotIn(form, text, "a matched value was printed in clear in the " + what)


class WinePrefix:
    """One wine prefix: boots it, runs programs in it, maps paths, reads the registry."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.env = dict(os.environ)
        self.env.update({
            "WINEPREFIX": self.path,
            "WINEDEBUG": os.environ.get("WINEDEBUG", "-all"),
            # No Mono/Gecko installer dialogs in a headless run.
            "WINEDLLOVERRIDES": "mscoree,mshtml=",
            "WINEARCH": "win64",
            "LC_ALL": "C.UTF-8",
        })

    # --- life cycle --------------------------------------------------------------------------
    @classmethod
    def create(cls, path, timeout=300):
        """A fresh prefix at `path` (which must not exist yet), booted and held up."""
        if os.path.exists(path):
            raise RuntimeError("wine prefix already exists: " + path)
        prefix = cls(path)
        prefix._quiet([WINE, "wineboot", "-i"], timeout)
        prefix.hold()
        return prefix

    def hold(self, timeout=120):
        """wineserver -w (boot finished), -p (stay up), then start the system processes with
        their output on /dev/null so no later command's pipes are held by them."""
        self._quiet([WINESERVER, "-w"], timeout)
        self._quiet([WINESERVER, "-p"], 30)
        self._quiet([WINE, "cmd", "/c", "exit"], timeout)

    def shutdown(self, timeout=60):
        """Stops every process of the prefix (services included) and its wineserver."""
        self._quiet([WINESERVER, "-k"], timeout, check=False)
        self._quiet([WINESERVER, "-w"], timeout, check=False)

    def _quiet(self, argv, timeout, check=True):
        proc = subprocess.run(argv, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout, start_new_session=False)
        if check and proc.returncode != 0:
            raise RuntimeError("%s exited with %d" % (" ".join(argv), proc.returncode))
        return proc.returncode

    # --- running programs --------------------------------------------------------------------
    def run(self, *args, timeout=120, cwd=None):
        """Runs `wine args...`; returns (exit code, stdout, stderr) as text. Output goes through
        temporary files (see the module note on pipes). Wine reports exit codes modulo 256."""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.run([WINE, *[str(a) for a in args]], env=self.env, cwd=cwd,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                  timeout=timeout)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", errors="replace").replace("\r\n", "\n")
            stderr = err.read().decode("utf-8", errors="replace").replace("\r\n", "\n")
        # The Debian wrapper warns about a missing wine32 on every call; not the program's words.
        stderr = "\n".join(line for line in stderr.split("\n")
                           if "wine32" not in line and "multiarch" not in line
                           and "dpkg --add-architecture" not in line
                           and "apt-get install wine32" not in line)
        return proc.returncode, stdout, stderr.strip()

    def vakt(self, *args, timeout=120, exe=None):
        return self.run(exe or VAKT_EXE, *args, timeout=timeout)

    # --- paths -------------------------------------------------------------------------------
    @property
    def drive_c(self):
        return os.path.join(self.path, "drive_c")

    def unix_path(self, windows_path):
        """C:\\ProgramData\\Vakt -> <prefix>/drive_c/ProgramData/Vakt; Z:\\x -> /x."""
        m = re.match(r"^([A-Za-z]):[\\/](.*)$", windows_path)
        if not m:
            raise ValueError("not an absolute Windows path: " + windows_path)
        rest = m.group(2).replace("\\", "/")
        drive = m.group(1).upper()
        if drive == "C":
            return os.path.join(self.drive_c, rest)
        if drive == "Z":
            return "/" + rest
        raise ValueError("no mapping for drive " + drive)

    def windows_path(self, unix_path):
        """The inverse: a path under drive_c becomes C:\\..., anything else Z:\\..."""
        p = os.path.abspath(unix_path)
        if p == self.drive_c or p.startswith(self.drive_c + os.sep):
            return "C:\\" + os.path.relpath(p, self.drive_c).replace("/", "\\").lstrip(".")
        return "Z:" + p.replace("/", "\\")

    # --- registry and services ---------------------------------------------------------------
    def reg_add(self, key, name, value, kind="REG_SZ"):
        rc, out, err = self.run("reg", "add", key, "/v", name, "/t", kind, "/d", value, "/f")
        if rc != 0:
            raise RuntimeError("reg add %s failed (%d): %s %s" % (key, rc, out, err))

    def reg_query(self, key, name=None):
        args = ["reg", "query", key] + (["/v", name] if name else [])
        return self.run(*args)

    def user_sids(self):
        """SIDs of the user profiles loaded under HKEY_USERS (S-1-5-21-...)."""
        rc, out, _ = self.reg_query("HKEY_USERS")
        return re.findall(r"HKEY_USERS\\(S-1-5-21-[0-9-]+)\s*$", out, re.M) if rc == 0 else []

    def user_profile(self):
        """C:\\users\\<name> of the interactive wine user."""
        users = os.path.join(self.drive_c, "users")
        names = [n for n in sorted(os.listdir(users))
                 if n not in ("Public", "Default") and os.path.isdir(os.path.join(users, n))]
        if not names:
            raise RuntimeError("no user profile under " + users)
        return "C:\\users\\" + names[0]

    def service_state(self, name):
        """'RUNNING', 'STOPPED', ... or None when the service does not exist."""
        rc, out, _ = self.run("sc", "query", name, timeout=60)
        m = re.search(r"STATE\s*:\s*\d+\s+(\w+)", out)
        if rc != 0 or not m:
            return None
        return m.group(1)

    def wait_service(self, name, wanted, timeout=60):
        """Waits (bounded) until the state is `wanted` (None: gone); returns the last state."""
        deadline = time.time() + timeout
        state = self.service_state(name)
        while state != wanted and time.time() < deadline:
            time.sleep(1)
            state = self.service_state(name)
        return state

    def helper(self, name):
        """tests/windows/NAME.c built with mingw-w64 into the prefix once; returns the .exe path."""
        exe = os.path.join(self.path, "vakt-test-%s.exe" % name)
        if not os.path.isfile(exe):
            src = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".c")
            subprocess.run([os.environ.get("VAKT_MINGW_CC", "x86_64-w64-mingw32-gcc-posix"),
                            "-municode", "-O2", "-Wall", "-Wextra", "-Werror", "-static", "-o",
                            exe, src], check=True, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=120)
        return exe

    def control_service(self, name, code, timeout=60):
        """Sends control `code` to service `name` (wine's sc.exe has no `control`, so
        service_control.c does it). Returns (rc, stdout, stderr)."""
        return self.run(self.helper("service_control"), name, str(code), timeout=timeout)

    def hold_open(self, source, target, seconds, timeout=120):
        """Creates `target` (Windows path) from `source` (Windows path) and keeps it open the way
        Word does, for `seconds` (hold_open.c). Returns (rc, stdout, stderr) when it closed it."""
        return self.run(self.helper("hold_open"), source, target, str(seconds), timeout=timeout)

    def msiexec(self, *args, timeout=600, log=None):
        """wine msiexec /qn ...; returns the exit code (modulo 256: 1603 reads as 67)."""
        extra = ["/l*v", self.windows_path(log)] if log else []
        rc, _, _ = self.run("msiexec", "/qn", *args, *extra, timeout=timeout)
        return rc

    def installed_products(self, display_name):
        """(product code, DisplayVersion) of every installed product called `display_name`."""
        base = "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
        rc, out, _ = self.reg_query(base)
        found = []
        for code in re.findall(r"\\(\{[0-9A-Fa-f-]{36}\})\s*$", out, re.M):
            rc2, props, _ = self.reg_query(base + "\\" + code)
            if rc2 == 0 and re.search(r"DisplayName\s+REG_SZ\s+%s\s*$" % re.escape(display_name),
                                      props, re.M):
                ver = re.search(r"DisplayVersion\s+REG_SZ\s+(\S+)", props)
                found.append((code, ver.group(1) if ver else ""))
        return found


def wait_until(predicate, timeout, interval=0.5):
    """Calls predicate until it returns something truthy or `timeout` seconds pass."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)


class WineTestCase(unittest.TestCase):
    """Gives each test class a prefix: $WINEPREFIX if set, else its own fresh one."""

    own_prefix = False   # True: always make a fresh prefix for this class

    @classmethod
    def setUpClass(cls):
        if not VAKT_EXE or not os.path.isfile(VAKT_EXE):
            raise unittest.SkipTest("VAKT_EXE does not name the cross-built vakt.exe")
        if shutil.which(WINE) is None:
            raise unittest.SkipTest("wine is not installed")
        cls._tmp = tempfile.mkdtemp(prefix="vakt-wine-")
        shared = os.environ.get("WINEPREFIX")
        if shared and not cls.own_prefix:
            cls.wine = WinePrefix(shared)
            cls._made_prefix = False
        else:
            cls.wine = WinePrefix.create(os.path.join(cls._tmp, "prefix"))
            cls._made_prefix = True

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "_made_prefix", False):
            cls.wine.shutdown()
        shutil.rmtree(getattr(cls, "_tmp", ""), ignore_errors=True)
