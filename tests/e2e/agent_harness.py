"""Shared helpers for the agent's end-to-end tests (tests/e2e/test_agent_*.py).

AgentProcess starts the real `vakt run` on temporary folders, reads its JSON-lines log and
stops it (SIGTERM) or kills it (SIGKILL). write_rules() writes a small rule pack + policy so the
agent tests do not depend on the shipped packs; fixtures use Skatteverket test numbers only.
"""
import hashlib
import json
import os
import signal
import subprocess
import tempfile
import time

VAKT = os.environ.get("VAKT_BIN", "vakt")

# Class 2: one personnummer. Class 3: a secrecy marking together with a personnummer.
CLEAN_TEXT = "Protokoll från mötet i kultur- och fritidsnämnden. Inga personuppgifter.\n"
CLASS2_TEXT = "Ansökan om bygglov\nSökande: Test Testsson\nPersonnummer: 19990604-2388\n"
CLASS3_TEXT = ("Sekretess enligt 26 kap. 1 § OSL\nBarnavårdsutredning\n"
               "Barn: Tolvan Tolvansson, personnummer 19121212-1212\n")
CLEAR_VALUES = ["19990604-2388", "990604-2388", "9906042388", "19121212-1212", "121212-1212",
                "1212121212"]

RULE_PACK = """pack: agent-test
rules:
  - id: test.personnummer
    name: Personnummer
    category: identity.person
    class: 2
    patterns: ['(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}']
    validator: personnummer
    digit_boundaries: true
    mask: identity
    examples:
      match: ["Personnummer: 19990604-2388"]
      no_match: ["Ordernummer 1999060423881"]
  - id: test.secrecy
    name: Sekretessmarkering
    category: osl.marking
    class: 3
    terms: ["sekretess enligt"]
    mask: none
    examples:
      match: ["Sekretess enligt 26 kap. 1 § OSL"]
"""
POLICY = """classes:
  - {level: 0, name: Öppen}
  - {level: 1, name: Intern}
  - {level: 2, name: Känslig}
  - {level: 3, name: Mycket känslig}
conditions:
  - {id: secret-with-person, class: 3, rules: [test.secrecy], with: {rules: [test.personnummer]}}
  - {id: person, class: 2, rules: [test.personnummer]}
"""


def write_rules(folder, extra_pack=None):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "agent-test.yaml"), "w", encoding="utf-8") as f:
        f.write(RULE_PACK)
    with open(os.path.join(folder, "policy.yaml"), "w", encoding="utf-8") as f:
        f.write(POLICY)
    if extra_pack is not None:
        with open(os.path.join(folder, "extra.yaml"), "w", encoding="utf-8") as f:
            f.write(extra_pack)
    return folder


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(text, bytes):
        with open(path, "wb") as f:
            f.write(text)
    else:
        with open(path, mode, encoding="utf-8") as f:
            f.write(text)
    return path


def field(event, dotted, default=None):
    node = event
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def run_vakt(*args, timeout=60, env=None):
    return subprocess.run([VAKT, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


class AgentProcess:
    """One `vakt run` process on temporary folders."""

    def __init__(self, root, watch=None, quarantine=True, rules=True, config=None, extra=None,
                 env=None, fail_class=2):
        self.root = root
        self.watch = watch if watch is not None else [os.path.join(root, "OneDrive")]
        for w in self.watch:
            os.makedirs(w, exist_ok=True)
        self.quarantine_dir = os.path.join(root, "quarantine") if quarantine is True else quarantine
        self.state_dir = os.path.join(root, "state")
        self.log_path = os.path.join(root, "log", "vakt.jsonl")
        self.rules_dir = write_rules(os.path.join(root, "rules")) if rules is True else rules
        self.config = config
        self.extra = list(extra or [])
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.fail_class = fail_class
        self.proc = None
        self.stderr_path = os.path.join(root, "stderr.txt")
        _AGENTS.append(self)

    def args(self):
        a = [VAKT, "run"]
        if self.config:
            a += ["--config", self.config]
        for w in self.watch:
            a += ["--watch", w]
        if self.quarantine_dir:
            a += ["--quarantine-dir", self.quarantine_dir, "--fail-class", str(self.fail_class)]
        a += ["--log", self.log_path, "--state", self.state_dir]
        if self.rules_dir:
            a += ["--rules", self.rules_dir]
        return a + self.extra

    def start(self, wait_ready=True, timeout=30):
        self.log_offset = self._log_size()
        self._stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.args(), stdout=subprocess.DEVNULL, stderr=self._stderr,
                                     env=self.env)
        if wait_ready:
            self.wait_for(lambda e: field(e, "event.action") == "reconcile-finished",
                          timeout=timeout, since=self.log_offset)
        return self

    def _log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def events(self, since=0):
        """Parsed log events that start at or after byte offset `since` (read incrementally)."""
        cache = self.__dict__.setdefault("_cache", {"pos": 0, "items": []})
        try:
            with open(self.log_path, "rb") as f:
                f.seek(cache["pos"])
                pos = cache["pos"]
                for line in f:
                    if not line.endswith(b"\n"):
                        break
                    cache["items"].append((pos, json.loads(line)))
                    pos += len(line)
                cache["pos"] = pos
        except FileNotFoundError:
            pass
        return [e for off, e in cache["items"] if off >= since]

    def raw_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def wait_for(self, predicate, timeout=20, since=None, count=1):
        since = self.log_offset if since is None else since
        deadline = time.time() + timeout
        while time.time() < deadline:
            hits = [e for e in self.events(since) if predicate(e)]
            if len(hits) >= count:
                return hits
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError("vakt run exited with %s; stderr: %s" %
                                     (self.proc.returncode, self.stderr()))
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %d event(s); log tail:\n%s" %
                             (count, "\n".join(json.dumps(e, ensure_ascii=False)
                                               for e in self.events(since)[-15:])))

    def wait_scanned(self, path, timeout=20, since=None):
        return self.wait_for(lambda e: field(e, "event.action") in ("file-scanned", "scan-failed")
                             and field(e, "file.path") == path, timeout=timeout, since=since)[-1]

    def status(self):
        r = run_vakt("status", "--state", self.state_dir, "--json")
        return json.loads(r.stdout) if r.stdout.strip() else {}

    def wait_status(self, predicate, timeout=20):
        """Until the status file the agent rewrites every second satisfies `predicate`."""
        deadline = time.time() + timeout
        s = {}
        while time.time() < deadline:
            s = self.status()
            if s and predicate(s):
                return s
            time.sleep(0.2)
        raise AssertionError("status never matched: %s" % s)

    def wait_idle(self, timeout=30):
        """Until the status file shows an empty queue, nothing in flight and no rescan running."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.status()
            if s and s.get("queue_length") == 0 and s.get("in_flight") == 0 \
                    and not s.get("rescan_running"):
                time.sleep(1.2)  # one more status period so a just-popped item shows
                s = self.status()
                if s.get("queue_length") == 0 and s.get("in_flight") == 0 \
                        and not s.get("rescan_running"):
                    return s
            time.sleep(0.2)
        raise AssertionError("agent did not become idle: %s" % self.status())

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("vakt run did not stop on SIGTERM within %ss" % timeout)
        self._stderr.close()
        rc = self.proc.returncode
        self.proc = None
        return rc

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self._stderr.close()
        self.proc = None

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""

    def ledger(self):
        where = (["--quarantine-dir", self.quarantine_dir] if self.quarantine_dir
                 else ["--config", self.config])
        r = run_vakt("quarantine", "list", "--all", "--json", *where)
        if r.returncode != 0:
            raise AssertionError("quarantine list failed: " + r.stderr)
        return json.loads(r.stdout)


_AGENTS = []


def temp_root(test):
    """A temporary folder for one test; any agent started under it is killed at cleanup."""
    d = tempfile.TemporaryDirectory(prefix="vakt-e2e-agent-")

    def cleanup():
        for agent in [a for a in _AGENTS if a.root == d.name]:
            if agent.proc is not None and agent.proc.poll() is None:
                agent.proc.kill()
                agent.proc.wait()
            if agent.proc is not None:
                agent._stderr.close()
            _AGENTS.remove(agent)
        d.cleanup()

    test.addCleanup(cleanup)
    return d.name
