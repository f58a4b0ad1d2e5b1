"""`vakt run` across its life: restart without rescanning, reconciliation of what changed while
it was down, SIGHUP reload (a broken rules dir keeps the old engine), an injected watcher
overflow recovered by a full rescan, a corrupt state DB rebuilt."""
import os
import signal
import time
import unittest

from agent_harness import (AgentProcess, CLASS2_TEXT, CLASS3_TEXT, CLEAN_TEXT, field, run_vakt,
                           temp_root, write, write_rules)


def actions(events):
    return [field(e, "event.action") for e in events]


class AgentRestartTest(unittest.TestCase):
    def test_restart_does_not_rescan_unchanged_files_but_catches_changes(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        files = [write(os.path.join(od, "dok%02d.txt" % i), CLEAN_TEXT + str(i)) for i in range(8)]
        for f in files:
            agent.wait_scanned(f)
        self.assertEqual(agent.stop(), 0)

        # While the agent is down: one file changes, one is added, one is removed.
        write(files[0], CLASS2_TEXT)
        added = write(os.path.join(od, "ny.txt"), CLASS2_TEXT)
        os.remove(files[7])

        mark = agent._log_size()
        agent.start()
        agent.wait_scanned(files[0])
        agent.wait_scanned(added)
        agent.wait_idle()
        scanned = [field(e, "file.path") for e in agent.events(mark)
                   if field(e, "event.action") == "file-scanned"]
        self.assertEqual(sorted(scanned), sorted([files[0], added]))
        changed = [e for e in agent.events(mark) if field(e, "file.path") == files[0]
                   and field(e, "event.action") == "file-scanned"][0]
        self.assertEqual(field(changed, "vakt.origin"), "reconcile")
        self.assertEqual(field(changed, "vakt.class"), 2)
        self.assertEqual(agent.status()["counters"]["unchanged"], 6)
        self.assertEqual(agent.stop(), 0)

    def test_corrupt_state_db_is_moved_aside_and_rebuilt(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None)
        os.makedirs(agent.state_dir)
        write(os.path.join(agent.state_dir, "state.sqlite"), b"\x00garbage" * 4096)
        agent.start()
        ev = agent.wait_for(lambda e: field(e, "event.action") == "state-rebuilt")[0]
        self.assertIn("moved aside", field(ev, "vakt.reason"))
        self.assertTrue(any(n.startswith("state.sqlite.corrupt-") for n in os.listdir(agent.state_dir)))
        f = write(os.path.join(agent.watch[0], "a.txt"), CLASS2_TEXT)
        self.assertEqual(field(agent.wait_scanned(f), "vakt.class"), 2)
        self.assertEqual(agent.stop(), 0)


class AgentReloadTest(unittest.TestCase):
    def test_sighup_reload_and_broken_rules_keep_the_old_engine(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        started = agent.wait_for(lambda e: field(e, "event.action") == "agent-started")[0]
        v1 = field(started, "vakt.rules_version")

        # Same rules: reloaded, version unchanged, no rescan.
        mark = agent._log_size()
        agent.signal(signal.SIGHUP)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "rules-reloaded", since=mark)[0]
        self.assertFalse(field(ev, "vakt.rules_changed"))

        # Broken rules: the old engine keeps scanning.
        mark = agent._log_size()
        write(os.path.join(agent.rules_dir, "broken.yaml"), "pack: broken\nrules:\n  - id: Bad Id!\n")
        agent.signal(signal.SIGHUP)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "rules-reload-failed", since=mark)[0]
        self.assertIn("broken.yaml", field(ev, "vakt.reason"))
        f = write(os.path.join(od, "efter-trasig.txt"), CLASS2_TEXT)
        scanned = agent.wait_scanned(f, since=mark)
        self.assertEqual(field(scanned, "vakt.class"), 2)
        self.assertEqual(field(scanned, "vakt.rules_version"), v1)

        # Fixed and changed: new version, and everything is rescanned under the new rules.
        os.remove(os.path.join(agent.rules_dir, "broken.yaml"))
        write_rules(agent.rules_dir, extra_pack="""pack: extra
rules:
  - id: test.protokoll
    name: Protokollord
    category: domain.test
    class: 1
    terms: ["protokoll"]
    mask: none
""")
        mark = agent._log_size()
        agent.signal(signal.SIGHUP)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "rules-reloaded", since=mark)[0]
        self.assertTrue(field(ev, "vakt.rules_changed"))
        v2 = field(ev, "vakt.rules_version")
        self.assertNotEqual(v1, v2)
        agent.wait_for(lambda e: field(e, "event.action") == "rescan-finished", since=mark)
        again = agent.wait_scanned(f, since=mark)
        self.assertEqual(field(again, "vakt.rules_version"), v2)
        clean = write(os.path.join(od, "protokoll.txt"), CLEAN_TEXT)
        ev = agent.wait_scanned(clean, since=mark)
        self.assertIn("test.protokoll", field(ev, "rule.id", []))
        self.assertEqual(agent.stop(), 0)


class AgentOverflowTest(unittest.TestCase):
    def test_injected_overflow_triggers_a_full_rescan_and_nothing_is_lost(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None, env={"VAKT_TEST_HOOKS": "1"}).start()
        od = agent.watch[0]
        mark = agent._log_size()
        agent.signal(signal.SIGUSR1)  # the watcher drops every event for 500 ms, then overflows
        time.sleep(0.1)
        lost = [write(os.path.join(od, "under-overflow-%02d.txt" % i), CLASS2_TEXT + str(i))
                for i in range(20)]
        ev = agent.wait_for(lambda e: field(e, "event.action") == "watch-overflow", since=mark)[0]
        self.assertIn("rescan", field(ev, "vakt.reason"))
        agent.wait_for(lambda e: field(e, "event.action") == "rescan-finished", since=mark)
        for f in lost:
            e = agent.wait_scanned(f, since=mark)
            self.assertEqual(field(e, "vakt.origin"), "rescan")
        self.assertEqual(agent.wait_idle()["counters"]["rescans"], 1)
        self.assertEqual(agent.stop(), 0)


class AgentStopTest(unittest.TestCase):
    def test_sigterm_stops_gracefully_with_work_in_flight(self):
        root = temp_root(self)
        agent = AgentProcess(root).start()
        od = agent.watch[0]
        for i in range(60):
            write(os.path.join(od, "k%02d.txt" % i), CLASS3_TEXT + str(i))
        time.sleep(0.4)
        self.assertEqual(agent.stop(), 0)
        evs = agent.events(0)
        self.assertEqual(actions(evs)[-1], "agent-stopped")
        # Every file is whole in exactly one place and the ledger has nothing pending.
        ledger = agent.ledger()
        self.assertFalse([e for e in ledger if e["state"] == "pending"])
        stored = {e["original_path"]: e for e in ledger if e["state"] == "quarantined"}
        for i in range(60):
            p = os.path.join(od, "k%02d.txt" % i)
            in_od = os.path.exists(p)
            in_q = p in stored and os.path.exists(stored[p]["stored_path"])
            self.assertTrue(in_od != in_q, p)
        # The rest is picked up on the next start.
        agent.start()
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined",
                       count=60 - len(stored), timeout=60)
        self.assertEqual(agent.stop(), 0)
        self.assertEqual(len([e for e in agent.ledger() if e["state"] == "quarantined"]), 60)


if __name__ == "__main__":
    unittest.main()
