"""Safety of the root agent in users' folders, end to end: a personnummer in a file name never
reaches the log, the note's name or text, or `vakt quarantine list`; the note belongs to the
file's owner and is readable; a restore waits for nothing and the restored file stays put.
Runs as root in CI (the ownership checks need it)."""
import json
import os
import unittest

from agent_harness import (AgentProcess, CLASS3_TEXT, field, run_vakt, sha256, temp_root, write)

PNR = "19990604-2388"
MASKED_NOTE = "19990604-XXXX utredning.txt.vakt.txt"


class AgentSafetyTest(unittest.TestCase):
    def test_personnummer_in_file_name_is_masked_and_note_belongs_to_owner(self):
        root = temp_root(self)
        agent = AgentProcess(root).start()
        od = agent.watch[0]
        part = write(os.path.join(od, "tmp.part"), CLASS3_TEXT)
        if os.geteuid() == 0:
            os.chown(part, 4242, 4343)
        name = os.path.join(od, PNR + " utredning.txt")
        digest = sha256(part)
        os.rename(part, name)
        ev = agent.wait_for(lambda e: field(e, "event.action") in ("file-quarantined",
                                                                   "quarantine-failed"))[0]
        self.assertEqual(field(ev, "event.action"), "file-quarantined", field(ev, "vakt.reason"))
        self.assertFalse(os.path.exists(name))
        note = os.path.join(od, MASKED_NOTE)
        self.assertTrue(os.path.exists(note), os.listdir(od))
        with open(note, encoding="utf-8") as f:
            self.assertNotIn(PNR, f.read())
        st = os.stat(note)
        self.assertEqual(st.st_mode & 0o777, 0o644)
        if os.geteuid() == 0:
            self.assertEqual((st.st_uid, st.st_gid), (4242, 4343))
        self.assertNotIn(PNR, agent.raw_log())
        self.assertIn("19990604-****", field(ev, "file.path"))

        listed = run_vakt("quarantine", "list", "--quarantine-dir", agent.quarantine_dir)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertNotIn(PNR, listed.stdout)
        as_json = run_vakt("quarantine", "list", "--json", "--quarantine-dir", agent.quarantine_dir)
        self.assertNotIn(PNR, as_json.stdout)
        qid = json.loads(as_json.stdout)[0]["id"]

        # Restore while the agent runs: back at the real name, not quarantined again.
        mark = agent._log_size()
        r = run_vakt("quarantine", "restore", qid, "--quarantine-dir", agent.quarantine_dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(PNR, r.stdout)
        self.assertEqual(sha256(name), digest)
        agent.wait_for(lambda e: field(e, "event.action") == "quarantine-skipped", since=mark)
        self.assertTrue(os.path.exists(name))
        self.assertFalse(os.path.exists(note))

        # A failed restore is exit 4, not 1 ("flagged").
        r = run_vakt("quarantine", "restore", qid, "--quarantine-dir", agent.quarantine_dir)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertEqual(agent.stop(), 0)

    def test_damaged_ledger_is_kept_and_flagged_files_are_held(self):
        root = temp_root(self)
        agent = AgentProcess(root)
        os.makedirs(agent.quarantine_dir, mode=0o700)
        ledger = os.path.join(agent.quarantine_dir, "ledger.sqlite")
        write(ledger, "x" * 8192)
        agent.start()
        agent.wait_for(lambda e: field(e, "event.action") == "ledger-unavailable")
        flagged = write(os.path.join(agent.watch[0], "lista.txt"), CLASS3_TEXT)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "file-held")[0]
        self.assertIn("lista.txt", field(ev, "file.path"))
        self.assertTrue(os.path.exists(flagged))
        with open(ledger, encoding="utf-8") as f:
            self.assertEqual(f.read(), "x" * 8192)
        self.assertFalse([n for n in os.listdir(agent.quarantine_dir) if "corrupt" in n])
        r = run_vakt("quarantine", "list", "--quarantine-dir", agent.quarantine_dir)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertEqual(agent.stop(), 0)


if __name__ == "__main__":
    unittest.main()
