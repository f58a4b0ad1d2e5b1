"""The systemd side: the unit file passes `systemd-analyze verify` (with the built binary in
ExecStart), and `vakt run` speaks sd_notify — READY=1 once watching, STOPPING=1 on SIGTERM —
to the socket in $NOTIFY_SOCKET (a datagram socket this test owns)."""
import os
import shutil
import socket
import subprocess
import time
import unittest

from agent_harness import AgentProcess, VAKT, temp_root

SOURCE = os.environ.get("VAKT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class AgentServiceTest(unittest.TestCase):
    def test_unit_file_verifies(self):
        tool = shutil.which("systemd-analyze")
        if tool is None:
            self.skipTest("systemd-analyze not installed")
        root = temp_root(self)
        with open(os.path.join(SOURCE, "service", "vakt.service"), encoding="utf-8") as f:
            unit = f.read()
        self.assertIn("Type=notify", unit)
        self.assertIn("ExecReload=/bin/kill -HUP $MAINPID", unit)
        self.assertIn("ProtectSystem=strict", unit)
        self.assertIn("NoNewPrivileges=yes", unit)
        path = os.path.join(root, "vakt.service")
        with open(path, "w", encoding="utf-8") as f:
            f.write(unit.replace("/usr/bin/vakt", os.path.abspath(VAKT)))
        r = subprocess.run([tool, "verify", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_default_config_is_valid(self):
        r = subprocess.run([VAKT, "run", "--check", "--config",
                            os.path.join(SOURCE, "packaging", "linux", "vakt.yaml")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration OK", r.stdout)

    def test_sd_notify_ready_and_stopping(self):
        root = temp_root(self)
        sock_path = os.path.join(root, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        sock.settimeout(20)
        self.addCleanup(sock.close)
        agent = AgentProcess(root, quarantine=None, env={"NOTIFY_SOCKET": sock_path})
        agent.start(wait_ready=False)
        messages = []
        deadline = time.time() + 20
        while time.time() < deadline and not any("READY=1" in m for m in messages):
            messages.append(sock.recv(4096).decode())
        ready = [m for m in messages if "READY=1" in m]
        if not ready and all("READY" not in m for m in messages):
            self.skipTest("built without libsystemd (no sd_notify)")
        self.assertTrue(ready, messages)
        self.assertIn("STATUS=watching 1 folder(s)", ready[0])
        agent.proc.send_signal(15)
        stopping = sock.recv(4096).decode()
        self.assertIn("STOPPING=1", stopping)
        self.assertEqual(agent.stop(), 0)


if __name__ == "__main__":
    unittest.main()
