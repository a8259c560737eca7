"""The README's tour, line by line, on the demo hub that `make run` makes
(issue 9, item 2): scripts/run.sh builds the hub (--no-serve: its steps
without serving), a server is started on it, and every `$ ` line of the
tour's console block runs with `sh -c` in a folder laid out as the
repository's (examples/, build/ and ../shared), with the built vigil on
PATH and $KEY the admin key run.sh printed. Each line must exit as the
README says (0, or the N of a "# exits N" comment) and print what the
README shows: its lines in order, where "..." inside a line stands for
any text and a line of "..." for any number of lines. Two things differ
from a user's terminal, on purpose: the server listens on a free port
(the tour's 127.0.0.1:8080 is replaced by it), and stdout and stderr are
read together, as a terminal shows them.

The test also checks what `make run` says the first and the second time
(scripts/run.sh), and that a second `make run` on a taken port stops."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from vigiltest import SHARED, VIGIL, Server, main

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def tour_block():
    """The (command, expected lines) of the README's tour, in order."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## A short tour"):]
    block = re.search(r"```console\n(.*?)```", section, re.S).group(1)
    steps = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def matches(expected, actual):
    """Do the actual lines match the expected ones (with "...")?"""
    pats = [None if e.strip() == "..." else
            re.compile(".*".join(re.escape(p) for p in e.rstrip()
                                 .split("...")) + r"\Z") for e in expected]
    memo = {}

    def at(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(pats):
            ok = j == len(actual)
        elif pats[i] is None:
            ok = any(at(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            ok = j < len(actual) and bool(pats[i].match(actual[j].rstrip())) \
                and at(i + 1, j + 1)
        memo[(i, j)] = ok
        return ok
    return at(0, 0)


class TestTour(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-tour-")
        cls.repo = os.path.join(cls.tmp, "repo")
        os.mkdir(cls.repo)
        os.symlink(SHARED, os.path.join(cls.tmp, "shared"))
        os.symlink(os.path.join(REPO, "examples"),
                   os.path.join(cls.repo, "examples"))
        os.symlink(os.path.dirname(VIGIL), os.path.join(cls.repo, "build"))
        cls.server = None
        try:
            cls.made = cls.run_sh("--no-serve")
            cls.key = re.search(r"^admin key: (vgk_\S+)$", cls.made.stdout,
                                re.M).group(1)
            cls.server = Server(os.path.join(cls.repo, "vigil-data"))
        except BaseException:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def run_sh(cls, *args, env=None):
        return subprocess.run(
            ["sh", os.path.join(REPO, "scripts", "run.sh"), "build/vigil",
             "./vigil-data", "../shared", *args], cwd=cls.repo,
            capture_output=True, text=True, timeout=900,
            env=dict(os.environ, **(env or {})))

    def test_1_make_run_says(self):
        self.assertEqual(self.made.returncode, 0, self.made.stderr)
        self.assertEqual(self.made.stdout.splitlines(), [
            "creating the demo hub in ./vigil-data (details in "
            "./vigil-data/demo.log)",
            "  STIX files of ../shared/data/stix: accepted 4541, duplicate "
            "1351, rejected 1",
            "  list un: 1003 entries (730 individuals, 273 entities, 0 "
            "other): added 1003, updated 0, unchanged 0, revoked 0",
            "  list ofac: 8976 entries (4620 individuals, 3673 entities, 683 "
            "other): added 8976, updated 0, unchanged 0, revoked 0",
            "admin key: " + self.key])
        self.assertEqual(self.made.stderr, "")

    def test_2_the_tour(self):
        env = dict(os.environ, KEY=self.key,
                   PATH=os.path.dirname(VIGIL) + os.pathsep +
                   os.environ.get("PATH", ""))
        env.pop("VIGIL_DATA", None)
        env.pop("VIGIL_PURPOSE", None)
        steps = tour_block()
        self.assertGreater(len(steps), 20)
        for cmd, expected in steps:
            with self.subTest(cmd=cmd):
                m = re.search(r"#.*\bexits (\d+)", cmd)
                want = int(m.group(1)) if m else 0
                run = cmd.replace("http://127.0.0.1:8080", self.server.base)
                p = subprocess.run(["sh", "-c", run + " 2>&1"], cwd=self.repo,
                                   env=env, capture_output=True, text=True,
                                   timeout=600)
                self.assertEqual(p.returncode, want, p.stdout)
                self.assertTrue(matches(expected, p.stdout.splitlines()),
                                "README shows:\n%s\nthe line printed:\n%s"
                                % ("\n".join(expected), p.stdout))

    def test_3_make_run_again(self):
        p = self.run_sh("--no-serve")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, (
            "reusing the demo hub in ./vigil-data (made by an earlier 'make "
            "run'; its admin key, printed then, still works)\n"
            "a new admin key:  build/vigil --data ./vigil-data key new "
            "--user admin\n"), ""))
        # a port a server answers on is refused before anything is done
        p = self.run_sh(env={"VIGIL_LISTEN": "127.0.0.1:%d"
                             % self.server.port})
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        self.assertEqual(p.stderr, "make run: 127.0.0.1:%d is taken (a server "
                         "answers there: an earlier 'make run'?); use it, "
                         "stop it, or serve on another port: make run "
                         "VIGIL_LISTEN=127.0.0.1:8081\n" % self.server.port)

    def test_matcher(self):
        self.assertTrue(matches(["a", "...", "c ... e"], ["a", "b", "b",
                                                          "c d e"]))
        self.assertTrue(matches(["..."], []))
        self.assertFalse(matches(["a"], ["a", "b"]))
        self.assertFalse(matches(["a...c"], ["ab"]))


if __name__ == "__main__":
    main()
