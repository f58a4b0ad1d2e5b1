"""Shared helpers for the end-to-end tests: run the real `vakt` binary and check its output.

Not a test file itself (ctest runs tests/e2e/test_*.py). Stdlib only.
"""
import os
import re
import subprocess
import unittest

VAKT_BIN = os.environ.get("VAKT_BIN", "")
SOURCE_DIR = os.environ.get(
    "VAKT_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
)

# Skatteverket test personnummer (and Tolvan Tolvansson) only; every one passes Luhn.
TEST_PNR = [
    "19990604-2388",
    "19121212-1212",
    "19900327-2383",
    "19900401-2382",
    "19900415-2386",
    "19900503-2389",
    "19900517-2383",
    "19900602-2389",
    "19900614-2385",
    "19900708-2382",
    "19900722-2384",
    "19900811-2386",
    "19900905-2383",
    "19901017-2386",
]
SAMORDNINGSNUMMER = "701063-2391"
# Fails Luhn: a candidate the engine must reject with "bad checksum".
BAD_CHECKSUM = "19990604-2389"

# Any personnummer-shaped value with a separator, in clear. Masked values ("19990604-****")
# and hex pseudonyms never match this.
CLEAR_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{2})?\d{6}[-+]\d{4}(?![0-9])")


def clear_forms(pnr):
    """Every way the value could leak: 12/10 digits, with and without separator."""
    digits = pnr.replace("-", "").replace("+", "")
    long12 = digits if len(digits) == 12 else None
    short10 = digits[-10:]
    forms = {short10, short10[:6] + "-" + short10[6:]}
    if long12:
        forms |= {long12, long12[:8] + "-" + long12[8:]}
    return forms


ALL_CLEAR_FORMS = set()
for _p in TEST_PNR + [SAMORDNINGSNUMMER, BAD_CHECKSUM]:
    ALL_CLEAR_FORMS |= clear_forms(_p)


class VaktTestCase(unittest.TestCase):
    """Runs vakt with a timeout and checks that no clear value appears in its output."""

    @classmethod
    def setUpClass(cls):
        if not VAKT_BIN or not os.access(VAKT_BIN, os.X_OK):
            raise unittest.SkipTest("VAKT_BIN does not name the built vakt binary")

    def vakt(self, *args, cwd=None, timeout=60, check_clear=True):
        env = dict(os.environ)
        env.setdefault("LC_ALL", "C.UTF-8")
        proc = subprocess.run(
            [VAKT_BIN, *[str(a) for a in args]],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        out = proc.stdout.decode("utf-8", errors="replace")
        err = proc.stderr.decode("utf-8", errors="replace")
        if check_clear:
            self.assert_no_clear_values(out + err)
        return proc.returncode, out, err

    def assert_no_clear_values(self, text):
        for form in ALL_CLEAR_FORMS:
            self.assertNotIn(form, text, "a matched value was printed in clear")
        match = CLEAR_RE.search(text)
        self.assertIsNone(match, "a personnummer-shaped value was printed in clear: %r"
                          % (match.group(0) if match else None))
