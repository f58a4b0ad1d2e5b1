"""Faults the agent must survive: a file it may not read (permission denied; the agent runs as
`nobody` through setpriv, so this needs root to set up), and a file locked by another program
(an exclusive lock held while the agent scans and moves it), and a file another program still
holds open for writing (never moved while open; deferred, then moved once it is closed)."""
import fcntl
import os
import shutil
import stat
import time
import unittest

from agent_harness import AgentProcess, CLASS2_TEXT, CLASS3_TEXT, field, sha256, temp_root, write


class AgentFaultTest(unittest.TestCase):
    def test_permission_denied_is_reported_unscannable_never_clean(self):
        if os.geteuid() != 0 or shutil.which("setpriv") is None:
            self.skipTest("needs root and setpriv to run the agent as another user")
        root = temp_root(self)
        os.chmod(root, 0o777)
        agent = AgentProcess(root)
        os.chmod(agent.watch[0], 0o777)  # state, log and quarantine: the agent creates them
        for dirpath, _, names in os.walk(agent.rules_dir):
            os.chmod(dirpath, 0o755)
            for n in names:
                os.chmod(os.path.join(dirpath, n), 0o644)
        base_args = agent.args
        agent.args = lambda: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              "--"] + base_args()
        agent.start()
        secret = os.path.join(agent.watch[0], "privat.txt")
        with open(secret + ".part", "w", encoding="utf-8") as f:
            f.write(CLASS3_TEXT)
        os.chmod(secret + ".part", 0o600)  # root's file: nobody may not read it
        os.rename(secret + ".part", secret)
        digest = sha256(secret)
        ev = agent.wait_scanned(secret)
        self.assertIn(field(ev, "vakt.status"), ("unscannable", "partial", "error"))
        self.assertNotEqual(field(ev, "vakt.status"), "scanned")
        self.assertIn("ermission", field(ev, "vakt.reason", ""))
        # Fail closed: unscannable files are quarantined by default.
        q = agent.wait_for(lambda e: field(e, "event.action") in ("file-quarantined", "quarantine-failed")
                           and field(e, "file.path") == secret)[0]
        self.assertEqual(field(q, "event.action"), "file-quarantined")
        stored = os.path.join(agent.quarantine_dir, "files", field(q, "vakt.quarantine.id"))
        self.assertEqual(sha256(stored), digest)
        self.assertEqual(agent.stop(), 0)

    def test_file_locked_by_another_program_is_still_handled(self):
        root = temp_root(self)
        agent = AgentProcess(root).start()
        p = os.path.join(agent.watch[0], "låst.txt")
        with open(p, "w", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(CLASS2_TEXT)
            f.flush()
            os.fsync(f.fileno())
            held = os.open(p, os.O_RDONLY)  # keep it open (and locked) while the agent works
            self.addCleanup(os.close, held)
        fcntl.flock(held, fcntl.LOCK_EX)
        q = agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                           and field(e, "file.path") == p)[0]
        self.assertEqual(field(q, "vakt.class"), 2)
        self.assertEqual(agent.stop(), 0)


    def test_file_open_for_writing_is_deferred_then_quarantined_when_closed(self):
        root = temp_root(self)
        agent = AgentProcess(root).start()
        p = os.path.join(agent.watch[0], "öppen utredning.txt")
        writer = os.open(p, os.O_WRONLY | os.O_CREAT, 0o644)  # like an editor keeping it open
        closed = False

        def close_writer():
            if not closed:
                os.close(writer)
        self.addCleanup(close_writer)
        write(p, CLASS3_TEXT)  # a second handle writes and closes: the agent scans it now
        digest = sha256(p)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "quarantine-deferred"
                            and field(e, "file.path") == p)[0]
        self.assertIn("in use by another program", field(ev, "vakt.reason"))
        self.assertEqual(field(ev, "vakt.attempt"), 1)
        self.assertEqual(field(ev, "vakt.retry_in_s"), 15)
        self.assertEqual(field(ev, "vakt.class"), 3)
        self.assertEqual(sha256(p), digest)  # untouched while open
        self.assertFalse(any(field(e, "event.action") in ("file-quarantined", "quarantine-failed")
                             for e in agent.events()))
        os.close(writer)
        closed = True
        t0 = time.monotonic()
        q = agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                           and field(e, "file.path") == p)[0]
        # Brought forward by the close event, not left to the 15-second retry.
        self.assertLess(time.monotonic() - t0, 10)
        self.assertFalse(os.path.exists(p))
        stored = os.path.join(agent.quarantine_dir, "files", field(q, "vakt.quarantine.id"))
        self.assertEqual(sha256(stored), digest)
        agent.wait_status(lambda st: st.get("counters", {}).get("deferred", 0) >= 1)
        self.assertEqual(agent.stop(), 0)


if __name__ == "__main__":
    unittest.main()
