"""PostgreSQL only (ctest's integration-pg): two `vigil serve` processes on
one database under concurrent POST and GET clients, one killed with -9
mid-write; a watch made on one firing on the other, its alert streamed
at once; the PostgreSQL server stopped and started under load; and
`vigil migrate` SQLite -> PostgreSQL -> SQLite giving the same export byte
for byte and audit logs that verify."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import test_crash
from vigiltest import (POSTGRES, SHARED, STIX, TAXII, VIGIL, Server,
                       VigilCase, drop_store, main, request, store_location,
                       store_sql)

TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
NEEDS = "PostgreSQL only: run with VIGIL_TEST_BACKEND=postgres (integration-pg)"
PER_ENVELOPE = test_crash.PER_ENVELOPE
HERE = os.path.dirname(os.path.abspath(__file__))
PGTEST = os.path.join(HERE, "..", "..", "scripts", "pgtest.sh")


class Reader(threading.Thread):
    """GETs pages of a collection from the given servers in turn until
    stopped; every answer must be 200 (or a refused connection from a
    server that was killed)."""

    def __init__(self, servers, cid, key):
        super().__init__(daemon=True)
        self.servers, self.cid, self.key = servers, cid, key
        self.stop_at = False
        self.pages = 0
        self.bad = []

    def run(self):
        i = 0
        while not self.stop_at:
            s = self.servers[i % len(self.servers)]
            i += 1
            try:
                r = request(s.root + "collections/%s/objects/?limit=50"
                            % self.cid, key=self.key, timeout=30)
            except OSError:
                continue  # the killed one
            if r.status != 200:
                self.bad.append((r.status, r.body[:200]))
            else:
                self.pages += 1


@unittest.skipUnless(POSTGRES, NEEDS)
class TwoServers(VigilCase):
    def setUp(self):
        super().setUp()
        self.key = self.vigil("key", "new", "--user", "admin", "--json",
                              check=0).json()["key"]
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop(signal.SIGKILL)
        super().tearDown()

    serve = test_crash.Crash.serve
    envelopes = test_crash.Crash.envelopes
    start_posters = test_crash.Crash.start_posters
    wait_acked = test_crash.Crash.wait_acked
    assert_all_present = test_crash.Crash.assert_all_present
    verify_audit = test_crash.Crash.verify_audit

    def analysts(self):
        """ann of alpha and bob of beta, analysts: their keys by name."""
        keys = {}
        for org, user in (("alpha", "ann"), ("beta", "bob")):
            self.vigil("org", "add", org, check=0)
            self.vigil("user", "add", user, "--org", org, "--role",
                       "analyst", check=0)
            keys[user] = self.vigil("key", "new", "--user", user, "--json",
                                    check=0).json()["key"]
        return keys

    def page_all(self, servers, cid):
        """Every object of the collection, paged 500 at a time with each
        next page asked of the other server: (id, modified) in order."""
        got, nxt, i = [], None, 0
        while True:
            s = servers[i % len(servers)]
            i += 1
            url = s.root + "collections/%s/objects/?limit=500" % cid
            if nxt:
                url += "&next=" + nxt
            r = request(url, key=self.key)
            self.assertEqual(r.status, 200, r.body[:300])
            env = r.json()
            got += [(o["id"], o.get("modified")) for o in env["objects"]]
            if not env["more"]:
                return got
            nxt = env["next"]

    def test_a_watch_made_on_one_server_fires_on_the_other(self):
        """Early warning across processes: a watch made through A fires on
        an object posted through B, and the alert reaches a stream open on
        A at once (NOTIFY vigil_alerts); the watch removed through B no
        longer fires on A (its generation moved)."""
        keys = self.analysts()
        a, b = self.serve(), self.serve()
        cid = [c["id"] for c in request(a.root + "collections/",
                                        key=keys["bob"]).json()[
            "collections"] if c["alias"] == "community"][0]

        def api(server, path, key, method="GET", body=None):
            return request(server.base + "/api/v1/" + path, method, key=key,
                           body=None if body is None else json.dumps(body),
                           headers={"Accept": "application/json",
                                    "Content-Type": "application/json"})

        def post(server, value):
            ns = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
            sco = {"type": "ipv4-addr", "spec_version": "2.1",
                   "id": "ipv4-addr--%s" % uuid.uuid5(
                       ns, json.dumps({"value": value},
                                      separators=(",", ":"))),
                   "value": value}
            r = request(server.root + "collections/%s/objects/" % cid,
                        "POST", key=keys["bob"],
                        body=json.dumps({"objects": [sco]}))
            self.assertEqual(r.status, 202, r.body)
            return sco["id"]

        def stream(server, got):
            c = http.client.HTTPConnection("127.0.0.1", server.port,
                                           timeout=10)
            c.request("GET", "/api/v1/alerts/stream", headers={
                "Authorization": "Bearer " + keys["ann"],
                "Accept": "text/event-stream"})
            r = c.getresponse()
            cur = {}
            try:
                while not got:
                    line = r.fp.readline().decode()
                    if not line:
                        break
                    line = line.rstrip("\n")
                    if line.startswith("id: "):
                        cur["id"] = int(line[4:])
                    elif line.startswith("data: "):
                        cur["data"] = json.loads(line[6:])
                    elif line == "" and "id" in cur:
                        got.append(cur)
            except TimeoutError:
                pass
            c.close()

        r = api(a, "watches", keys["ann"], "POST",
                {"kind": "value", "term": "198.51.100.0/24"})
        self.assertEqual(r.status, 201, r.body)
        wid = r.json()["id"]
        got = []
        t = threading.Thread(target=stream, args=(a, got))
        t.start()
        time.sleep(0.5)
        posted = time.time()
        oid = post(b, "198.51.100.1")
        t.join()
        self.assertLess(time.time() - posted, 2.0)
        self.assertEqual([(e["id"], e["data"]["kind"], e["data"]["object"])
                          for e in got], [(1, "match", oid)])
        alerts = api(b, "alerts", keys["ann"]).json()["alerts"]
        self.assertEqual([x["object"] for x in alerts], [oid])
        r = api(b, "watches/%d" % wid, keys["ann"], "DELETE")
        self.assertEqual(r.status, 200, r.body)
        post(a, "198.51.100.2")
        alerts = api(a, "alerts", keys["ann"]).json()["alerts"]
        self.assertEqual([x["object"] for x in alerts], [oid])

    def test_two_servers_kill_9_of_one_mid_write(self):
        envelopes = self.envelopes(5, 60 * PER_ENVELOPE)
        a, b = self.serve(), self.serve()
        cid, on_a = self.start_posters(a, envelopes[0::2])
        _, on_b = self.start_posters(b, envelopes[1::2])
        reader = Reader([a, b], cid, self.key)
        reader.start()
        self.wait_acked(on_a + on_b, 10)
        a.proc.send_signal(signal.SIGKILL)
        a.proc.wait()
        for p in on_a + on_b:
            p.join(300)
            self.assertFalse(p.is_alive())
        reader.stop_at = True
        reader.join(60)
        self.assertEqual(reader.bad, [])
        self.assertGreater(reader.pages, 0)
        # b went on: every envelope of its clients was acknowledged
        self.assertEqual(sum(len(p.acked) for p in on_b),
                         len(envelopes[1::2]), [p.errors for p in on_b])
        self.assertLess(sum(len(p.acked) for p in on_a), len(envelopes[0::2]),
                        "the kill came too late")
        # every acknowledged object of both, read through b and through a
        # restarted a
        self.assert_all_present(b, cid, on_a + on_b)
        a = self.serve()
        self.assert_all_present(a, cid, on_a + on_b)
        # one date_added per version, across both processes
        [(n, distinct)] = store_sql(self.data, "SELECT COUNT(*), COUNT("
                                    "DISTINCT date_added) FROM objects")
        self.assertEqual(n, distinct)
        # paging from one process to the other: each version once, in
        # date_added order
        paged = self.page_all([a, b], cid)
        self.assertEqual(len(paged), len(set(paged)))
        rows = store_sql(self.data, "SELECT o.id FROM objects o, collections c"
                         " WHERE c.alias = 'community' AND o.collection = c.id"
                         " AND o.latest = 1 ORDER BY date_added")
        self.assertEqual([p[0] for p in paged], [r[0] for r in rows])
        for s in (a, b):
            self.assertEqual(s.stop()[0], 0)
        self.servers = []
        self.verify_audit()

    def test_the_read_cache_never_answers_out_of_date(self):
        """Each process keeps authentications and pages in memory
        (readcache.h); a change made through the other process, or by the
        CLI, shows in the very next answer: a new object, a group left, a
        key revoked, a user disabled. Every answer is on record, one
        entry each, and the chain verifies."""
        keys = self.analysts()
        self.vigil("group", "add", "Joint", check=0)
        for org in ("alpha", "beta"):
            self.vigil("group", "member", "add", "Joint", org, check=0)
        a, b = self.serve(), self.serve()
        reads = {"ann": 0, "bob": 0}

        def page(server, user, alias, status=200):
            r = request(server.root + "collections/%s/objects/"
                        "?match[type]=indicator" % alias, key=keys[user])
            self.assertEqual(r.status, status, r.body[:300])
            reads[user] += r.status == 200
            return [o["id"] for o in r.json()["objects"]] \
                if r.status == 200 else None

        def post(server, alias, n):
            obj = {"type": "indicator", "spec_version": "2.1",
                   "id": "indicator--%s" % uuid.uuid4(),
                   "created": "2026-01-0%dT00:00:00.000Z" % n,
                   "modified": "2026-01-0%dT00:00:00.000Z" % n,
                   "pattern": "[ipv4-addr:value = '10.0.0.%d']" % n,
                   "pattern_type": "stix", "valid_from":
                   "2026-01-01T00:00:00Z", "object_marking_refs": [TLP_GREEN]}
            r = request(server.root + "collections/%s/objects/" % alias,
                        "POST", key=keys["ann"],
                        body=json.dumps({"objects": [obj]}))
            self.assertEqual(r.status, 202, r.body)
            self.assertEqual(r.json()["success_count"], 1, r.body)
            return obj["id"]

        def cache(server):
            r = request(server.base + "/metrics", key=self.key)
            self.assertEqual(r.status, 200, r.body[:300])
            return {o: int(line.split()[-1]) for line in r.body
                    .splitlines() for o in ("hit", "miss", "stale")
                    if line.startswith('vigil_read_cache_total{outcome="%s"}'
                                       % o)}

        # 1. a page read twice on B is kept; an object posted through A is
        # in B's next answer
        first = post(a, "community", 1)
        for _ in range(3):
            self.assertEqual(page(b, "bob", "community"), [first])
        before = cache(b)
        self.assertGreaterEqual(before["hit"], 2)  # the key, the page
        second = post(a, "community", 2)
        self.assertEqual(page(b, "bob", "community"), [first, second])
        after = cache(b)
        self.assertEqual(after["stale"], before["stale"] + 1)
        # 2. a group left (through the CLI): its collection is gone at once
        joint = post(a, "group-joint", 3)
        self.assertEqual(page(b, "bob", "group-joint"), [joint])
        self.assertEqual(page(b, "bob", "group-joint"), [joint])
        self.vigil("group", "member", "remove", "Joint", "beta", check=0)
        page(b, "bob", "group-joint", 404)
        self.assertEqual(page(a, "ann", "group-joint"), [joint])
        # 3. a key revoked, a user disabled: refused at once
        self.assertEqual(page(b, "ann", "community"), [first, second])
        self.assertEqual(page(b, "ann", "community"), [first, second])
        kid = keys["ann"].split("_")[1]
        self.vigil("key", "revoke", kid, check=0)
        page(b, "ann", "community", 401)
        page(b, "bob", "community")
        page(b, "bob", "community")
        self.vigil("user", "disable", "bob", check=0)
        page(b, "bob", "community", 401)
        page(a, "bob", "community", 401)
        # every answer on record once, cache or not
        for user, n in reads.items():
            [(got,)] = store_sql(self.data, "SELECT COUNT(*) FROM audit WHERE"
                                 " actor = '%s' AND action = 'objects.read'"
                                 % user)
            self.assertEqual(int(got), n, user)
        for s in (a, b):
            self.assertEqual(s.stop()[0], 0)
        self.servers = []
        self.verify_audit()

    def test_writes_of_two_servers_make_one_chain(self):
        """Imports and posts through two processes at once: one audit
        chain, seq without gaps, and it verifies."""
        a, b = self.serve(), self.serve()
        envelopes = self.envelopes(6, 20 * PER_ENVELOPE)
        cid, on_a = self.start_posters(a, envelopes[0::2])
        _, on_b = self.start_posters(b, envelopes[1::2])
        imp = subprocess.Popen([VIGIL, "--data", self.data, "import",
                                os.path.join(STIX, "oasis-apt1.json")],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        for p in on_a + on_b:
            p.join(300)
            self.assertEqual(p.errors, [])
        self.assertEqual(imp.wait(300), 0, imp.stderr.read())
        [(n, first, last)] = store_sql(self.data, "SELECT COUNT(*), MIN(seq),"
                                       " MAX(seq) FROM audit")
        self.assertEqual((first, last), ("1", n))
        for s in (a, b):
            self.assertEqual(s.stop()[0], 0)
        self.servers = []
        self.verify_audit()


class Restart(unittest.TestCase):
    """A private cluster: its server is stopped and started again while a
    `vigil serve` takes POSTs."""

    @unittest.skipUnless(POSTGRES, NEEDS)
    def test_postgres_restart_under_load(self):
        tmp = tempfile.mkdtemp(prefix="vigil-pgr-")
        os.chmod(tmp, 0o755)  # the cluster's owner goes through it
        cluster = os.path.join(tmp, "pg")
        server = None
        try:
            url = subprocess.run(["sh", PGTEST, "start", cluster],
                                 capture_output=True, text=True, check=True
                                 ).stdout.strip()
            data = url.replace(":///?", ":///restart?", 1)
            env = dict(os.environ, VIGIL_KEY_DIR=os.path.join(tmp, "keys"))

            def vigil(*args):
                p = subprocess.run([VIGIL, "--data", data, *args], env=env,
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stderr)
                return p.stdout
            key = json.loads(vigil("init", "--json"))["key"]
            orgs = json.loads(vigil("org", "list", "--json"))["orgs"]
            text = vigil("gen", "--seed", "8", "--count", "8000",
                         "--created-by", orgs[0]["identity"])
            from vigiltest import raw_objects
            objs = raw_objects(text)
            bodies = [('{"objects":[' + ",".join(objs[i:i + 100]) +
                       ']}').encode() for i in range(0, len(objs), 100)]
            server = Server(data, env=env)
            cid = request(server.root + "collections/community/",
                          key=key).json()["id"]
            path = "/taxii2/hub/collections/%s/objects/" % cid
            acked, refused, other = [], [0], []

            def post_all():
                for body in bodies:
                    t0 = time.monotonic()
                    while time.monotonic() - t0 < 120:
                        conn = http.client.HTTPConnection(
                            "127.0.0.1", server.port, timeout=60)
                        conn.request("POST", path, body=body, headers={
                            "Authorization": "Bearer " + key,
                            "Accept": TAXII, "Content-Type": TAXII})
                        r = conn.getresponse()
                        data_ = r.read()
                        conn.close()
                        if r.status == 202:
                            st = json.loads(data_)
                            if st["status"] == "complete":
                                acked.append(st["successes"])
                            break
                        if r.status == 503:
                            refused[0] += 1
                            time.sleep(0.05)
                            continue
                        other.append((r.status, data_[:200]))
                        return
            poster = threading.Thread(target=post_all, daemon=True)
            poster.start()
            while len(acked) < 5:
                time.sleep(0.01)
            subprocess.run(["sh", PGTEST, "restart", cluster], check=True)
            poster.join(300)
            self.assertFalse(poster.is_alive())
            self.assertEqual(other, [])
            # while the database was away, requests failed cleanly (503),
            # and vigil reconnected by itself: every envelope went in
            self.assertGreater(refused[0], 0, "no request met the restart")
            self.assertEqual(len(acked), len(bodies))
            ids = {s["id"] for st in acked for s in st}
            self.assertEqual(len(ids), len(objs))
            got = {row[0] for row in store_sql(data, "SELECT id FROM objects")}
            self.assertEqual(ids - got, set())
            r = request(server.root + "collections/%s/objects/?limit=10"
                        % cid, key=key)
            self.assertEqual(r.status, 200, r.body[:300])
            code, err = server.stop()
            server = None
            self.assertEqual(code, 0, err)
            out = vigil("audit", "verify")
            self.assertTrue(out.startswith("audit log intact: "), out)
        finally:
            if server:
                server.stop(signal.SIGKILL)
            subprocess.run(["sh", PGTEST, "stop", cluster])
            shutil.rmtree(tmp, ignore_errors=True)


@unittest.skipUnless(POSTGRES, NEEDS)
class Migrate(VigilCase):
    """A SQLite hub with objects of every kind, versions, deletions, keys,
    groups, screening runs with a disposition and the suppression it made,
    a partner hub it pulled from (cursors, provenance, a tombstone, a
    quarantined forgery) and a checkpoint, copied to PostgreSQL (the test's
    database) and back to SQLite."""

    def sqlite_hub(self, path):
        def run(*args, stdin=None, code=0):
            p = subprocess.run([VIGIL, "--data", path, *args], input=stdin,
                               capture_output=True, text=True, timeout=600)
            self.assertEqual(p.returncode, code, p.stderr)
            return p.stdout
        run("init")
        for f in ("oasis-apt1.json", "ics-attack-17.1.json",
                  "ics-attack-18.1.json"):
            run("import", os.path.join(STIX, f))
        run("org", "add", "Partner")
        run("user", "add", "ana", "--org", "Partner", "--role", "analyst")
        run("key", "new", "--user", "ana")
        run("group", "add", "Ring")
        run("group", "member", "add", "Ring", "Partner")
        run("watchlist", "import", "--format", "un", os.path.join(
            SHARED, "data", "watchlists", "un",
            "consolidated-2026-02-27.xml"))
        csv = os.path.join(HERE, "data", "screen-travellers.csv")
        scr = json.loads(run("screen", "--json", csv, code=4))
        run("screening", "dispose", scr["run"], "1", "false-positive",
            "--note", "not him")
        again = json.loads(run("screen", "--json", csv, code=4))
        self.assertEqual(again["hits"][0]["suppressed"]["suppression"], 1)
        self.federate(path, run)
        self.early_warning(path, run)
        run("audit", "checkpoint")
        return run, scr["run"]

    def early_warning(self, src, run):
        """Two agencies' indicators on one address: ann's watch on its
        block (with a webhook to a host allowed, never reached) alerts on
        both; ann asks
        gamma for its record, which gamma discloses, and gus grants it;
        an address no longer excluded from correlation."""
        keys = {}
        for org, user in (("alpha", "ann"), ("gamma", "gus")):
            run("org", "add", org)
            run("user", "add", user, "--org", org, "--role", "analyst")
            keys[user] = json.loads(run("key", "new", "--user", user,
                                        "--json"))["key"]
        srv = Server(src)
        try:
            colls = {c["alias"]: c["id"] for c in request(
                srv.root + "collections/", key=keys["gus"]).json()[
                    "collections"]}
            ind = {}
            for user, coll in (("ann", "community"), ("gus", "org-gamma")):
                ind[user] = "indicator--%s" % uuid.uuid4()
                ts = "2025-01-01T00:00:00.000Z"
                r = request(srv.root + "collections/%s/objects/"
                            % colls[coll], "POST", key=keys[user],
                            body=json.dumps({"objects": [{
                                "type": "indicator", "spec_version": "2.1",
                                "id": ind[user], "created": ts,
                                "modified": ts, "pattern_type": "stix",
                                "valid_from": ts,
                                "pattern": "[ipv4-addr:value = "
                                           "'192.0.2.66']"}]}))
                self.assertEqual(r.status, 202, r.body)
            r = request(srv.base + "/api/v1/disclosure", "POST",
                        key=keys["gus"], body=json.dumps(
                            {"subject": "org-gamma", "choice": "yes"}))
            self.assertEqual(r.status, 200, r.body)
        finally:
            code, err = srv.stop()
            self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(run(
            "access", "request", ind["ann"], "--org", "gamma", "--reason",
            "joint case", "--as", "ann")), {"id": 1, "records": 1})
        self.assertEqual(json.loads(run("access", "grant", "1", "--as",
                                        "gus"))["granted"], 1)
        run("warn", "set", "webhook_hosts", "127.0.0.1:9")
        out = run("watch", "add", "value", "192.0.2.0/24", "--webhook",
                  "http://127.0.0.1:9/hook", "--as", "ann")
        self.assertEqual(out.splitlines()[0], "watch 1 (value 192.0.2.0/24):"
                                              " 2 alerts on stored data")
        run("warn", "include", "192.0.2.1")

    def federate(self, src, run):
        """src pulls two indicators from an origin hub; the origin deletes
        one (its tombstone travels); a tombstone the origin did not sign,
        posted to src, is quarantined."""
        origin = os.path.join(self.tmp, "origin")
        admin = self.vigil("init", "--json", data=origin, check=0).json()["key"]
        o_srv, s_srv = Server(origin), Server(src)
        try:
            key_at_origin = self.vigil(
                "partner", "add", "src", "--url", s_srv.root, "--direction",
                "push", "--interval", "3600", "--json", data=origin,
                check=0).json()["key"]
            key_at_src = json.loads(run(
                "partner", "add", "origin", "--url", o_srv.root,
                "--direction", "pull", "--interval", "3600", "--json",
                "--secret-file", "-", stdin=key_at_origin))["key"]
            ids = []
            for name in ("kept", "deleted"):
                oid = "indicator--%s" % uuid.uuid4()
                ids.append(oid)
                ts = "2026-01-02T03:04:05.000Z"
                self.write(name + ".json", json.dumps({"objects": [{
                    "type": "indicator", "spec_version": "2.1", "id": oid,
                    "created": ts, "modified": ts, "name": name,
                    "pattern_type": "stix", "valid_from": ts,
                    "pattern": "[ipv4-addr:value = '198.51.100.7']",
                    "object_marking_refs": [TLP_GREEN]}]}))
                self.vigil("import", "--collection", "all",
                           os.path.join(self.tmp, name + ".json"),
                           data=origin, check=0)
            got = json.loads(run("partner", "sync", "origin", "--json"))
            self.assertEqual((got["error"], got["quarantined"]), (None, 0))
            run("get", ids[0])
            run("get", ids[1])
            r = request(o_srv.root + "collections/all/objects/%s/" % ids[1],
                        method="DELETE", key=admin)
            self.assertEqual(r.status, 200, r.body)
            got = json.loads(run("partner", "sync", "origin", "--json"))
            self.assertEqual((got["error"], got["quarantined"]), (None, 0))
            run("get", ids[0])
            run("get", ids[1], code=1)
            hub = request(o_srv.base + "/.well-known/vigil-hub").json()
            forged = {"tombstones": [{
                "origin": hub["hub_id"], "id": ids[0],
                "version": "2026-01-02T03:04:05.000000000Z",
                "sig": "A" * 86 + "==", "path": [hub["hub_id"]]}]}
            r = request(s_srv.base + "/api/v1/fed/tombstones",
                        method="POST", key=key_at_src,
                        body=json.dumps(forged))
            self.assertEqual((r.status, r.json()), (200, {"applied": 0,
                                                         "refused": 1}))
        finally:
            for srv in (o_srv, s_srv):
                code, err = srv.stop()
                self.assertEqual(code, 0, err)
        counts = store_sql(src, "SELECT (SELECT count(*) FROM sync_partners),"
                                " (SELECT count(*) FROM sync_cursors),"
                                " (SELECT count(*) FROM sync_prov),"
                                " (SELECT count(*) FROM sync_tombstones),"
                                " (SELECT count(*) FROM sync_quarantine),"
                                " (SELECT count(*) FROM screen_suppressions)")
        self.assertTrue(all(int(n) > 0 for n in counts[0]), counts)

    def assert_warn_rows(self, src):
        """Every early-warning table of src holds rows."""
        tables = ("warn_keys", "warn_refs", "warn_watches", "warn_alerts",
                  "warn_deliveries", "warn_disclosure", "warn_requests",
                  "warn_grants", "warn_exclusions")
        counts = store_sql(src, "SELECT %s" % ", ".join(
            "(SELECT count(*) FROM %s)" % t for t in tables))
        self.assertTrue(all(int(n) > 0 for n in counts[0]), counts)

    def empty_target(self):
        """The test's database dropped and its key gone: the migration
        makes them."""
        drop_store(self.data)
        os.remove(os.path.join(self.tmp, "data", "hub-signing.key"))

    def export(self, data):
        r = self.vigil("export", "--all-versions", data=data, check=0).out
        return r[r.index('"objects":'):]

    def test_round_trip_sqlite_postgres_sqlite(self):
        src = os.path.join(self.tmp, "src")
        back = os.path.join(self.tmp, "back")
        self.empty_target()
        run, run_id = self.sqlite_hub(src)
        r = self.vigil("migrate", "--from", src, "--to", self.data,
                       "--json", check=0).json()
        self.assertEqual((r["tables"], r["verified"]), (29, True))
        self.assert_warn_rows(src)
        r2 = self.vigil("migrate", "--from", self.data, "--to", back,
                        "--json", check=0).json()
        self.assertEqual(r2["rows"], r["rows"] + 1)  # + hub.migrate
        a, b, c = self.export(src), self.export(self.data), self.export(back)
        self.assertEqual(a, b)
        self.assertEqual(a, c)
        for d in (src, self.data, back):
            v = self.vigil("audit", "verify", data=d, check=0).out
            self.assertTrue(v.startswith("audit log intact: "), v)
            self.assertIn("1 signed checkpoints verified", v)
            shown = json.loads(self.vigil("screening", "show", run_id,
                                          "--json", data=d, check=0).out)
            self.assertEqual(shown["hits"][0]["disposition"],
                             "false-positive")
            self.assertEqual(shown["hits"][0]["note"], "not him")
        # the copies' checkpoints can be extended with the moved key
        self.vigil("audit", "checkpoint", data=back, check=0)
        self.vigil("audit", "checkpoint", check=0)
        # the same objects, organisations, users and keys everywhere
        for what in (("org", "list", "--json"), ("user", "list", "--json"),
                     ("group", "list", "--json"), ("stats", "--json"),
                     ("screening", "list", "--json"),
                     ("screening", "suppressions", "--all", "--json"),
                     ("partner", "list", "--json"),
                     ("partner", "quarantine", "origin", "--json"),
                     ("watch", "list", "--as", "ann", "--json"),
                     ("alerts", "--as", "ann", "--json"),
                     ("access", "requests", "--as", "gus"),
                     ("access", "grants", "--as", "gus"),
                     ("warn", "exclusions")):
            outs = [self.vigil(*what, data=d, check=0).json()
                    for d in (src, self.data, back)]
            if what[0] == "stats":
                for o in outs:
                    o.pop("bytes")
            if what[0] == "partner" and what[1] == "list":
                for o in outs:  # counted from now
                    o["partners"][0]["status"].pop("lag_seconds")
            self.assertEqual(outs[0], outs[1], what)
            self.assertEqual(outs[0], outs[2], what)

    def test_refusals(self):
        src = os.path.join(self.tmp, "src")
        self.vigil("init", data=src, check=0)
        # the test's database holds a hub already
        r = self.vigil("migrate", "--from", src, "--to", self.data)
        self.assertEqual(r.code, 3)
        self.assertIn("holds a hub already", r.err)
        r = self.vigil("migrate", "--from", os.path.join(self.tmp, "none"),
                       "--to", self.data)
        self.assertEqual((r.code, r.err), (3, "vigil: migrate: no store in "
                                           "'%s'\n" % os.path.join(
                                               self.tmp, "none")))

    def test_the_first_released_store_copies(self):
        fixture = os.path.join(HERE, "data", "store-v3")
        src = os.path.join(self.tmp, "v3")
        shutil.copytree(fixture, src)
        os.chmod(os.path.join(src, "hub-signing.key"), 0o600)
        self.empty_target()
        self.vigil("migrate", "--from", src, "--to", self.data, check=0)
        stats = self.vigil("stats", "--json", check=0).json()
        self.assertEqual((stats["objects"], stats["versions"]), (162, 162))
        v = self.vigil("audit", "verify", check=0).out
        self.assertTrue(v.startswith("audit log intact: "), v)


if __name__ == "__main__":
    main()
