"""End-to-end tests of `vakt rules list|test` and of how a broken rules folder is reported.

The shipped packs in rules/ must pass their own examples; a broken pack must give exit code 2
and an error that names the file and the line (and the rule, where there is one).
"""
import json
import os
import re
import shutil
import tempfile
import unittest

from vakt_e2e import SOURCE_DIR, VaktTestCase

SHIPPED_RULES = os.path.join(SOURCE_DIR, "rules")

# A pack whose only rule has an example that cannot hold: `rules test` must report it.
FAILING_PACK = """pack: e2e-failing
rules:
  - id: e2e.blabarssoppa
    name: Blåbärssoppa
    description: Vocabulary rule whose example is wrong on purpose.
    maturity: test
    category: e2e.vocabulary
    class: 1
    terms: ['=blåbärssoppa']
    mask: none
    examples:
      match: ["Här serveras ingen soppa alls till 19121212-1212"]
      no_match: ["Vi dricker nyponsoppa i Vasaloppet"]
"""

# Line 9 opens a YAML flow sequence that is never closed.
YAML_SYNTAX_ERROR = """pack: e2e-broken
rules:
  - id: e2e.broken-yaml
    name: Trasig
    description: Broken on purpose.
    maturity: test
    category: e2e.vocabulary
    class: 1
    terms: ['=trasig', 'ord'
    examples:
      match: ["trasig"]
"""

BAD_PATTERN = """pack: e2e-bad-pattern
rules:
  - id: e2e.bad-pattern
    name: Bad pattern
    description: A regex that does not compile.
    maturity: test
    category: e2e.vocabulary
    class: 1
    patterns:
      - '(unclosed[group'
    examples:
      match: ["unclosed"]
"""


class RulesCliTest(VaktTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.path.isdir(SHIPPED_RULES):
            raise unittest.SkipTest("no rules/ folder in VAKT_SOURCE_DIR")
        cls.tmp = tempfile.mkdtemp(prefix="vakt-e2e-rules-")
        cls.cache = os.path.join(cls.tmp, "cache")
        os.makedirs(cls.cache)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def rules_copy(self, name, extra_file=None, extra_text=None):
        """The shipped rules plus one extra pack, in a fresh folder."""
        folder = os.path.join(self.tmp, name)
        shutil.copytree(SHIPPED_RULES, folder)
        if extra_file:
            with open(os.path.join(folder, extra_file), "w", encoding="utf-8") as f:
                f.write(extra_text)
        return folder

    def test_shipped_rules_pass_their_examples(self):
        rc, out, err = self.vakt("rules", "test", "--cache-dir", self.cache, SHIPPED_RULES,
                                 check_clear=False)
        self.assertEqual(rc, 0, out + err)
        match = re.search(r"^(\d+) passed, 0 failed$", out, re.M)
        self.assertIsNotNone(match, out)
        self.assertGreater(int(match.group(1)), 0)

    def test_embedded_rules_pass_their_examples(self):
        rc, out, err = self.vakt("rules", "test", "--cache-dir", self.cache, check_clear=False)
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out, r"\d+ passed, 0 failed")

    def test_failing_example_is_reported(self):
        folder = self.rules_copy("failing", "zz-e2e-failing.yaml", FAILING_PACK)
        # The failing example holds a personnummer: the FAIL line shows it masked (the harness
        # checks that no clear value reaches stdout or stderr).
        rc, out, err = self.vakt("rules", "test", folder)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("e2e.blabarssoppa", out)
        self.assertIn("expected match", out)
        self.assertIn("Här serveras ingen soppa alls till 19121212-****", out)
        self.assertNotIn("Vi dricker", out)         # the no_match example holds
        self.assertRegex(out, r"\d+ passed, 1 failed\s*$")

    def test_yaml_syntax_error_names_file_and_line(self):
        folder = self.rules_copy("syntax", "zz-e2e-broken.yaml", YAML_SYNTAX_ERROR)
        for args in (["rules", "test", folder],
                     ["rules", "list", "--rules", folder],
                     ["scan", "--no-progress", "--rules", folder, SHIPPED_RULES]):
            with self.subTest(args=args[:2]):
                rc, out, err = self.vakt(*args, check_clear=False)
                self.assertEqual(rc, 2, out + err)
                self.assertIn("zz-e2e-broken.yaml", err)
                self.assertRegex(err, r"\b(9|10|11)\b", "no line number: " + err)

    def test_bad_pattern_names_file_and_rule(self):
        folder = self.rules_copy("pattern", "zz-e2e-pattern.yaml", BAD_PATTERN)
        rc, out, err = self.vakt("scan", "--no-progress", "--rules", folder, SHIPPED_RULES,
                                 check_clear=False)
        self.assertEqual(rc, 2, out + err)
        self.assertIn("zz-e2e-pattern.yaml", err)
        self.assertIn("e2e.bad-pattern", err)

    def test_missing_rules_folder(self):
        rc, out, err = self.vakt("rules", "test", os.path.join(self.tmp, "nowhere"))
        self.assertEqual(rc, 2, out + err)
        self.assertIn("nowhere", err)

    def test_list_text(self):
        rc, out, err = self.vakt("rules", "list", "--cache-dir", self.cache)
        self.assertEqual(rc, 0, err)
        header = out.splitlines()[0].split()
        self.assertEqual(header, ["ID", "NAME", "CLASS", "CATEGORY", "MATURITY", "VALIDATOR",
                                  "PATTERNS", "EXAMPLES", "SOURCE"])
        self.assertRegex(out, r"\d+ rules, \d+ patterns")

    def test_list_json_matches_rules_folder(self):
        rc, out, err = self.vakt("rules", "list", "--format", "json", "--cache-dir", self.cache,
                                 "--rules", SHIPPED_RULES)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertTrue(doc["rules"])
        ids = [r["id"] for r in doc["rules"]]
        self.assertEqual(len(ids), len(set(ids)), "duplicate rule ids")
        for r in doc["rules"]:
            for key in ("id", "name", "class", "category", "maturity", "validator", "patterns",
                        "examples", "source"):
                self.assertIn(key, r)
            self.assertIn(r["class"], (0, 1, 2, 3))
            self.assertRegex(r["source"], r"\.yaml:\d+")
        self.assertEqual([c["level"] for c in doc["classes"]], [0, 1, 2, 3])
        # The embedded packs are the shipped ones.
        rc, out2, _ = self.vakt("rules", "list", "--format", "json", "--cache-dir", self.cache)
        self.assertEqual(sorted(r["id"] for r in json.loads(out2)["rules"]), sorted(ids))


if __name__ == "__main__":
    unittest.main()
