"""`vakt run` end to end: the real binary on temporary folders, real files, the real log.

Covers: audit-only with only --watch, quarantine with byte-identical content + note + ledger,
restore (refusing to overwrite, --to, no re-quarantine), folders moved in with files inside,
names with å/ä/ö and very long paths, symlinks out of the root never followed, bad config.
"""
import json
import os
import shutil
import signal
import unittest

from agent_harness import (AgentProcess, CLASS2_TEXT, CLASS3_TEXT, CLEAN_TEXT, CLEAR_VALUES,
                           field, run_vakt, sha256, temp_root, write)


class AgentAuditTest(unittest.TestCase):
    def test_audit_only_logs_ecs_events_and_touches_nothing(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        clean = write(os.path.join(od, "protokoll.txt"), CLEAN_TEXT)
        flagged = write(os.path.join(od, "Ansökningar", "bygglov åäö.txt"), CLASS2_TEXT)
        ev_clean = agent.wait_scanned(clean)
        ev = agent.wait_scanned(flagged)
        self.assertEqual(field(ev_clean, "vakt.class"), 0)
        self.assertEqual(field(ev, "event.action"), "file-scanned")
        self.assertEqual(field(ev, "event.outcome"), "success")
        self.assertEqual(field(ev, "vakt.class"), 2)
        self.assertEqual(field(ev, "vakt.class_name"), "Känslig")
        self.assertEqual(field(ev, "vakt.status"), "scanned")
        self.assertEqual(field(ev, "file.size"), os.path.getsize(flagged))
        self.assertEqual(field(ev, "file.hash.sha256"), sha256(flagged))
        self.assertIn("test.personnummer", field(ev, "rule.id"))
        self.assertTrue(field(ev, "@timestamp").endswith("Z"))
        self.assertTrue(field(ev, "host.name"))
        self.assertTrue(field(ev, "agent.version"))
        self.assertTrue(field(ev, "file.owner"))
        findings = field(ev, "vakt.findings")
        self.assertTrue(findings)
        for f in findings:
            for key in ("rule", "class", "confidence", "masked", "part", "line"):
                self.assertIn(key, f)
            self.assertIn("*", f["masked"])
        # Audit only: nothing moved, no note.
        self.assertTrue(os.path.exists(flagged))
        self.assertFalse(os.path.exists(flagged + ".vakt.txt"))
        # Office lock/temp files and notes are skipped.
        write(os.path.join(od, "~$rapport.docx"), CLASS2_TEXT)
        write(os.path.join(od, "x.tmp"), CLASS2_TEXT)
        marker = write(os.path.join(od, "after.txt"), CLEAN_TEXT)
        agent.wait_scanned(marker)
        paths = [field(e, "file.path") for e in agent.events()]
        self.assertNotIn(os.path.join(od, "~$rapport.docx"), paths)
        self.assertNotIn(os.path.join(od, "x.tmp"), paths)
        # vakt status reads what the running agent wrote.
        status = agent.wait_status(lambda s: s["counters"]["scanned"] + s["counters"]["reused"] >= 3)
        self.assertTrue(status["running"])
        self.assertEqual(status["mode"], "audit")
        self.assertEqual(status["queue_length"], 0)
        self.assertTrue(any(field(e, "event.action") == "file-scanned" for e in status["last_events"]))
        st = run_vakt("status", "--state", agent.state_dir, "--json")
        self.assertEqual(st.returncode, 0, st.stderr)
        human = run_vakt("status", "--state", agent.state_dir)
        self.assertIn("running", human.stdout)
        self.assertEqual(agent.stop(), 0)
        log = agent.raw_log()
        for value in CLEAR_VALUES:
            self.assertNotIn(value, log)
        actions = [field(e, "event.action") for e in agent.events(0)]
        self.assertIn("agent-started", actions)
        self.assertEqual(actions[-1], "agent-stopped")
        st = run_vakt("status", "--state", agent.state_dir)
        self.assertEqual(st.returncode, 3)
        self.assertIn("not running", st.stdout)

    def test_a_copy_under_a_name_with_a_personnummer_is_not_given_the_clean_verdict(self):
        # The verdict cache reuses a verdict by content; the name is part of what is scanned, so a
        # copy (or a rename) whose name holds a personnummer is scanned again, not waved through.
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        first = write(os.path.join(od, "anteckning.txt"), CLEAN_TEXT)
        self.assertEqual(field(agent.wait_scanned(first), "vakt.class"), 0)
        write(os.path.join(od, "Test Testsson 19990604-2388.txt"), CLEAN_TEXT)
        ev = agent.wait_scanned(os.path.join(od, "Test Testsson 19990604-****.txt"))  # as logged
        self.assertEqual(field(ev, "vakt.class"), 2)
        self.assertIn("test.personnummer", field(ev, "rule.id"))
        # A copy under a harmless name still reuses the verdict.
        plain = write(os.path.join(od, "kopia.txt"), CLEAN_TEXT)
        ev = agent.wait_scanned(plain)
        self.assertEqual(field(ev, "vakt.class"), 0)
        self.assertTrue(field(ev, "vakt.cached"))
        self.assertEqual(agent.stop(), 0)

    def test_a_folder_named_with_a_personnummer_is_reported_once(self):
        # The folder's name syncs with its files whatever they hold: the agent reports it (masked)
        # once, and scans the files as usual.
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        folder = os.path.join(od, "Elever", "Test Testsson 19990604-2388")
        first = write(os.path.join(folder, "schema.txt"), CLEAN_TEXT)
        masked_folder = os.path.join(od, "Elever", "Test Testsson 19990604-****")
        ev = agent.wait_for(lambda e: field(e, "event.action") == "folder-name-flagged")[-1]
        self.assertEqual(field(ev, "file.path"), masked_folder)
        self.assertEqual(field(ev, "vakt.class"), 2)
        self.assertIn("test.personnummer", field(ev, "rule.id"))
        self.assertEqual(field(agent.wait_scanned(os.path.join(masked_folder, "schema.txt")),
                               "vakt.class"), 0)
        second = write(os.path.join(folder, "lista.txt"), CLEAN_TEXT)
        agent.wait_scanned(os.path.join(masked_folder, "lista.txt"))
        flagged = [e for e in agent.events(0) if field(e, "event.action") == "folder-name-flagged"]
        self.assertEqual(len(flagged), 1)
        self.assertTrue(os.path.exists(first) and os.path.exists(second))
        self.assertEqual(agent.stop(), 0)
        for value in CLEAR_VALUES:
            self.assertNotIn(value, agent.raw_log())

    def test_an_empty_folder_named_with_a_personnummer_is_reported(self):
        # An empty folder's name syncs too: one made while the agent runs (reported by the
        # watcher) and one that was there before it started (found by the start-up walk).
        root = temp_root(self)
        od_before = os.path.join(root, "OneDrive")
        os.makedirs(os.path.join(od_before, "Före 19121212-1212"))
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        self.assertEqual(os.path.realpath(od), os.path.realpath(od_before))
        os.makedirs(os.path.join(od, "Elever", "Test Testsson 19990604-2388", "Betyg"))
        os.makedirs(os.path.join(od, "Elever", "Klass 7B"))
        want = {os.path.join(od, "Före 19121212-****"),
                os.path.join(od, "Elever", "Test Testsson 19990604-****")}
        agent.wait_for(lambda e: field(e, "event.action") == "folder-name-flagged" and
                       field(e, "file.path") in want, count=2, since=0)
        flagged = [field(e, "file.path") for e in agent.events(0)
                   if field(e, "event.action") == "folder-name-flagged"]
        self.assertEqual(sorted(flagged), sorted(want))  # once each; "Klass 7B" and "Betyg" not
        self.assertEqual(agent.stop(), 0)
        for value in CLEAR_VALUES:
            self.assertNotIn(value, agent.raw_log())

    def test_a_hard_link_made_into_the_folder_is_scanned(self):
        # `ln` writes nothing, so no close-after-write event comes: the new name is still seen.
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        outside = write(os.path.join(root, "elsewhere", "lista.txt"), CLASS2_TEXT)
        linked = os.path.join(od, "lista.txt")
        os.link(outside, linked)
        ev = agent.wait_scanned(linked)
        self.assertEqual(field(ev, "vakt.class"), 2)
        self.assertEqual(agent.stop(), 0)

    def test_a_watched_folder_removed_and_recreated_is_watched_again(self):
        # OneDrive recreates its folder after an unlink or reset: the agent must not go blind.
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        od = agent.watch[0]
        shutil.rmtree(od)
        agent.wait_for(lambda e: field(e, "event.action") == "watch-root-gone")
        status = agent.wait_status(lambda s: s.get("missing_roots"))
        self.assertEqual(status["missing_roots"], [od])
        os.makedirs(od)
        agent.wait_for(lambda e: field(e, "event.action") == "watch-started"
                       and field(e, "file.path") == od, since=0, count=2)
        flagged = write(os.path.join(od, "ny.txt"), CLASS2_TEXT)
        self.assertEqual(field(agent.wait_scanned(flagged), "vakt.class"), 2)
        self.assertEqual(agent.wait_status(lambda s: not s.get("missing_roots"))["missing_roots"], [])
        self.assertEqual(agent.stop(), 0)

    def test_a_watch_folder_that_does_not_exist_yet_is_waited_for(self):
        # A second folder configured before it exists (a share not yet mounted, OneDrive not yet
        # set up for that user): --check says so, the agent starts, lists it as missing, and
        # watches it once it is created. With no folder at all, both refuse.
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None,
                             watch=[os.path.join(root, "OneDrive"), os.path.join(root, "Delad")])
        later = agent.watch[1]
        os.rmdir(later)
        check = run_vakt("run", "--watch", agent.watch[0], "--watch", later,
                         "--state", os.path.join(root, "check-state"),
                         "--log", os.path.join(root, "check.jsonl"), "--check")
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("not a folder yet", check.stdout)
        none = run_vakt("run", "--watch", later, "--state", os.path.join(root, "check-state"),
                        "--log", os.path.join(root, "check.jsonl"), "--check")
        self.assertEqual(none.returncode, 2)
        self.assertIn("no watched folder exists", none.stderr)
        agent.start()
        agent.wait_for(lambda e: field(e, "event.action") == "watch-waiting"
                       and field(e, "file.path") == later, since=0)
        self.assertEqual(agent.wait_status(lambda s: s.get("missing_roots"))["missing_roots"],
                         [later])
        os.makedirs(later)
        agent.wait_for(lambda e: field(e, "event.action") == "watch-started"
                       and field(e, "file.path") == later, since=0)
        flagged = write(os.path.join(later, "ny.txt"), CLASS2_TEXT)
        self.assertEqual(field(agent.wait_scanned(flagged), "vakt.class"), 2)
        self.assertEqual(agent.stop(), 0)

    def test_a_second_agent_on_the_same_state_folder_refuses_to_start(self):
        root = temp_root(self)
        agent = AgentProcess(root, quarantine=None).start()
        second = run_vakt("run", "--watch", agent.watch[0], "--state", agent.state_dir,
                          "--log", os.path.join(root, "second.jsonl"), timeout=30)
        self.assertNotEqual(second.returncode, 0)
        self.assertIn("another vakt agent is already running", second.stderr)
        # The first one is unharmed and still works.
        flagged = write(os.path.join(agent.watch[0], "efter.txt"), CLASS2_TEXT)
        self.assertEqual(field(agent.wait_scanned(flagged), "vakt.class"), 2)
        self.assertEqual(agent.stop(), 0)
        # Once it has stopped, the folder is free again.
        third = AgentProcess(root, quarantine=None)
        third.start()
        self.assertEqual(third.stop(), 0)

    def test_bad_config_names_the_key_and_exits_2(self):
        root = temp_root(self)
        cfg = write(os.path.join(root, "vakt.yaml"),
                    "watch:\n  folders: [%s]\npolicy:\n  actions: {3: shred}\n" % root)
        r = run_vakt("run", "--config", cfg)
        self.assertEqual(r.returncode, 2)
        self.assertIn("policy.actions.3", r.stderr)
        self.assertIn("vakt.yaml:4", r.stderr)
        r = run_vakt("run", "--config", write(os.path.join(root, "b.yaml"),
                                             "watch: {folders: [%s]}\npolicy: {actions: {3: quarantine}}\n" % root))
        self.assertEqual(r.returncode, 2)
        self.assertIn("quarantine.dir", r.stderr)
        r = run_vakt("run", "--watch", os.path.join(root, "missing"), "--state", os.path.join(root, "s"),
                     "--log", os.path.join(root, "l.jsonl"))
        self.assertEqual(r.returncode, 2)


class AgentQuarantineTest(unittest.TestCase):
    def test_quarantine_note_ledger_restore(self):
        root = temp_root(self)
        agent = AgentProcess(root, extra=["--helpdesk", "IT-servicedesk, tel 0123-45 67 89"]).start()
        od = agent.watch[0]
        original = os.path.join(od, "Elevhälsa", "utredning åäö ÅÄÖ.txt")
        write(original, CLASS3_TEXT)
        expected_hash = sha256(original)
        ev = agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                            and field(e, "file.path") == original)[0]
        qid = field(ev, "vakt.quarantine.id")
        self.assertEqual(field(ev, "vakt.class"), 3)
        self.assertEqual(field(ev, "file.hash.sha256"), expected_hash)
        self.assertFalse(os.path.exists(original))
        stored = os.path.join(agent.quarantine_dir, "files", qid)
        with open(stored, "rb") as f:
            self.assertEqual(f.read(), CLASS3_TEXT.encode("utf-8"))  # byte-identical
        self.assertEqual(os.stat(os.path.join(agent.quarantine_dir, "files")).st_mode & 0o777, 0o700)
        with open(original + ".vakt.txt", encoding="utf-8") as f:
            note = f.read()
        self.assertIn(qid, note)
        self.assertIn("informationsklass 3", note)
        self.assertIn("Sekretessmarkering", note)
        self.assertIn("IT-servicedesk, tel 0123-45 67 89", note)
        for value in CLEAR_VALUES:
            self.assertNotIn(value, note)
        entries = {e["id"]: e for e in agent.ledger()}
        self.assertEqual(entries[qid]["state"], "quarantined")
        self.assertEqual(entries[qid]["original_path"], original)
        self.assertEqual(entries[qid]["sha256"], expected_hash)
        human = run_vakt("quarantine", "list", "--quarantine-dir", agent.quarantine_dir)
        self.assertIn(qid, human.stdout)

        # Someone saved a new file under the old name: restore refuses to overwrite it.
        blocker = write(original, CLEAN_TEXT)
        agent.wait_scanned(blocker)
        r = run_vakt("quarantine", "restore", qid, "--quarantine-dir", agent.quarantine_dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("refusing to overwrite", r.stderr)
        os.remove(blocker)

        mark = agent._log_size()
        r = run_vakt("quarantine", "restore", qid, "--quarantine-dir", agent.quarantine_dir,
                     "--log", agent.log_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256(original), expected_hash)
        self.assertFalse(os.path.exists(original + ".vakt.txt"))
        self.assertFalse(os.path.exists(stored))
        agent.wait_for(lambda e: field(e, "event.action") == "file-restored"
                       and field(e, "event.outcome") == "success", since=mark)
        # The agent sees the restored file but does not quarantine it again.
        agent.wait_for(lambda e: field(e, "event.action") == "quarantine-skipped"
                       and field(e, "file.path") == original, since=mark)
        self.assertTrue(os.path.exists(original))
        entries = {e["id"]: e for e in agent.ledger()}
        self.assertEqual(entries[qid]["state"], "restored")
        r = run_vakt("quarantine", "restore", qid, "--quarantine-dir", agent.quarantine_dir)
        self.assertNotEqual(r.returncode, 0)

        # --to restores elsewhere.
        second = write(os.path.join(od, "lista2.txt"), CLASS2_TEXT)
        ev2 = agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                             and field(e, "file.path") == second)[0]
        target = os.path.join(root, "utanför", "återställd.txt")
        r = run_vakt("quarantine", "restore", field(ev2, "vakt.quarantine.id"), "--to", target,
                     "--quarantine-dir", agent.quarantine_dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(f.read(), CLASS2_TEXT)
        self.assertEqual(agent.stop(), 0)

    def test_a_document_renamed_like_a_note_is_scanned_and_a_real_note_is_left_alone(self):
        # "*.vakt.txt" was skipped by name: renaming a document so let it sync unscanned.
        root = temp_root(self)
        agent = AgentProcess(root).start()
        od = agent.watch[0]
        original = write(os.path.join(od, "utredning.txt"), CLASS3_TEXT)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == original)
        note = original + ".vakt.txt"
        self.assertTrue(os.path.exists(note))
        disguised = write(os.path.join(od, "lista.txt.vakt.txt"), CLASS3_TEXT)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == disguised)
        self.assertFalse(os.path.exists(disguised))
        # The genuine note, touched again, stays where it is and is never acted on.
        mark = agent._log_size()
        os.utime(note)
        with open(note, "a", encoding="utf-8"):
            pass
        marker = write(os.path.join(od, "efter.txt"), CLEAN_TEXT)
        agent.wait_scanned(marker)
        self.assertTrue(os.path.exists(note))
        acted = [e for e in agent.events(since=mark) if field(e, "file.path") == note]
        self.assertEqual(acted, [])
        if os.geteuid() == 0:
            # Nor does "*.vakt-partial" (Vakt's copies in progress, owned by root) hide a user's
            # document: one owned by a user is scanned.
            outside = write(os.path.join(root, "utanför.txt"), CLASS3_TEXT)
            os.chown(outside, 4242, 4242)
            partial = os.path.join(od, "lista.docx.vakt-partial")
            os.rename(outside, partial)
            agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                           and field(e, "file.path") == partial)
        self.assertEqual(agent.stop(), 0)

    def test_folder_moved_in_with_files_long_paths_and_symlinks(self):
        root = temp_root(self)
        outside = os.path.join(root, "outside")
        secret_outside = write(os.path.join(outside, "hemlig.txt"), CLASS3_TEXT)
        agent = AgentProcess(root).start()
        od = agent.watch[0]
        # A folder prepared elsewhere and moved in: the files already inside are scanned.
        staging = os.path.join(root, "staging", "Projekt")
        inner = write(os.path.join(staging, "a", "b", "lista.txt"), CLASS2_TEXT)
        write(os.path.join(staging, "ren.txt"), CLEAN_TEXT)
        os.rename(staging, os.path.join(od, "Projekt"))
        moved = os.path.join(od, "Projekt", "a", "b", "lista.txt")
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == moved)
        agent.wait_scanned(os.path.join(od, "Projekt", "ren.txt"))
        # New subfolders are watched as they appear.
        deep = os.path.join(od, "Ny mapp", "Undermapp")
        os.makedirs(deep)
        newfile = write(os.path.join(deep, "pnr.txt"), CLASS2_TEXT)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == newfile)
        # A very long path (well past 1000 bytes, å/ä/ö in every segment).
        segs = ["mapp-åäö-%02d-%s" % (i, "x" * 40) for i in range(22)]
        long_file = os.path.join(od, *segs, "långt filnamn med åäö.txt")
        self.assertGreater(len(long_file.encode("utf-8")), 1000)
        write(long_file, CLASS2_TEXT)
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == long_file, timeout=30)
        # Symlinks to files and folders outside the root are never followed.
        os.symlink(secret_outside, os.path.join(od, "länk.txt"))
        os.symlink(outside, os.path.join(od, "länkmapp"))
        marker = write(os.path.join(od, "marker.txt"), CLEAN_TEXT)
        agent.wait_scanned(marker)
        self.assertEqual(agent.stop(), 0)
        paths = {field(e, "file.path") for e in agent.events(0)}
        self.assertNotIn(os.path.join(od, "länk.txt"), paths)
        self.assertFalse(any(p and "länkmapp" in p for p in paths))
        self.assertTrue(os.path.exists(secret_outside))
        self.assertTrue(os.path.islink(os.path.join(od, "länk.txt")))

    def test_deleted_and_renamed_during_scan_are_not_acted_on(self):
        root = temp_root(self)
        agent = AgentProcess(root).start()
        od = agent.watch[0]
        # Written then removed before the coalescing delay ends: nothing is logged as scanned
        # and nothing fails.
        gone = write(os.path.join(od, "borta.txt"), CLASS3_TEXT)
        os.remove(gone)
        renamed = write(os.path.join(od, "före.txt"), CLASS3_TEXT)
        os.rename(renamed, os.path.join(od, "efter.txt"))
        after = os.path.join(od, "efter.txt")
        agent.wait_for(lambda e: field(e, "event.action") == "file-quarantined"
                       and field(e, "file.path") == after)
        self.assertEqual(agent.stop(), 0)
        for e in agent.events(0):
            if field(e, "file.path") in (gone, renamed):
                self.assertNotIn(field(e, "event.action"), ("file-quarantined", "quarantine-failed"))


if __name__ == "__main__":
    unittest.main()
