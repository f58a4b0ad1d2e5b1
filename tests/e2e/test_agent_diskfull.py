"""Disk full during quarantine: the quarantine folder is a 1 MiB tmpfs (needs root to mount;
skipped otherwise — the unit tests inject ENOSPC through the FileOps interface too). A file too
big for it stays whole where it was, nothing partial is left, and the ledger says `failed`."""
import os
import subprocess
import unittest

from agent_harness import AgentProcess, CLASS2_TEXT, CLASS3_TEXT, field, sha256, temp_root, write


class AgentDiskFullTest(unittest.TestCase):
    def test_disk_full_keeps_the_original(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a small tmpfs needs root")
        root = temp_root(self)
        qdir = os.path.join(root, "qmount")
        os.makedirs(qdir)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", qdir],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest("cannot mount tmpfs here: " + r.stderr.strip())
        self.addCleanup(subprocess.run, ["umount", "-l", qdir])
        agent = AgentProcess(root, quarantine=os.path.join(qdir, "q")).start()
        od = agent.watch[0]
        big = write(os.path.join(od, "stor lista.txt"),
                    (CLASS3_TEXT + "x" * 200 + "\n") * 9000)  # ~2.5 MiB > 1 MiB tmpfs
        before = sha256(big)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "quarantine-failed"
                            and field(e, "file.path") == big)[0]
        self.assertIn("No space", field(ev, "vakt.reason"))
        self.assertEqual(sha256(big), before)
        self.assertFalse(os.path.exists(big + ".vakt.txt"))
        leftovers = os.listdir(os.path.join(qdir, "q", "files"))
        self.assertEqual(leftovers, [])
        # A small file still fits and is quarantined normally.
        small = write(os.path.join(od, "liten.txt"), CLASS2_TEXT)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == small)
        self.assertEqual(agent.stop(), 0)
        states = sorted(e["state"] for e in agent.ledger())
        self.assertEqual(states, ["failed", "quarantined"])


if __name__ == "__main__":
    unittest.main()
