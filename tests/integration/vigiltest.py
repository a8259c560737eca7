"""Shared by the integration tests: run the real vigil binary on temporary
stores. Usage of a test file: python3 test_x.py VIGIL_BINARY SHARED_DIR."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

VIGIL = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/vigil"
SHARED = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "../shared"
STIX = os.path.join(SHARED, "data", "stix")


def raw_objects(bundle_text):
    """The exact text of each object of a compact bundle's objects array."""
    start = bundle_text.index('"objects":[') + len('"objects":[')
    dec = json.JSONDecoder()
    out, i = [], start
    while bundle_text[i] != "]":
        _, end = dec.raw_decode(bundle_text, i)
        out.append(bundle_text[i:end])
        i = end + (bundle_text[end] == ",")
    return out


class Result:
    def __init__(self, p):
        self.code = p.returncode
        self.out = p.stdout
        self.err = p.stderr

    def json(self):
        return json.loads(self.out)


class VigilCase(unittest.TestCase):
    """Each test gets a fresh temporary directory and store."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-test-")
        self.data = os.path.join(self.tmp, "data")
        r = self.vigil("init")
        self.assertEqual(r.code, 0, r.err)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def vigil(self, *args, data=None, stdin=None, check=None, timeout=600):
        p = subprocess.run([VIGIL, "--data", data or self.data, *args],
                           input=stdin, capture_output=True, text=True,
                           timeout=timeout)
        r = Result(p)
        if check is not None:
            self.assertEqual(r.code, check, r.out + r.err)
        return r

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def export_objects(self, data=None, *args):
        """The exported objects (parsed) and their exact texts, in order."""
        r = self.vigil("export", *args, data=data, check=0)
        bundle = json.loads(r.out)
        self.assertEqual(bundle["type"], "bundle")
        return bundle["objects"], raw_objects(r.out)

    def stats(self, data=None):
        return self.vigil("stats", "--json", data=data, check=0).json()

    def stats_added(self, before, data=None):
        """Versions by type added since the stats `before`."""
        after = self.stats(data)
        out = {}
        for t, v in after["types"].items():
            n = v["versions"] - before["types"].get(t, {}).get("versions", 0)
            if n:
                out[t] = n
        return out


def main():
    unittest.main(argv=[sys.argv[0]], verbosity=2)
