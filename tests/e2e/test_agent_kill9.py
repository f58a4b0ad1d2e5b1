"""kill -9 during quarantine: start `vakt run`, write many class-3 files, kill -9 at random
moments, restart, and assert every file is whole in exactly one place and the ledger agrees.
The quarantine folder is on another file system when one is available (/dev/shm), so the
copy → fsync → verify → delete path is the one interrupted."""
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from agent_harness import AgentProcess, CLASS3_TEXT, VAKT, field, sha256, temp_root, write

FILES = 40


def content(i):
    # ~2 MiB each so a kill often lands inside a copy (copy, fsync, re-read, verify, delete).
    return (CLASS3_TEXT + ("Rad %d med utfyllnad för att filen ska bli större.\n" % i) * 40000).encode()


class AgentKill9Test(unittest.TestCase):
    def test_kill9_during_quarantine_leaves_every_file_whole_in_one_place(self):
        root = temp_root(self)
        qdir = os.path.join(root, "quarantine")
        if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
            shm = tempfile.mkdtemp(prefix="vakt-e2e-q-", dir="/dev/shm")
            self.addCleanup(shutil.rmtree, shm, True)
            qdir = os.path.join(shm, "quarantine")
        agent = AgentProcess(root, quarantine=qdir)
        od = agent.watch[0]
        expected = {}
        rng = random.Random(4711)
        agent.start()
        written = 0
        for round_no in range(5):
            batch = FILES // 5
            for i in range(written, written + batch):
                p = os.path.join(od, "mapp%d" % (i % 3), "elev-%02d.txt" % i)
                write(p, content(i))
                expected[p] = sha256(p)
            written += batch
            time.sleep(rng.uniform(0.25, 0.9))
            agent.kill9()
            agent.start(wait_ready=(round_no == 4))
            if round_no < 4:
                time.sleep(rng.uniform(0.0, 0.3))
        agent.wait_idle(timeout=90)
        self.assertEqual(agent.stop(), 0)

        ledger = agent.ledger()
        self.assertFalse([e for e in ledger if e["state"] in ("pending", "restoring")], ledger)
        by_path = {}
        for e in ledger:
            if e["state"] == "quarantined":
                self.assertNotIn(e["original_path"], by_path, "quarantined twice")
                by_path[e["original_path"]] = e
        for p, digest in expected.items():
            in_place = os.path.exists(p)
            entry = by_path.get(p)
            in_quarantine = entry is not None and os.path.exists(entry["stored_path"])
            if in_place == in_quarantine:
                self.fail("%s: in place %s, in quarantine %s\nledger: %s\nevents: %s\nquarantine files: %s" %
                          (p, in_place, in_quarantine,
                           [e for e in ledger if e["original_path"] == p],
                           [e for e in agent.events(0) if p in json.dumps(e)],
                           sorted(os.listdir(os.path.join(qdir, "files")))))
            where = p if in_place else entry["stored_path"]
            self.assertEqual(sha256(where), digest, where)
            if entry is not None:
                self.assertEqual(entry["sha256"], digest)
        # Settled: with the agent running to completion, everything flagged ended in quarantine.
        self.assertEqual(len(by_path), FILES)
        # No partial copies left anywhere.
        for d in (od, os.path.join(qdir, "files")):
            for _, _, names in os.walk(d):
                self.assertFalse([n for n in names if n.endswith(".vakt-partial")])
        recovered = [e for e in agent.events(0) if field(e, "event.action") == "quarantine-recovered"]
        print("kill -9 rounds: 5, files: %d, recovered entries: %d" % (FILES, len(recovered)))


    def test_a_killed_restore_is_rolled_back_while_the_agent_runs(self):
        # A helpdesk restore across file systems writes "<name>.vakt-partial" in the sync folder
        # and renames it when verified. Killed in between, the partial copy (a quarantined file's
        # bytes) must not sit there, syncing, until the agent's next start.
        if not (os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)):
            self.skipTest("needs a second file system (/dev/shm)")
        root = temp_root(self)
        shm = tempfile.mkdtemp(prefix="vakt-e2e-q-", dir="/dev/shm")
        self.addCleanup(shutil.rmtree, shm, True)
        qdir = os.path.join(shm, "quarantine")
        agent = AgentProcess(root, quarantine=qdir).start()
        od = agent.watch[0]
        big = os.path.join(od, "stor.txt")
        write(big, CLASS3_TEXT.encode() + b"Rad med utfyllnad till en stor fil.\n" * 5_000_000)
        digest = sha256(big)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined")
        entry = [e for e in agent.ledger() if e["state"] == "quarantined"][0]
        caught = False
        for _ in range(3):
            since = agent._log_size()
            restore = subprocess.Popen([VAKT, "quarantine", "restore", entry["id"],
                                        "--quarantine-dir", qdir],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 30
            while time.time() < deadline and restore.poll() is None:
                if any(n.endswith(".vakt-partial") for n in os.listdir(od)):
                    restore.send_signal(signal.SIGKILL)
                    caught = True
                    break
                time.sleep(0.001)
            restore.wait()
            if caught:
                break
            # Finished before it could be cut: put it back in quarantine and try again.
            agent.wait_for(lambda e: field(e, "event.action") in ("file-quarantined",
                                                                   "quarantine-skipped"),
                           since=since)
            if os.path.exists(big):
                self.skipTest("restore finished before it could be interrupted")
        if not caught:
            self.skipTest("restore finished before it could be interrupted")
        agent.wait_for(lambda e: field(e, "event.action") == "quarantine-recovered", since=since)
        self.assertFalse([n for n in os.listdir(od) if n.endswith(".vakt-partial")])
        ledger = {e["id"]: e for e in agent.ledger()}
        state = ledger[entry["id"]]["state"]
        self.assertIn(state, ("quarantined", "restored"))
        where = ledger[entry["id"]]["stored_path"] if state == "quarantined" else big
        self.assertEqual(sha256(where), digest)
        self.assertEqual(agent.stop(), 0)


if __name__ == "__main__":
    unittest.main()
