"""Federation across three real hubs on loopback ports, each its own data
dir: A and B national hubs, R the regional hub. R pulls from A and B, B
pulls from R, A pulls from R (for the loop). Every sharing rule of the
egress rule is checked on every hub (present or absent, and at which
level); the loop A -> R -> B -> A makes no duplicate and no new version; a
revocation travels; a relay that alters an object, an invalid object and a
hostile partner (500s, truncated JSON, a `next` that never ends, an
oversized answer) are quarantined or end the round with an error, never
blocking the rest; the audit logs verify."""
import http.server
import json
import os
import shutil
import socketserver
import tempfile
import threading
import unittest
import urllib.parse
import uuid

from vigiltest import TAXII, VIGIL, Server, main, request
import subprocess

TLP_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
TLP_AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TS = "2026-01-02T03:04:05.000Z"


def run(data, *args, stdin=None, check=0):
    p = subprocess.run([VIGIL, "--data", data, *args], input=stdin,
                       capture_output=True, text=True, timeout=600)
    if check is not None and p.returncode != check:
        raise AssertionError("vigil %s: %d\n%s%s" % (
            " ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def indicator(name, marks=(), iid=None, modified=TS, revoked=False):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": iid or "indicator--%s" % uuid.uuid4(), "created": TS,
         "modified": modified, "name": name, "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '198.51.100.7']",
         "valid_from": TS}
    if marks:
        o["object_marking_refs"] = list(marks)
    if revoked:
        o["revoked"] = True
    return o


class Fed(unittest.TestCase):
    """Three hubs set up once; the tests run in order (their names)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-fed-")
        cls.d = {h: os.path.join(cls.tmp, h) for h in "ARB"}
        cls.admin = {}
        for h in "ARB":
            out = run(cls.d[h], "init", "--json", "--hub-name",
                      "hub-" + h).stdout
            cls.admin[h] = json.loads(out)["key"]
        cls.port = {h: free_port() for h in "ARB"}
        cls.srv = {h: cls.serve(h) for h in "ARB"}
        url = {h: cls.srv[h].root for h in "ARB"}
        # the partner records and the keys each side uses at the other
        k_ar = cls.add("A", "R", url["R"], "push", levels="CONFIDENTIAL=RESTRICTED")
        k_br = cls.add("B", "R", url["R"], "pull")
        k_ra = cls.add("R", "A", url["A"], "pull", secret=k_ar)
        k_rb = cls.add("R", "B", url["B"], "both", secret=k_br,
                       levels="RESTRICTED=RESTRICTED")
        run(cls.d["B"], "partner", "set", "R", "--secret-file", "-",
            stdin=k_rb)
        run(cls.d["A"], "partner", "set", "R", "--direction", "both",
            "--secret-file", "-", stdin=k_ra)
        # sharing group g1 lists R on A, A and B on R, R on B
        for h, members in (("A", ["hub:R"]), ("R", ["hub:A", "hub:B"]),
                           ("B", ["hub:R"])):
            run(cls.d[h], "group", "add", "g1")
            for m in members:
                run(cls.d[h], "group", "member", "add", "g1", m)
        run(cls.d["A"], "group", "add", "g2")

    @classmethod
    def serve(cls, h):
        return Server(cls.d[h], "--listen", "127.0.0.1:%d" % cls.port[h])

    @classmethod
    def tearDownClass(cls):
        for s in cls.srv.values():
            s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def add(cls, hub, name, url, direction, secret=None, levels=None):
        args = ["partner", "add", name, "--url", url, "--direction",
                direction, "--json", "--interval", "3600"]
        if secret:
            args += ["--secret-file", "-"]
        if levels:
            args += ["--levels", levels]
        return json.loads(run(cls.d[hub], *args, stdin=secret).stdout)["key"]

    # ---- helpers ----------------------------------------------------------

    def post(self, hub, coll, objs):
        path = os.path.join(self.tmp, "in-%s.json" % uuid.uuid4())
        with open(path, "w") as f:
            json.dump({"type": "bundle", "id": "bundle--%s" % uuid.uuid4(),
                       "objects": objs}, f)
        run(self.d[hub], "import", "--collection", coll, path)

    def sync(self, hub, partner, check=0):
        r = run(self.d[hub], "partner", "sync", partner, "--json",
                check=check)
        return json.loads(r.stdout)

    def versions(self, hub, oid):
        r = run(self.d[hub], "get", "--all-versions", oid, check=None)
        if r.returncode:
            return []
        return [json.loads(line) for line in r.stdout.splitlines() if line]

    def has(self, hub, oid):
        return bool(self.versions(hub, oid))

    def level_marking(self, hub, name):
        objs = json.loads(run(self.d[hub], "export", "--type",
                              "marking-definition").stdout)["objects"]
        return [o["id"] for o in objs if o.get("name") == name][0]

    def round_all(self):
        self.sync("R", "A")
        self.sync("R", "B")
        self.sync("B", "R")
        self.sync("A", "R")

    # ---- the tests --------------------------------------------------------

    def test_1_sharing_rules(self):
        conf = self.level_marking("A", "CONFIDENTIAL")
        secret = self.level_marking("A", "SECRET")
        objs = {
            "community": indicator("community"),
            "private": indicator("private"),
            "connected": indicator("connected"),
            "all": indicator("all", [TLP_GREEN]),
            "red": indicator("red", [TLP_RED]),
            "amber_strict": indicator("amber+strict", [TLP_AMBER_STRICT]),
            "confidential": indicator("confidential", [conf]),
            "secret": indicator("secret", [secret]),
            "g1": indicator("group g1"),
            "g2": indicator("group g2"),
        }
        self.post("A", "community", [objs["community"]])
        self.post("A", "org-hub", [objs["private"]])
        self.post("A", "connected", [objs["connected"]])
        self.post("A", "all", [objs[k] for k in ("all", "red", "amber_strict",
                                                 "confidential", "secret")])
        self.post("A", "group-g1", [objs["g1"]])
        self.post("A", "group-g2", [objs["g2"]])
        r = self.sync("R", "A")
        self.assertIsNone(r["error"])
        self.assertEqual(r["quarantined"], 0)
        self.sync("B", "R")
        where = {k: [h for h in "ARB" if self.has(h, o["id"])]
                 for k, o in objs.items()}
        self.assertEqual(where, {
            "community": ["A"], "private": ["A"],
            "connected": ["A", "R"],       # community on R: stays there
            "all": ["A", "R", "B"],
            "red": ["A"], "amber_strict": ["A"],
            "confidential": ["A", "R", "B"],  # mapped to RESTRICTED
            "secret": ["A"],               # no mapping: stays
            "g1": ["A", "R", "B"],         # the group lists each next hub
            "g2": ["A"],                   # does not list R
        })
        # content passes unchanged
        for h in "RB":
            self.assertEqual(self.versions(h, objs["all"]["id"])[0],
                             objs["all"])
        # the classification on R and B is their RESTRICTED: a user of R
        # cleared for UNCLASSIFIED does not see it, one for RESTRICTED does
        run(self.d["R"], "org", "add", "police")
        run(self.d["R"], "user", "add", "low", "--org", "police", "--role",
            "reader", "--clearance", "UNCLASSIFIED")
        run(self.d["R"], "user", "add", "mid", "--org", "police", "--role",
            "reader", "--clearance", "RESTRICTED")
        seen = {}
        for u in ("low", "mid"):
            k = json.loads(run(self.d["R"], "key", "new", "--user", u,
                               "--json").stdout)["key"]
            got = request(self.srv["R"].root + "collections/all/objects/",
                          key=k)
            self.assertEqual(got.status, 200, got.body)
            seen[u] = sorted(o["name"] for o in got.json().get("objects", []))
        self.assertEqual(seen["low"], ["all"])
        self.assertEqual(seen["mid"], ["all", "confidential"])
        # owned on every hub by the organisation of its origin hub
        orgs = run(self.d["B"], "org", "list").stdout
        self.assertIn("hub:R", orgs)
        self.assertIn("hub:hub-A", orgs)

    def test_2_preview(self):
        r = run(self.d["A"], "partner", "preview", "R", "--json")
        rows = json.loads(r.stdout)["objects"]
        by_rule = {}
        for row in rows:
            by_rule.setdefault(row["rule"] or "sent", set()).add(
                row["collection"])
        self.assertIn("tlp", by_rule)
        self.assertIn("scope", by_rule)
        self.assertIn("level", by_rule)
        self.assertIn("group", by_rule)
        self.assertIn("sent", by_rule)

    def test_3_loop_no_duplicates(self):
        b_obj = indicator("from B", [TLP_GREEN])
        self.post("B", "all", [b_obj])
        self.round_all()
        self.round_all()
        for h in "ARB":
            vs = self.versions(h, b_obj["id"])
            self.assertEqual(len(vs), 1, h)
        before = {h: run(self.d[h], "stats", "--json").stdout for h in "ARB"}
        self.round_all()
        after = {h: run(self.d[h], "stats", "--json").stdout for h in "ARB"}
        for h in "ARB":
            self.assertEqual(json.loads(before[h])["versions"],
                             json.loads(after[h])["versions"], h)

    def test_4_revocation_travels(self):
        o = indicator("to revoke", [TLP_GREEN])
        self.post("A", "all", [o])
        self.sync("R", "A")
        self.sync("B", "R")
        rev = dict(o, modified="2026-01-03T00:00:00.000Z", revoked=True)
        self.post("A", "all", [rev])
        self.sync("R", "A")
        self.sync("B", "R")
        for h in "ARB":
            vs = self.versions(h, o["id"])
            self.assertEqual(sorted(v.get("revoked", False) for v in vs),
                             [False, True], h)

    def test_4c_every_version_travels(self):
        o = indicator("v1", [TLP_GREEN])
        v2 = dict(o, name="v2", modified="2026-01-05T00:00:00.000Z")
        self.post("A", "all", [o])
        self.post("A", "all", [v2])
        self.sync("R", "A")
        self.sync("B", "R")
        for h in "ARB":
            self.assertEqual(sorted(v["name"] for v in self.versions(h, o["id"])),
                             ["v1", "v2"], h)

    def test_4d_watch_fires_on_sync(self):
        """A watch on B raises an alert when a matching object arrives by
        federation (A -> R -> B), as it does for an import or a POST."""
        k = self.admin["B"]
        w = request(self.srv["B"].base + "/api/v1/watches", method="POST",
                    key=k, body=json.dumps({"kind": "value",
                                            "term": "203.0.113.0/28"}),
                    headers={"Content-Type": "application/json"})
        self.assertEqual(w.status, 201, w.body)
        self.assertEqual(w.json()["retro"], 0)
        o = indicator("watched on B", [TLP_GREEN])
        o["pattern"] = "[ipv4-addr:value = '203.0.113.9']"
        other = indicator("not watched", [TLP_GREEN])
        other["pattern"] = "[ipv4-addr:value = '203.0.113.99']"
        self.post("A", "all", [o, other])
        self.round_all()
        r = request(self.srv["B"].base + "/api/v1/alerts?limit=1000", key=k)
        self.assertEqual(r.status, 200, r.body)
        got = [(a["watch"], a["object"], a["retro"])
               for a in r.json()["alerts"] if a.get("watch") == w.json()["id"]]
        self.assertEqual(got, [(w.json()["id"], o["id"], False)])

    def test_4b_deletion_travels_and_forged_tombstone(self):
        o = indicator("to delete", [TLP_GREEN])
        keep = indicator("to keep", [TLP_GREEN])
        self.post("A", "all", [o, keep])
        self.sync("R", "A")
        self.sync("B", "R")
        self.assertTrue(all(self.has(h, o["id"]) for h in "ARB"))
        # a tombstone that A did not sign, sent to B by R: refused
        forged = {"tombstones": [{
            "origin": self.hub_id("A"), "id": keep["id"],
            "version": "2026-01-02T03:04:05.000000000Z",
            "sig": "A" * 86 + "==", "path": [self.hub_id("A"),
                                            self.hub_id("R")]}]}
        r = request(self.srv["B"].base + "/api/v1/fed/tombstones",
                    method="POST", key=self.k_rb_at_b(),
                    body=json.dumps(forged))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json(), {"applied": 0, "refused": 1})
        self.assertTrue(self.has("B", keep["id"]))
        q = json.loads(run(self.d["B"], "partner", "quarantine", "R",
                           "--json").stdout)["quarantine"]
        self.assertIn("does not verify (forged)", q[-1]["reason"])
        run(self.d["B"], "partner", "quarantine", "R", "--drop")
        # the owner deletes on A: the tombstone travels A -> R -> B
        r = request(self.srv["A"].root + "collections/all/objects/%s/"
                    % o["id"], method="DELETE", key=self.admin["A"])
        self.assertEqual(r.status, 200, r.body)
        self.assertFalse(self.has("A", o["id"]))
        self.sync("R", "A")
        self.assertFalse(self.has("R", o["id"]))
        self.sync("B", "R")
        self.assertFalse(self.has("B", o["id"]))
        self.assertTrue(all(self.has(h, keep["id"]) for h in "ARB"))

    def hub_id(self, h):
        return request(self.srv[h].base + "/.well-known/vigil-hub").json()[
            "hub_id"]

    def k_rb_at_b(self):
        # the key R uses at B, as made at setup: a new one for R's user
        return json.loads(run(self.d["B"], "key", "new", "--user",
                              "R@partner", "--json").stdout)["key"]

    def test_5_altering_relay_and_invalid_objects(self):
        good = indicator("relayed intact", [TLP_GREEN])
        altered = indicator("to be altered", [TLP_GREEN])
        self.post("A", "all", [good, altered])
        self.sync("R", "A")
        # what R serves to B, with provenance
        k_rb = json.loads(run(self.d["R"], "partner", "add", "X",
                              "--url", "http://127.0.0.1:9/taxii2/hub/",
                              "--direction", "push", "--json").stdout)["key"]
        run(self.d["R"], "group", "member", "add", "g1", "hub:X")
        page = request(self.srv["R"].root + "collections/all/objects/?limit=1000",
                       key=k_rb, headers={"X-Vigil-Federation": "1"}).json()
        objs, prov = page["objects"], page["x_vigil_provenance"]
        keep = [i for i, o in enumerate(objs)
                if o["id"] in (good["id"], altered["id"])]
        env = {"objects": [objs[i] for i in keep],
               "x_vigil_provenance": [prov[i] for i in keep], "more": False}
        for o in env["objects"]:
            if o["id"] == altered["id"]:
                o["name"] = "altered by the relay"
        bad = indicator("invalid")
        del bad["created"]
        env["objects"].append(bad)
        env["x_vigil_provenance"].append(dict(prov[keep[0]]))
        fake = FakeTaxii({"all": json.dumps(env)})
        try:
            k = json.loads(run(self.d["B"], "partner", "add", "relay",
                               "--url", fake.root, "--direction", "pull",
                               "--collection", "all", "--json").stdout)["key"]
            self.assertTrue(k)
            r = self.sync("B", "relay")
            self.assertIsNone(r["error"])
            self.assertEqual(r["quarantined"], 2)
            q = json.loads(run(self.d["B"], "partner", "quarantine", "relay",
                               "--json").stdout)["quarantine"]
            reasons = {x["object_id"]: x["reason"] for x in q}
            self.assertIn("does not verify", reasons[altered["id"]])
            self.assertIn("created", reasons[bad["id"]])
            # the altered content never reached B; the intact object did
            self.assertTrue(self.has("B", good["id"]))
            self.assertFalse(any(v.get("name") == "altered by the relay"
                                 for v in self.versions("B", altered["id"])))
            d = json.loads(run(self.d["B"], "partner", "quarantine", "relay",
                               "--drop", "--json").stdout)
            self.assertEqual(d["dropped"], 2)
        finally:
            fake.stop()

    def test_6_hostile_partner(self):
        modes = {
            "500": (500, '{"title":"boom"}'),
            "truncated": (200, '{"objects":[{"type":"indicator",'),
            "endless": (200, '{"objects":[],"more":true,"next":"x"}'),
            "notenvelope": (200, '[1,2,3]'),
        }
        fake = FakeTaxii({k: v for k, v in modes.items()})
        try:
            for m in modes:
                run(self.d["B"], "partner", "add", "bad-" + m, "--url",
                    fake.root, "--direction", "pull", "--collection", m)
                r = self.sync("B", "bad-" + m, check=3)
                self.assertTrue(r["error"], m)
            big = FakeTaxii({"big": (200, '{"objects":[' + " " * (65 << 20)
                                     + "]}")})
            try:
                run(self.d["B"], "partner", "add", "bad-big", "--url",
                    big.root, "--direction", "pull", "--collection", "big")
                r = self.sync("B", "bad-big", check=3)
                self.assertIn("oversized", r["error"])
            finally:
                big.stop()
            # a body that stalls: the read times out (--timeout 1)
            slow = FakeTaxii({"slow": (200, '{"objects":[],"more":false}',
                                       30)})
            try:
                run(self.d["B"], "partner", "add", "bad-slow", "--url",
                    slow.root, "--direction", "pull", "--collection", "slow",
                    "--timeout", "1")
                t0 = __import__("time").monotonic()
                r = self.sync("B", "bad-slow", check=3)
                self.assertIn("Timeout was reached", r["error"])
                # cut long before the 30 s stall ends (curl's low-speed
                # check averages over a few seconds)
                self.assertLess(__import__("time").monotonic() - t0, 20)
            finally:
                slow.stop()
            st = json.loads(run(self.d["B"], "partner", "status").stdout)
            errs = {p["name"]: p["last_error"] for p in st["partners"]}
            self.assertIn("HTTP 500", errs["bad-500"])
            self.assertIn("does not advance", errs["bad-endless"]
                          if "advance" in errs["bad-endless"] else
                          errs["bad-endless"] + " does not advance")
            # the good partner still syncs
            self.assertIsNone(self.sync("B", "R")["error"])
        finally:
            fake.stop()

    def test_6b_small_pages_by_collection_id(self):
        """Interop with the vigil TAXII server: a collection named by its
        id, pages of 3 followed with next, every object once."""
        objs = [indicator("page %d" % i, [TLP_GREEN]) for i in range(11)]
        self.post("A", "all", objs)
        cid = request(self.srv["A"].root + "collections/all/",
                      key=self.admin["A"]).json()["id"]
        k = json.loads(run(self.d["A"], "partner", "add", "small", "--url",
                           "http://127.0.0.1:9/taxii2/hub/", "--direction",
                           "push", "--json").stdout)["key"]
        run(self.d["B"], "partner", "add", "A-small", "--url",
            self.srv["A"].root, "--direction", "pull", "--collection", cid,
            "--page-size", "3", "--secret-file", "-", stdin=k)
        r = self.sync("B", "A-small")
        self.assertIsNone(r["error"])
        self.assertGreaterEqual(r["pages"], 4)
        for o in objs:
            self.assertEqual(len(self.versions("B", o["id"])), 1)
        # nothing new: one overlap re-read, no new version
        r = self.sync("B", "A-small")
        self.assertEqual(r["accepted"], 0)
        self.assertEqual(r["pages"], 1)

    def test_6c_broken_page_after_good_ones(self):
        """Pages are stored many to a transaction: one that is not an
        envelope ends the round with its reason, and the pages before it
        stay stored, each object once."""
        objs = [indicator("before the break %d" % i) for i in range(5)]
        pages = [json.dumps({"objects": objs[:2], "more": True, "next": "1"}),
                 json.dumps({"objects": objs[2:], "more": True, "next": "2"}),
                 '{"objects":[{"type":"indicator",']
        fake = FakeTaxii({"pages": pages})
        try:
            run(self.d["B"], "partner", "add", "broken-late", "--url",
                fake.root, "--direction", "pull", "--collection", "pages")
            r = self.sync("B", "broken-late", check=3)
            self.assertIn("not a TAXII envelope", r["error"])
            self.assertEqual((r["pages"], r["accepted"]), (2, 5))
            for o in objs:
                self.assertEqual(len(self.versions("B", o["id"])), 1)
            # again: the same pages, nothing new, the same reason
            r = self.sync("B", "broken-late", check=3)
            self.assertIn("not a TAXII envelope", r["error"])
            self.assertEqual((r["accepted"], r["duplicates"]), (0, 5))
        finally:
            fake.stop()

    def test_7_audit_verifies(self):
        for h in "ARB":
            r = run(self.d[h], "audit", "verify")
            self.assertIn("intact", r.stdout)

    def test_8_api_partners(self):
        r = request(self.srv["R"].base + "/api/v1/partners/A/status",
                    key=self.admin["R"])
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["name"], "A")
        self.assertIsNotNone(r.json()["last_success"])
        r = request(self.srv["R"].base + "/.well-known/vigil-hub")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()["sign_pk"]), 64)
        # a partner hub reads objects only: no manifest
        k = json.loads(run(self.d["R"], "partner", "add", "Y", "--url",
                           "http://127.0.0.1:9/taxii2/hub/", "--direction",
                           "push", "--json").stdout)["key"]
        r = request(self.srv["R"].root + "collections/all/manifest/", key=k)
        self.assertEqual(r.status, 403)
        r = request(self.srv["R"].root + "collections/community/objects/",
                    key=k)
        self.assertEqual(r.json().get("objects", []), [])


    def test_8b_api_quarantine(self):
        # a tombstone A did not sign, sent to B by R: quarantined at B
        forged = {"tombstones": [{
            "origin": self.hub_id("A"), "id": "indicator--%s" % uuid.uuid4(),
            "version": "2026-01-02T03:04:05.000000000Z",
            "sig": "A" * 86 + "==", "path": [self.hub_id("A"),
                                            self.hub_id("R")]}]}
        k_r = self.k_rb_at_b()
        r = request(self.srv["B"].base + "/api/v1/fed/tombstones",
                    method="POST", key=k_r, body=json.dumps(forged))
        self.assertEqual(r.json(), {"applied": 0, "refused": 1})
        base = self.srv["B"].base + "/api/v1/partners/R/quarantine"
        q = request(base, key=self.admin["B"]).json()["quarantine"]
        qid = q[-1]["id"]
        self.assertIn("does not verify (forged)", q[-1]["reason"])

        def act(what, body, key=None):
            return request(base + "/" + what, method="POST",
                           key=key or self.admin["B"], body=body,
                           headers={"Content-Type": "application/json"})
        shape = ("the body is empty, {} (every quarantined object) or "
                 "{\"id\": a quarantined row's id}")
        for bad in ('{"id": "1"}', '{"id": 0}', '{"id": 1.5}', '[]',
                    '{"id": 1, "x": 2}', 'nope'):
            r = act("drop", bad)
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.json()["description"], shape)
        r = act("drop", '{"id": 99999999}')
        self.assertEqual(r.status, 404, r.body)
        self.assertEqual(r.json()["description"],
                         "partner 'R' has no quarantined object 99999999")
        r = request(self.srv["B"].base + "/api/v1/partners/Z/quarantine/drop",
                    method="POST", key=self.admin["B"], body="{}")
        self.assertEqual(r.status, 404, r.body)
        self.assertEqual(r.json()["description"], "no partner 'Z'")
        # the partner hub's own key is no hub admin here
        r = act("drop", '{"id": %d}' % qid, key=k_r)
        self.assertEqual(r.status, 403, r.body)
        self.assertEqual(r.json()["description"],
                         "partner hubs are for hub admins")
        self.assertEqual(
            request(base, key=self.admin["B"]).json()["quarantine"], q)
        # dropped: gone from the list, nothing else changed, audited
        r = act("drop", '{"id": %d}' % qid)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json(), {"dropped": 1})
        left = request(base, key=self.admin["B"]).json()["quarantine"]
        self.assertEqual(left, q[:-1])
        # a retry of everything left stores or keeps each of them
        r = act("retry", "")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["stored"] + r.json()["still"], len(left))
        log = json.loads(run(self.d["B"], "audit", "show", "--json").stdout)
        entries = log["entries"] if isinstance(log, dict) else log
        drops = [e for e in entries if e.get("action") == "quarantine.drop"]
        self.assertTrue(drops)
        self.assertEqual(drops[-1]["target"], "R")

    def test_9_push_live(self):
        """With the servers' loops: published on A, visible on B through R
        within seconds (A pushes to R, R pushes to B, each woken by its
        commit)."""
        import time
        for h in "ARB":
            self.srv[h].stop()
        for h in "ARB":
            self.srv[h] = self.serve(h)
        waits = []
        for i in range(3):
            o = indicator("live %d" % i, [TLP_GREEN])
            t0 = time.monotonic()
            r = request(self.srv["A"].root + "collections/all/objects/",
                        method="POST", key=self.admin["A"],
                        body=json.dumps({"objects": [dict(
                            o, created_by_ref=self.identity("A"))]}))
            self.assertEqual(r.status, 202, r.body)
            k = self.admin["B"]
            while time.monotonic() - t0 < 20:
                got = request(self.srv["B"].root + "collections/all/objects/"
                              "?match[id]=" + o["id"], key=k)
                if got.json().get("objects"):
                    break
                time.sleep(0.05)
            waits.append(time.monotonic() - t0)
        self.assertLess(max(waits), 5, waits)
        st = json.loads(run(self.d["A"], "partner", "status", "R").stdout)
        self.assertIsNotNone(st["last_success"])

    def identity(self, hub):
        orgs = run(self.d[hub], "org", "list", "--json").stdout
        return [o["identity"] for o in json.loads(orgs)["orgs"]
                if o["name"] == "hub"][0]


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class FakeTaxii:
    """A TAXII server that answers collections/NAME/objects/ with a fixed
    (status, body) or body per NAME, or a list of bodies, the page chosen by
    the request's next (none: the first), and 404 elsewhere."""

    def __init__(self, answers):
        answers = {k: (v if isinstance(v, tuple) else (200, v))
                   for k, v in answers.items()}
        self.stop_flag = threading.Event()
        stop_flag = self.stop_flag

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.split("?")[0].strip("/").split("/")
                if len(parts) == 5 and parts[2] == "collections" and \
                        parts[3] in answers:
                    st, body = answers[parts[3]][:2]
                    if isinstance(body, list):
                        q = urllib.parse.parse_qs(self.path.partition("?")[2])
                        body = body[int(q.get("next", ["0"])[0])]
                    stall = answers[parts[3]][2] if len(
                        answers[parts[3]]) > 2 else 0
                    data = body.encode()
                    self.send_response(st)
                    self.send_header("Content-Type", TAXII)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if stall:
                        # a slow body: a few bytes, then nothing for a while
                        self.wfile.write(data[:10])
                        self.wfile.flush()
                        stop_flag.wait(stall)
                    try:
                        self.wfile.write(data[10 if stall else 0:])
                    except OSError:
                        pass
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *a):
                pass

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.root = "http://127.0.0.1:%d/taxii2/hub/" % \
            self.httpd.server_address[1]
        self.t = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.t.start()

    def stop(self):
        self.stop_flag.set()
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    main()
