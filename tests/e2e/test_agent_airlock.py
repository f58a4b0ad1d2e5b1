"""Airlock mode: users save into a local outbox; clean, fully scanned files move on into the
sync folder, flagged ones never get there (quarantined, or held with a note)."""
import os
import unittest

from agent_harness import (AgentProcess, CLASS2_TEXT, CLASS3_TEXT, CLEAN_TEXT, field, sha256,
                           temp_root, write)


def config(root, outbox, target, flagged="quarantine"):
    return write(os.path.join(root, "vakt.yaml"), """watch:
  onedrive: off
airlock:
  - outbox: %s
    target: %s
policy:
  fail_class: 2
  airlock_flagged: %s
quarantine:
  dir: %s
  helpdesk: Servicedesk 1234
log: {file: %s}
state: {dir: %s}
rules: {dir: %s}
performance: {coalesce_ms: 100}
""" % (outbox, target, flagged, os.path.join(root, "quarantine"), os.path.join(root, "log", "vakt.jsonl"),
       os.path.join(root, "state"), os.path.join(root, "rules")))


class AgentAirlockTest(unittest.TestCase):
    def run_airlock(self, flagged_policy):
        root = temp_root(self)
        outbox = os.path.join(root, "Utkorg")
        target = os.path.join(root, "OneDrive")
        agent = AgentProcess(root, watch=[], quarantine=None)
        agent.config = config(root, outbox, target, flagged_policy)
        agent.start()
        clean = write(os.path.join(outbox, "Protokoll", "möte.txt"), CLEAN_TEXT)
        digest = sha256(clean)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "file-forwarded"
                            and field(e, "file.path") == clean)[0]
        forwarded = os.path.join(target, "Protokoll", "möte.txt")
        self.assertEqual(field(ev, "vakt.target"), forwarded)
        self.assertFalse(os.path.exists(clean))
        self.assertEqual(sha256(forwarded), digest)
        flagged = write(os.path.join(outbox, "utredning.txt"), CLASS3_TEXT)
        person = write(os.path.join(outbox, "ansökan.txt"), CLASS2_TEXT)
        return agent, root, outbox, target, flagged, person

    def test_flagged_files_are_quarantined_and_never_reach_the_sync_folder(self):
        agent, root, outbox, target, flagged, person = self.run_airlock("quarantine")
        for p in (flagged, person):
            agent.wait_for(lambda e, p=p: field(e, "event.action") == "file-quarantined"
                           and field(e, "file.path") == p)
            self.assertTrue(os.path.exists(p + ".vakt.txt"))
        self.assertEqual(agent.stop(), 0)
        self.assertEqual(sorted(os.listdir(target)), ["Protokoll"])
        self.assertEqual(len([e for e in agent.ledger() if e["state"] == "quarantined"]), 2)

    def test_hold_keeps_flagged_files_in_the_outbox_with_a_note(self):
        agent, root, outbox, target, flagged, person = self.run_airlock("hold")
        for p in (flagged, person):
            agent.wait_for(lambda e, p=p: field(e, "event.action") == "file-held"
                           and field(e, "file.path") == p)
            self.assertTrue(os.path.exists(p))
            with open(p + ".vakt.txt", encoding="utf-8") as f:
                note = f.read()
            self.assertIn("hållit kvar", note)
            self.assertIn("Servicedesk 1234", note)
        self.assertEqual(agent.stop(), 0)
        self.assertEqual(sorted(os.listdir(target)), ["Protokoll"])


if __name__ == "__main__":
    unittest.main()
