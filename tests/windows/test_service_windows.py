"""End-to-end test of the Windows service through its own CLI, under wine, step by step:

  1. `vakt.exe service install`: the service exists (LocalSystem, automatic start, quoted binary
     path with `service run --config`), stopped
  2. `vakt.exe service start`: RUNNING; the agent logs agent-started to the ECS log
  3. a class-3 document written from the Linux side into a watched folder is quarantined
     byte-identical (ReadDirectoryChangesW sees files Linux processes write)
     3a. a class-3 document a program holds open the way Word does (share-read only) is left in
     place and logged quarantine-deferred; once it is closed the timed retry quarantines it
  4. the injected watcher overflow (user control 128, since wine never overflows) makes the
     agent log watch-overflow and rescan (wine's sc.exe has no `control`; service_control.c)
  5. `vakt.exe service reload` and SERVICE_CONTROL_PARAMCHANGE reload the rules (rules-reloaded)
  6. `vakt.exe service stop`: STOPPED, agent-stopped logged
  7. `vakt.exe service uninstall`: the service and its Event Log source are gone

The configuration is the one the service reads by default, %ProgramData%\\Vakt\\vakt.yaml, written
here to watch a test folder instead of OneDrive. The number in the document is Skatteverket's test
personnummer; the log must never hold it in clear.
"""
import hashlib
import json
import os
import shutil
import time
import unittest

from wine_env import CLASS3_TEXT, WineTestCase, assert_no_clear_values, wait_until

SERVICE = "Vakt"
DATA_DIR = "C:\\ProgramData\\Vakt"
WATCHED = "C:\\vakt-e2e-service\\Delad mapp åäö"
CONFIG = """watch:
  onedrive: off
  folders: ['%(watched)s']
policy:
  fail_class: 2
  actions: {0: log, 1: log, 2: quarantine, 3: quarantine}
quarantine:
  dir: '%(data)s\\quarantine'
  helpdesk: "IT-servicedesk, telefon 0123-45 67 89"
state:
  dir: '%(data)s\\state'
log:
  file: '%(data)s\\log\\vakt.jsonl'
performance:
  coalesce_ms: 50
"""
EVENT_SOURCE = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Vakt"
TIMEOUT = float(os.environ.get("VAKT_WIN_QUARANTINE_TIMEOUT", "90"))


def field(event, dotted, default=None):
    node = event
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


class ServiceUnderWine(WineTestCase):
    done = set()

    def require(self, *steps):
        missing = [s for s in steps if s not in self.done]
        if missing:
            self.fail("blocked: needs step(s) %s, which did not pass" % ", ".join(missing))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        w = cls.wine
        if w.service_state(SERVICE) is not None:
            raise unittest.SkipTest("a service called Vakt already exists in this prefix")
        cls.data = w.unix_path(DATA_DIR)
        cls.watched = w.unix_path(WATCHED)
        shutil.rmtree(cls.data, ignore_errors=True)
        shutil.rmtree(os.path.dirname(cls.watched), ignore_errors=True)
        os.makedirs(cls.watched)
        os.makedirs(cls.data)
        with open(os.path.join(cls.data, "vakt.yaml"), "w", encoding="utf-8") as f:
            f.write(CONFIG % {"watched": WATCHED, "data": DATA_DIR})
        cls.log = w.unix_path(DATA_DIR + "\\log\\vakt.jsonl")

    @classmethod
    def tearDownClass(cls):
        w = getattr(cls, "wine", None)
        if w is not None and w.service_state(SERVICE) is not None:
            w.vakt("service", "uninstall", timeout=120)
        shutil.rmtree(os.path.dirname(getattr(cls, "watched", "/nonexistent/x")),
                      ignore_errors=True)
        super().tearDownClass()

    def events(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return []
        assert_no_clear_values(self, text, "ECS log")
        out = []
        for line in text.splitlines():
            if line.strip():
                out.append(json.loads(line))
        return out

    def wait_event(self, action, since=0, timeout=TIMEOUT):
        hits = wait_until(lambda: [e for e in self.events()[since:]
                                   if field(e, "event.action") == action], timeout)
        if not hits:
            tail = "\n".join(json.dumps(e, ensure_ascii=False) for e in self.events()[-10:])
            self.fail("no %s event within %.0f s; log tail:\n%s" % (action, timeout, tail))
        return hits

    def write_class3(self, name):
        path = os.path.join(self.watched, name)
        with open(path, "wb") as f:
            f.write(CLASS3_TEXT.encode("utf-8"))
        return path

    def find_in_quarantine(self, payload):
        digest = hashlib.sha256(payload).hexdigest()
        for root, _, files in os.walk(os.path.join(self.data, "quarantine")):
            for name in files:
                p = os.path.join(root, name)
                with open(p, "rb") as f:
                    if hashlib.sha256(f.read()).hexdigest() == digest:
                        return p
        return None

    def test_1_install(self):
        rc, out, err = self.wine.vakt("service", "install", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.wine.service_state(SERVICE), "STOPPED")
        rc, reg, _ = self.wine.reg_query("HKLM\\System\\CurrentControlSet\\Services\\" + SERVICE)
        self.assertEqual(rc, 0, reg)
        self.assertRegex(reg, r"Start\s+REG_DWORD\s+0x2\b")
        self.assertRegex(reg, r"ObjectName\s+REG_SZ\s+LocalSystem\b")
        self.assertRegex(reg, r'ImagePath\s+REG_\w+\s+"[^"]*\\vakt\.exe" service run --config '
                              r'"C:\\ProgramData\\Vakt\\vakt\.yaml"')
        self.done.add("1")

    def test_2_start(self):
        self.require("1")
        rc, out, err = self.wine.vakt("service", "start", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.wine.wait_service(SERVICE, "RUNNING", 60), "RUNNING")
        self.wait_event("agent-started")
        rc, out, err = self.wine.vakt("service", "status", timeout=60)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("running", (out + err).lower())
        self.done.add("2")

    def test_3_quarantine(self):
        self.require("2")
        time.sleep(2)   # let the watch settle after start
        path = self.write_class3("Utredning 19990604-2388.txt")
        payload = CLASS3_TEXT.encode("utf-8")
        wait_until(lambda: not os.path.exists(path), TIMEOUT, interval=0.5)
        self.assertFalse(os.path.exists(path), "class-3 file not taken out of the watched folder")
        stored = self.find_in_quarantine(payload)
        self.assertIsNotNone(stored, "no byte-identical copy in the quarantine")
        ev = self.wait_event("file-quarantined")[-1]
        self.assertEqual(field(ev, "file.name"), "Utredning 19990604-****.txt")
        self.done.add("3")

    def test_3a_file_held_open_is_deferred_then_quarantined(self):
        self.require("2")
        since = len(self.events())
        source = os.path.join(os.path.dirname(self.watched), "källa.txt")
        payload = (CLASS3_TEXT + "\nÖppnad i ordbehandlaren.\n").encode("utf-8")
        with open(source, "wb") as f:
            f.write(payload)
        target_win = WATCHED + "\\Öppen i Word 19990604-2388.txt"
        target = self.wine.unix_path(target_win)
        # Blocks while the document is held open (12 s), then closes it without writing.
        rc, out, err = self.wine.hold_open(self.wine.windows_path(source), target_win, 12)
        self.assertEqual(rc, 0, out + err)
        deferred = [e for e in self.events()[since:]
                    if field(e, "event.action") == "quarantine-deferred"]
        self.assertTrue(deferred, "the open document was not deferred")
        ev = deferred[0]
        self.assertEqual(field(ev, "file.name"), "Öppen i Word 19990604-****.txt")
        self.assertIn("in use by another program", field(ev, "vakt.reason"))
        self.assertEqual(field(ev, "vakt.retry_in_s"), 15)
        # Closed now: the retry (at most 15 s after the deferral) takes it out.
        wait_until(lambda: not os.path.exists(target), TIMEOUT, interval=0.5)
        self.assertFalse(os.path.exists(target), "held document not quarantined after it closed")
        self.assertIsNotNone(self.find_in_quarantine(payload), "no byte-identical copy")
        self.done.add("3a")

    def test_4_injected_overflow_rescans(self):
        self.require("2")
        mark = len(self.events())
        rc, out, err = self.wine.control_service(SERVICE, 128)
        self.assertEqual(rc, 0, out + err)
        self.wait_event("watch-overflow", since=mark)
        self.wait_event("rescan-finished", since=mark)
        self.assertEqual(self.wine.service_state(SERVICE), "RUNNING")
        self.done.add("4")

    def test_5_reload(self):
        self.require("2")
        mark = len(self.events())
        rc, out, err = self.wine.vakt("service", "reload", timeout=60)
        self.assertEqual(rc, 0, out + err)
        self.wait_event("rules-reloaded", since=mark)
        # What `sc control Vakt paramchange` sends on Windows (6: SERVICE_CONTROL_PARAMCHANGE).
        mark = len(self.events())
        rc, out, err = self.wine.control_service(SERVICE, 6)
        self.assertEqual(rc, 0, out + err)
        self.wait_event("rules-reloaded", since=mark)
        self.done.add("5")

    def test_6_stop(self):
        self.require("2")
        mark = len(self.events())
        rc, out, err = self.wine.vakt("service", "stop", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.wine.wait_service(SERVICE, "STOPPED", 60), "STOPPED")
        self.wait_event("agent-stopped", since=mark)
        self.done.add("6")

    def test_7_uninstall(self):
        self.require("1")
        rc, out, err = self.wine.vakt("service", "uninstall", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIsNone(self.wine.wait_service(SERVICE, None, 60), "service still registered")
        rc, out, _ = self.wine.reg_query(EVENT_SOURCE)
        self.assertNotEqual(rc, 0, "Event Log source left behind: " + out)


if __name__ == "__main__":
    unittest.main()
