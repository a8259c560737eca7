"""kill -9 of the pulling hub at random points of a large pull: hub B's
`vigil serve` pulls N objects from hub A through its sync loop and is
killed KILLS times; after each restart it goes on from its cursor. At the
end every object is on B exactly once (no gap: the cursor never skipped;
no duplicate: each page and its cursor commit together), and B's audit
log verifies. N and KILLS: $VIGIL_FED_CRASH_N (100,000) and
$VIGIL_FED_CRASH_KILLS (10)."""
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from vigiltest import VIGIL, Server, main

N = int(os.environ.get("VIGIL_FED_CRASH_N", "100000"))
KILLS = int(os.environ.get("VIGIL_FED_CRASH_KILLS", "10"))


def run(data, *args, stdin=None):
    p = subprocess.run([VIGIL, "--data", data, *args], input=stdin,
                       capture_output=True, text=True, timeout=900)
    if p.returncode:
        raise AssertionError("vigil %s: %s%s" % (" ".join(args), p.stdout,
                                                 p.stderr))
    return p.stdout


class Crash(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-fedcrash-")
        self.a = os.path.join(self.tmp, "A")
        self.b = os.path.join(self.tmp, "B")
        run(self.a, "init")
        run(self.b, "init")
        gen = os.path.join(self.tmp, "gen.json")
        with open(gen, "w") as f:
            subprocess.run([VIGIL, "gen", "--seed", "7", "--count", str(N)],
                           stdout=f, check=True)
        run(self.a, "import", "--collection", "all", gen)
        self.ids = set()
        with open(gen) as f:
            for o in json.load(f)["objects"]:
                self.ids.add((o["id"], o.get("modified", o.get("created"))))
        self.srv_a = Server(self.a)
        key = json.loads(run(self.a, "partner", "add", "B", "--url",
                             "http://127.0.0.1:9/taxii2/hub/", "--direction",
                             "push", "--json"))["key"]
        run(self.b, "partner", "add", "A", "--url", self.srv_a.root,
            "--direction", "pull", "--collection", "all", "--interval", "1",
            "--secret-file", "-", stdin=key)

    def tearDown(self):
        self.srv_a.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def versions(self):
        st = json.loads(run(self.b, "stats", "--json"))
        return st["versions"]

    def test_kill9_during_pull(self):
        base = self.versions()
        rng = random.Random(int(os.environ.get("VIGIL_FED_CRASH_SEED", "1")))
        kills = 0
        srv = Server(self.b)
        deadline = time.monotonic() + 1200
        while time.monotonic() < deadline:
            if kills < KILLS:
                time.sleep(rng.uniform(0.3, 2.5))
                srv.proc.send_signal(signal.SIGKILL)
                srv.stop()
                kills += 1
                srv = Server(self.b)
                continue
            if self.versions() - base >= N:
                break
            time.sleep(0.5)
        code, err = srv.stop()
        self.assertEqual(kills, KILLS)
        # every object exactly once
        out = subprocess.run([VIGIL, "--data", self.b, "export",
                              "--all-versions"],
                             capture_output=True, text=True, check=True)
        got = {}
        for o in json.loads(out.stdout)["objects"]:
            k = (o["id"], o.get("modified", o.get("created")))
            got[k] = got.get(k, 0) + 1
        missing = [k for k in self.ids if k not in got]
        self.assertEqual(missing[:5], [])
        self.assertEqual([k for k in self.ids if got[k] != 1][:5], [])
        self.assertEqual(self.versions() - base, N)
        self.assertIn("intact", run(self.b, "audit", "verify"))
        run(self.b, "check")


if __name__ == "__main__":
    main()
