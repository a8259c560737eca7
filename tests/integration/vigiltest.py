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

# VIGIL_TEST_BACKEND=postgres: each test's hub is a fresh database of the
# throwaway cluster whose location prefix is VIGIL_TEST_PG
# (scripts/pgtest.sh), with its signing key in a key directory.
BACKEND = os.environ.get("VIGIL_TEST_BACKEND", "sqlite")
PG = os.environ.get("VIGIL_TEST_PG", "")
POSTGRES = BACKEND == "postgres"
if POSTGRES and not PG:
    sys.exit("VIGIL_TEST_BACKEND=postgres needs VIGIL_TEST_PG")
_made = []


def store_location(tmp, name="data"):
    """A new store's location for a test: the directory tmp/name, or on
    PostgreSQL a new database (its files, the key and vigil.conf, in
    tmp/name, made now and given in VIGIL_KEY_DIR)."""
    home = os.path.join(tmp, name)
    if not POSTGRES:
        return home
    import uuid
    os.makedirs(home, mode=0o700, exist_ok=True)
    os.environ["VIGIL_KEY_DIR"] = home
    db = "vt_%s" % uuid.uuid4().hex[:20]
    _made.append(db)
    return PG.replace(":///?", ":///%s?" % db, 1)


def store_home(tmp, name="data"):
    """Where the hub's files are (signing key, vigil.conf)."""
    return os.path.join(tmp, name)


def drop_store(location):
    """Drop a test's database (PostgreSQL); nothing for a directory."""
    if not POSTGRES or "://" not in location:
        return
    db = location.split(":///", 1)[1].split("?", 1)[0]
    psql("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)" % db)
    if db in _made:
        _made.remove(db)


def store_copy(location, tmp, name):
    """A copy of the (closed) store at location, as a new store."""
    if not POSTGRES or "://" not in location:
        dst = os.path.join(tmp, name)
        shutil.copytree(location, dst)
        return dst
    src = location.split(":///", 1)[1].split("?", 1)[0]
    dst = store_location(tmp, name)
    db = dst.split(":///", 1)[1].split("?", 1)[0]
    psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (db, src))
    return dst


def psql(statement, location=None, sep="|"):
    """Run statement with psql on location (default: the maintenance
    database); its output without headers, fields separated by sep."""
    loc = location or PG.replace(":///?", ":///postgres?", 1)
    psql_bin = os.path.join(os.environ.get("PG_BIN",
                                           "/usr/lib/postgresql/15/bin"),
                            "psql")
    p = subprocess.run([psql_bin, "-X", "-q", "-A", "-t", "-F", sep, "-v",
                        "ON_ERROR_STOP=1", loc, "-c", statement],
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError("psql: %s" % p.stderr)
    return p.stdout


def store_sql(location, statement):
    """The rows of a read-only SQL statement on the store at location
    (either backend), as tuples of strings."""
    if POSTGRES and "://" in location:
        # fields apart by a byte no stored text holds (a detail may hold |)
        out = psql(statement, location, sep="\x1f")
        return [tuple(line.split("\x1f")) for line in out.splitlines()
                if line]
    import sqlite3
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(location,
                                                         "vigil.db"),
                         uri=True)
    try:
        return [tuple(str(v) for v in row)
                for row in db.execute(statement).fetchall()]
    finally:
        db.close()


def store_exec(location, statements):
    """Run SQL statements that change the store at location (either
    backend; a test's tampering), in one transaction."""
    if POSTGRES and "://" in location:
        psql("BEGIN;%s;COMMIT" % statements, location)
        return
    import sqlite3
    db = sqlite3.connect(os.path.join(location, "vigil.db"))
    try:
        db.executescript("BEGIN;%s;COMMIT" % statements)
    finally:
        db.close()


def _drop_all():
    for db in list(_made):
        try:
            drop_store(PG.replace(":///?", ":///%s?" % db, 1))
        except Exception:
            pass


if POSTGRES:
    import atexit
    atexit.register(_drop_all)


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
        self.data = store_location(self.tmp)
        r = self.vigil("init")
        self.assertEqual(r.code, 0, r.err)

    def tearDown(self):
        drop_store(self.data)
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


class Server:
    """A real `vigil serve` on a free loopback port, over a store that the
    caller made (vigil init). Stop() sends SIGTERM and waits."""

    def __init__(self, data, *args, env=None):
        import re
        self.proc = subprocess.Popen(
            [VIGIL, "--data", data, "serve", "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        line = self.proc.stdout.readline()
        m = re.search(r"(https?)://127\.0\.0\.1:(\d+)/", line)
        if not m:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.proc.kill()
            raise RuntimeError("server did not start: %r %s" % (line, err))
        self.scheme, self.port = m.group(1), int(m.group(2))
        self.base = "%s://127.0.0.1:%d" % (self.scheme, self.port)
        self.root = self.base + "/taxii2/hub/"

    def stop(self, sig=None):
        import signal as _signal
        if self.proc.stdout.closed:
            return self.proc.returncode, self.stderr_text
        if self.proc.poll() is None:
            self.proc.send_signal(sig or _signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.stderr_text = self.proc.stderr.read()
        self.proc.stderr.close()
        return self.proc.returncode, self.stderr_text


TAXII = "application/taxii+json;version=2.1"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


def request(url, method="GET", key=None, body=None, headers=None,
            basic=None, timeout=60):
    """One HTTP request with http.client; returns Response (any status)."""
    import base64
    import http.client
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    h = {"Accept": TAXII}
    if key:
        h["Authorization"] = "Bearer " + key
    if basic:
        h["Authorization"] = "Basic " + base64.b64encode(
            ("%s:%s" % basic).encode()).decode()
    if body is not None:
        h["Content-Type"] = TAXII
        if isinstance(body, str):
            body = body.encode()
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not None}
    path = u.path + ("?" + u.query if u.query else "")
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    out = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    conn.close()
    return out


class HubCase(VigilCase):
    """A hub with its admin key (self.admin_key) and a running server."""

    server_args = ()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-test-")
        self.data = store_location(self.tmp)
        r = self.vigil("init", "--json")
        self.assertEqual(r.code, 0, r.err)
        self.admin_key = r.json()["key"]
        self.server = Server(self.data, *self.server_args)

    def tearDown(self):
        code, err = self.server.stop()
        drop_store(self.data)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(code, 0, err)

    def new_key(self, user):
        return self.vigil("key", "new", "--user", user, "--json",
                          check=0).json()["key"]

    def collection_id(self, alias, key=None):
        """The id of the collection with this alias, from the list (read
        at its alias URL, a collection names itself by the alias)."""
        r = request(self.server.root + "collections/",
                    key=key or self.admin_key)
        self.assertEqual(r.status, 200, r.body)
        ids = [c["id"] for c in r.json()["collections"] if c["alias"] == alias]
        self.assertEqual(len(ids), 1, r.body)
        return ids[0]
