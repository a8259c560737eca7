"""Early warning end to end with the real binary and server: the scenario
of `vigil gen --scenario` (correlation and paths find every planted link,
watches fire exactly at the planted moments and nowhere else), the live
stream resumed with Last-Event-ID without loss, webhooks signed and
retried, the CLI (correlate, watch, alerts, access with --as, warn), the
import path and a bad pattern refused with its position."""
import hashlib
import hmac
import http.client
import http.server
import json
import os
import subprocess
import threading
import time

from vigiltest import HubCase, main, request

JSON = "application/json"


def api(case, path, key, method="GET", body=None):
    r = request(case.server.base + "/api/v1/" + path, method, key=key,
                body=None if body is None else json.dumps(body),
                headers={"Accept": JSON, "Content-Type": JSON if body is not None else None})
    return r


class Agencies(HubCase):
    """Three organisations, an analyst each (ann, bob, gus)."""

    def setUp(self):
        super().setUp()
        self.keys = {}
        for org, user in (("alpha", "ann"), ("beta", "bob"), ("gamma", "gus")):
            self.vigil("org", "add", org, check=0)
            self.vigil("user", "add", user, "--org", org, "--role",
                       "analyst", check=0)
            self.keys[org] = self.new_key(user)
        self.community = self.collection_id("community")

    def post(self, org, objects):
        r = request(self.server.root + "collections/%s/objects/" %
                    self.community, "POST", key=self.keys[org],
                    body=json.dumps({"objects": objects}))
        self.assertEqual(r.status, 202, r.body)
        return r.json()

    def alerts(self, org, after=0):
        r = api(self, "alerts?after=%d&limit=1000" % after, self.keys[org])
        self.assertEqual(r.status, 200, r.body)
        return r.json()["alerts"]


class TestScenario(Agencies):

    def test_scenario_links_paths_and_alerts(self):
        out = os.path.join(self.tmp, "scenario")
        self.vigil("gen", "--scenario", "3", "--out", out, "--noise", "150",
                   check=0)
        with open(os.path.join(out, "truth.json")) as f:
            truth = json.load(f)
        watches = {}
        for w in truth["watches"]:
            term = w["term"]
            body = {"kind": w["kind"], "name": w["name"],
                    "term": json.loads(term) if w["kind"] == "query" else term}
            r = api(self, "watches", self.keys[w["agency"]], "POST", body)
            self.assertEqual(r.status, 201, r.body)
            self.assertEqual(r.json()["retro"], 0)  # nothing stored yet
            watches[w["name"]] = (w["agency"], r.json()["id"])
        # the bundles, step by step; after each, every watch's new alerts
        # are exactly the planted ones of that step
        seen = {org: 0 for org in self.keys}
        expected_total = found_total = correct = 0
        for a in sorted(truth["agencies"], key=lambda a: a["step"]):
            with open(os.path.join(out, a["name"] + ".json")) as f:
                bundle = json.load(f)
            status = self.post(a["name"], bundle["objects"])
            self.assertEqual(status["failure_count"], 0, status["failures"])
            want = {(x["watch"], x["object"]) for x in truth["alerts"]
                    if x["step"] == a["step"]}
            got = set()
            for org in self.keys:
                for al in self.alerts(org, seen[org]):
                    seen[org] = max(seen[org], al["seq"])
                    name = [n for n, (o, i) in watches.items()
                            if i == al.get("watch")]
                    if name and al["kind"] == "match":
                        got.add((name[0], al["object"]))
            expected_total += len(want)
            found_total += len(got)
            correct += len(want & got)
            self.assertEqual(got, want, "step %d" % a["step"])
        precision = correct / found_total
        recall = correct / expected_total
        self.assertEqual((precision, recall), (1.0, 1.0))
        # every planted link is found by correlation from its first end
        for link in truth["links"]:
            r = api(self, "objects/%s/correlations" % link["from"],
                    self.keys["alpha"])
            self.assertEqual(r.status, 200, r.body)
            related = {x["id"] for x in r.json()["related"]}
            self.assertIn(link["to"], related, link)
        # and the paths between the cell and the foreign network
        for p in truth["paths"]:
            r = api(self, "graph/path?from=%s&to=%s&depth=%d" %
                    (p["from"], p["to"], p["max_length"]), self.keys["beta"])
            self.assertEqual(r.status, 200, r.body)
            g = r.json()
            self.assertLessEqual(g["length"], p["max_length"])
            self.assertEqual(g["nodes"][0]["id"], p["from"])
            self.assertEqual(g["nodes"][-1]["id"], p["to"])
            self.assertEqual(len(g["edges"]), g["length"])
        # neighbours of the cell: its leader and its indicator, drawable
        cell = truth["paths"][0]["from"]
        g = api(self, "graph/neighbours?id=%s&depth=1" % cell,
                self.keys["gamma"]).json()
        kinds = sorted({e["kind"] for e in g["edges"]})
        self.assertEqual(kinds, ["relationship"])
        self.assertEqual(len(g["nodes"]), 3)
        # trends: the scenario's days, by type
        t = api(self, "trends?facet=label&since=2025-03-01&until=2025-03-10",
                self.keys["alpha"]).json()
        self.assertEqual([(s["value"], s["total"]) for s in t["series"]],
                         [("cell", 1)])
        # the leader was reported by all three agencies: a signal at k =
        # 3; the one address by two: shown only once k is 2
        leader = [w["term"] for w in truth["watches"]
                  if w["name"] == "w-name"][0]
        ip = [w["term"] for w in truth["watches"] if w["name"] == "w-ip"][0]
        s = api(self, "trends/signals?days=1", self.keys["alpha"]).json()
        self.assertEqual(s["signals"], [{"kind": "name", "value": leader,
                                         "organisations": 3}])
        self.vigil("warn", "set", "k", "2", check=0)
        s = api(self, "trends/signals?days=1", self.keys["alpha"]).json()
        values = {(x["kind"], x["value"]) for x in s["signals"]}
        self.assertIn(("ip4", ip), values)
        self.assertTrue(all(x["organisations"] >= 2 for x in s["signals"]))


class TestWatchMadeWhilePosting(Agencies):
    """Watches made while POSTs stream in: every matching object alerts
    exactly once per watch (retroactively when it was stored before the
    watch, on arrival after), whatever the order of the watch's commit,
    its retroactive run and the posts' matching and storing."""

    def sco(self, value):
        import uuid
        ns = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
        u = uuid.uuid5(ns, json.dumps({"value": value},
                                      separators=(",", ":")))
        return {"type": "ipv4-addr", "spec_version": "2.1",
                "id": "ipv4-addr--%s" % u, "value": value}

    def test_every_object_alerts_once(self):
        posters, per_post, n_watches = 4, 4, 16
        # every object stored before a watch is in its retroactive run
        self.vigil("warn", "set", "retro_max", "1000000", check=0)
        posted = [[] for _ in range(posters)]
        errors, started, done = [], threading.Event(), threading.Event()

        def poster(p):
            # until every watch is made, and once more after
            org = ("beta", "gamma", "alpha")[p % 3]
            i, last = 0, False
            try:
                while not last:
                    last = done.is_set()
                    values = ["10.%d.%d.%d" % (p, i // 250, i % 250 + k)
                              for k in range(per_post)]
                    i += per_post
                    self.post(org, [self.sco(v) for v in values])
                    posted[p] += values
                    started.set()
                    time.sleep(0.002)
            except Exception as e:  # reported by the main thread
                errors.append(e)
                started.set()

        threads = [threading.Thread(target=poster, args=(p,))
                   for p in range(posters)]
        for t in threads:
            t.start()
        started.wait(30)
        made = []
        for i in range(n_watches):
            # bob's watches of the whole block, made while posts stream
            r = api(self, "watches", self.keys["beta"], "POST",
                    {"kind": "value", "term": "10.0.0.0/8",
                     "name": "w%d" % i})
            self.assertEqual(r.status, 201, r.body)
            made.append(r.json()["id"])
            time.sleep(0.02)
        done.set()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        alerts = []
        while True:
            page = self.alerts("beta", alerts[-1]["seq"] if alerts else 0)
            if not page:
                break
            alerts += page
        want = sorted(self.sco(v)["id"] for p in posted for v in p)
        for wid in made:
            got = sorted(a["object"] for a in alerts if a["watch"] == wid)
            self.assertEqual(len(got), len(want),
                             "watch %d: %d alerts for %d objects" %
                             (wid, len(got), len(want)))
            self.assertEqual(got, want, "watch %d" % wid)
        # the watches were made with objects stored and before others
        retro = [a for a in alerts if a["retro"]]
        live = [a for a in alerts if not a["retro"]]
        self.assertTrue(retro and live, (len(retro), len(live)))


class TestStream(Agencies):

    def stream(self, key, last=None, want=1, timeout=10):
        """Events of the stream (seq, data) until want arrived."""
        c = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                       timeout=timeout)
        h = {"Authorization": "Bearer " + key, "Accept": "text/event-stream"}
        if last is not None:
            h["Last-Event-ID"] = str(last)
        c.request("GET", "/api/v1/alerts/stream", headers=h)
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        self.assertTrue(r.getheader("Content-Type").startswith(
            "text/event-stream"))
        events, cur = [], {}
        deadline = time.time() + timeout
        while len(events) < want and time.time() < deadline:
            try:
                line = r.fp.readline().decode()
            except TimeoutError:
                break
            if not line:
                break
            line = line.rstrip("\n")
            if line.startswith("id: "):
                cur["id"] = int(line[4:])
            elif line.startswith("data: "):
                cur["data"] = json.loads(line[6:])
            elif line == "" and "id" in cur:
                events.append(cur)
                cur = {}
        c.close()
        return events

    def sco(self, value):
        import uuid
        ns = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
        u = uuid.uuid5(ns, json.dumps({"value": value},
                                      separators=(",", ":")))
        return {"type": "ipv4-addr", "spec_version": "2.1",
                "id": "ipv4-addr--%s" % u, "value": value}

    def test_resume_without_loss(self):
        r = api(self, "watches", self.keys["alpha"], "POST",
                {"kind": "value", "term": "198.51.100.0/24"})
        self.assertEqual(r.status, 201, r.body)
        got = []
        t = threading.Thread(target=lambda: got.extend(
            self.stream(self.keys["alpha"], want=1)))
        t.start()
        time.sleep(0.5)
        posted = time.time()
        self.post("beta", [self.sco("198.51.100.1")])
        t.join()
        self.assertEqual([e["id"] for e in got], [1])
        self.assertLess(time.time() - posted, 2.0)
        self.assertEqual(got[0]["data"]["kind"], "match")
        # while nobody listens, two more
        self.post("beta", [self.sco("198.51.100.2")])
        self.post("gamma", [self.sco("198.51.100.3"),
                            self.sco("203.0.113.3")])
        again = self.stream(self.keys["alpha"], last=got[-1]["id"], want=2)
        self.assertEqual([e["id"] for e in again], [2, 3])
        self.assertEqual([e["data"]["object"] for e in again],
                         [self.sco("198.51.100.2")["id"],
                          self.sco("198.51.100.3")["id"]])
        # another organisation's alerts never reach the stream
        self.assertEqual(self.stream(self.keys["beta"], want=1, timeout=2), [])
        # every opening is on record
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        opened = [e for e in log if e["action"] == "alerts.stream"]
        self.assertEqual([e["detail"] for e in opened],
                         [{"after": 0}, {"after": 1}, {"after": 0}])

    def test_stop_with_a_stream_open(self):
        t = threading.Thread(target=lambda: self.stream(
            self.keys["alpha"], want=1, timeout=20))
        t.start()
        time.sleep(0.5)
        start = time.time()
        code, err = self.server.stop()
        self.assertEqual(code, 0, err)
        self.assertLess(time.time() - start, 5)
        t.join()


class Hook(http.server.BaseHTTPRequestHandler):
    calls = []
    fail_first = 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.calls.append((dict(self.headers), body))
        ok = len(Hook.calls) > Hook.fail_first
        self.send_response(200 if ok else 503)
        self.end_headers()

    def log_message(self, *a):
        pass


class TestWebhook(Agencies):

    def test_signed_and_retried(self):
        srv = http.server.HTTPServer(("127.0.0.1", 0), Hook)
        th = threading.Thread(target=srv.serve_forever, daemon=True)
        th.start()
        try:
            url = "http://127.0.0.1:%d/hook" % srv.server_port
            watch = {"kind": "value", "term": "evil-site.example",
                     "webhook": url}
            # only to the hosts the operator allowed: none at first
            r = api(self, "watches", self.keys["alpha"], "POST", watch)
            self.assertEqual(r.status, 400, r.body)
            self.assertIn("webhook_hosts", r.json()["description"])
            self.vigil("warn", "set", "webhook_hosts",
                       "hooks.example.org, 127.0.0.1:%d" % srv.server_port,
                       check=0)
            for bad in ("http://127.0.0.1:%d@169.254.169.254/" %
                        srv.server_port, "http://127.0.0.1/hook",
                        "http://localhost:%d/hook" % srv.server_port,
                        "ftp://hooks.example.org/"):
                r = api(self, "watches", self.keys["alpha"], "POST",
                        dict(watch, webhook=bad))
                self.assertEqual(r.status, 400, bad)
            r = api(self, "watches", self.keys["alpha"], "POST", watch)
            self.assertEqual(r.status, 201, r.body)
            secret = bytes.fromhex(r.json()["secret"])
            self.post("beta", [{"type": "domain-name", "spec_version": "2.1",
                                "id": "domain-name--1d7bb1b8-4fc4-5b34-9f54-8d8b8ca9f2a3",
                                "value": "www.evil-site.example"}])
            deadline = time.time() + 15
            while len(Hook.calls) < 2 and time.time() < deadline:
                time.sleep(0.2)
            self.assertEqual(len(Hook.calls), 2)  # 503, then delivered
            for headers, body in Hook.calls:
                ts = headers["X-Vigil-Timestamp"]
                want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
                self.assertEqual(headers["X-Vigil-Signature"], want)
                alert = json.loads(body)
                self.assertEqual(alert["kind"], "match")
                self.assertEqual(alert["matched"], "www.evil-site.example")
            time.sleep(0.5)
            log = self.vigil("audit", "show", "--json", check=0).json()
            tries = [e["detail"] for e in log["entries"]
                     if e["action"] == "alert.deliver"]
            self.assertEqual([(t["attempt"], t["ok"]) for t in tries],
                             [(1, False), (2, True)])
            self.assertEqual(tries[0]["error"], "HTTP 503")
        finally:
            srv.shutdown()
            srv.server_close()


class TestCommands(Agencies):

    IND = ("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
           "\"indicator--%s\",\"created\":\"2025-01-01T00:00:00.000Z\","
           "\"modified\":\"2025-01-01T00:00:00.000Z\",\"pattern\":\"%s\","
           "\"pattern_type\":\"stix\",\"valid_from\":\"2025-01-01T00:00:00Z\"}")

    def test_correlate_access_and_import(self):
        a = "aaaaaaaa-0000-4000-8000-000000000001"
        g = "cccccccc-0000-4000-8000-000000000001"
        self.post("alpha", [json.loads(self.IND % (a, "[ipv4-addr:value = '192.0.2.66']"))])
        # gamma's record is private to gamma, which allows hit / no-hit
        org_g = self.collection_id("org-gamma", self.keys["gamma"])
        r = request(self.server.root + "collections/%s/objects/" % org_g,
                    "POST", key=self.keys["gamma"], body=json.dumps(
                        {"objects": [json.loads(self.IND % (g, "[ipv4-addr:value = '192.0.2.66']"))]}))
        self.assertEqual(r.status, 202)
        r = api(self, "disclosure", self.keys["gamma"], "POST",
                {"subject": "org-gamma", "choice": "yes"})
        self.assertEqual(r.status, 200, r.body)
        out = self.vigil("correlate", "--as", "ann", "indicator--" + a,
                         check=0).out
        self.assertIn("1 record held by gamma match on 192.0.2.66", out)
        self.assertNotIn(g, out)
        # the operator sees everything
        out = self.vigil("correlate", "indicator--" + a, check=0).out
        self.assertIn("indicator--" + g, out)
        # ann asks; gamma grants; ann then reads it
        r = self.vigil("access", "request", "indicator--" + a, "--org",
                       "gamma", "--reason", "joint case", "--as", "ann",
                       check=0)
        self.assertEqual(json.loads(r.out), {"id": 1, "records": 1})
        r = self.vigil("access", "grant", "1", "--as", "gus", check=0)
        self.assertEqual(json.loads(r.out),
                         {"request": 1, "granted": 1, "refused": 0,
                          "pending": 0})
        r = request(self.server.root + "collections/%s/objects/indicator--%s/"
                    % (org_g, g), key=self.keys["alpha"])
        self.assertEqual(r.status, 404)  # the collection stays gamma's
        out = self.vigil("correlate", "--json", "--as", "ann",
                         "indicator--" + a, check=0).json()
        self.assertEqual([x["id"] for x in out["related"]], ["indicator--" + g])
        # a watch made from the command, fired retroactively and by import
        out = self.vigil("watch", "add", "value", "192.0.2.0/24", "--as",
                         "ann", check=0).out
        self.assertEqual(out, "watch 1 (value 192.0.2.0/24): 2 alerts on "
                              "stored data\n")
        path = self.write("more.json", json.dumps({"type": "bundle", "id":
            "bundle--aaaaaaaa-0000-4000-8000-000000000009", "objects": [
                json.loads(self.IND % ("bbbbbbbb-0000-4000-8000-000000000001",
                                       "[ipv4-addr:value = '192.0.2.99']"))]}))
        self.vigil("import", "--collection", "community", path, check=0)
        out = self.vigil("alerts", "--as", "ann", check=0).out.splitlines()
        self.assertEqual(len(out), 4, out)
        self.assertIn("decision", out[0])
        self.assertIn("(on stored data) watch \"192.0.2.0/24\": indicator--"
                      + a, out[1])
        self.assertIn("indicator--bbbbbbbb-0000-4000-8000-000000000001 "
                      "matched 192.0.2.99", out[3])
        # a bad pattern is refused on every path, with where and why
        bad = self.IND % ("dddddddd-0000-4000-8000-000000000001",
                          "[ipv4-addr:value = '1.2.3.4'")
        st = self.post("alpha", [json.loads(bad)])
        self.assertEqual(st["failure_count"], 1)
        self.assertIn("$.pattern: expected ']'", st["failures"][0]["message"])
        self.assertIn("at column 29 [9.3]", st["failures"][0]["message"])
        # settings
        s = self.vigil("warn", "settings", check=0).json()
        self.assertEqual(s, {"index": "on", "budget": 100,
                             "name_threshold": 0.7, "hits_per_hour": 300,
                             "k": 3, "retro_max": 1000,
                             "webhook_hosts": ""})
        r = self.vigil("warn", "set", "budget", "zero")
        self.assertEqual(r.code, 3)
        self.assertIn("budget must be a whole number from 1 to 1e+09", r.err)



class TestEdit(Agencies):
    """PATCH /api/v1/watches/ID: what may change, by whom, the new term's
    alerts on stored data, the webhook's new secret, the audit entry."""

    def sco(self, value):
        return TestStream.sco(self, value)

    def patch(self, org, wid, body, raw=None):
        r = request(self.server.base + "/api/v1/watches/%s" % wid, "PATCH",
                    key=self.keys[org] if org in self.keys else org,
                    body=raw if raw is not None else json.dumps(body),
                    headers={"Accept": JSON, "Content-Type": JSON})
        return r

    def watches(self, org):
        return api(self, "watches", self.keys[org]).json()["watches"]

    def test_validation(self):
        r = api(self, "watches", self.keys["alpha"], "POST",
                {"kind": "value", "term": "192.0.2.1", "name": "one"})
        self.assertEqual(r.status, 201, r.body)
        wid = r.json()["id"]
        before = self.watches("alpha")
        for body, status, why in (
                ({"kind": "name"}, 400, "a watch's kind does not change: "
                 "make a new watch of the other kind"),
                ({"colour": "red"}, 400, "\"colour\" is not a field of a "
                 "watch (name, term, threshold, shared, webhook)"),
                ({"name": 5}, 400, "'name' is text"),
                ({"term": 5}, 400, "'term' is text (a query: an object)"),
                ({"shared": "yes"}, 400, "'shared' is true or false"),
                ({"threshold": "0.5"}, 400,
                 "'threshold' is a number from 0 to 1"),
                ({"webhook": ""}, 400,
                 "'webhook' is a URL, or null to remove it"),
                ({"webhook": 1}, 400,
                 "'webhook' is a URL, or null to remove it"),
                ({}, 400, "nothing to change: give name, term, threshold, "
                 "shared or webhook"),
                ({"term": ""}, 400, "a watch needs a term of 1 to 4000 bytes"),
                ({"term": "not a value"}, 400, "'not a value' is not an "
                 "address, block, domain, URL, e-mail address, MAC address, "
                 "AS number or hash"),
                ({"threshold": 0.5}, 400, "only a name watch has a threshold"),
                ({"webhook": "ftp://x/"}, 400, "a webhook is an http:// or "
                 "https:// URL of at most 2000 bytes"),
                ({"webhook": "http://hooks.example.org/"}, 400,
                 "webhooks go only to the hosts the hub's operator allowed "
                 "(vigil warn set webhook_hosts HOST,...); this URL's host "
                 "is not one of them")):
            r = self.patch("alpha", wid, body)
            self.assertEqual((r.status, r.json()["description"]),
                             (status, why), body)
        r = self.patch("alpha", wid, None, raw="[1]")
        self.assertEqual(r.status, 400)
        r = self.patch("alpha", "x", {"name": "n"})
        self.assertEqual(r.status, 404)
        r = self.patch("alpha", 99, {"name": "n"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.watches("alpha"), before)  # nothing changed
        # a name watch's threshold, checked as at creation
        r = api(self, "watches", self.keys["alpha"], "POST",
                {"kind": "name", "term": "Jane Roe"})
        nid = r.json()["id"]
        r = self.patch("alpha", nid, {"threshold": 1.5})
        self.assertEqual((r.status, r.json()["description"]),
                         (400, "the threshold is from 0 to 1"))
        r = self.patch("alpha", nid, {"threshold": 0.85})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["threshold"], 0.85)
        # the CLI refuses as the API does
        r = self.vigil("watch", "set", str(wid), "--term", "nonsense",
                       "--as", "ann")
        self.assertEqual(r.code, 3, r.out + r.err)
        self.assertIn("'nonsense' is not an address", r.err)
        r = self.vigil("watch", "set", str(wid), "--shared", "maybe")
        self.assertEqual(r.code, 2, r.out + r.err)

    def test_who_may_change(self):
        self.vigil("user", "add", "amy", "--org", "alpha", "--role",
                   "analyst", check=0)
        self.vigil("user", "add", "ada", "--org", "alpha", "--role",
                   "org-admin", check=0)
        amy, ada = self.new_key("amy"), self.new_key("ada")
        own = api(self, "watches", self.keys["alpha"], "POST",
                  {"kind": "value", "term": "192.0.2.1"}).json()["id"]
        shared = api(self, "watches", self.keys["alpha"], "POST",
                     {"kind": "value", "term": "192.0.2.2",
                      "shared": True}).json()["id"]
        # another organisation's watch, and another user's private one,
        # are none: the same 404 as a removal
        for key in (self.keys["beta"], amy, ada):
            r = self.patch(key, own, {"name": "mine"})
            self.assertEqual((r.status, r.json()["description"]),
                             (404, "no such watch"))
            r = request(self.server.base + "/api/v1/watches/%d" % own,
                        "DELETE", key=key)
            self.assertEqual(r.status, 404)
        r = self.patch("beta", shared, {"name": "theirs"})
        self.assertEqual(r.status, 404)
        # a shared one: seen by amy, changed only by its creator and the
        # organisation's admins, its webhook by its creator only
        r = self.patch(amy, shared, {"name": "amy's"})
        self.assertEqual(r.status, 403, r.body)
        r = self.patch(ada, shared, {"name": "the team's", "term": "192.0.2.3"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual((r.json()["name"], r.json()["term"],
                          r.json()["user"]), ("the team's", "192.0.2.3", "ann"))
        self.vigil("warn", "set", "webhook_hosts", "hooks.example.org",
                   check=0)
        r = self.patch(ada, shared, {"webhook": "http://hooks.example.org/a"})
        self.assertEqual(r.status, 403, r.body)
        # the creator makes it private: amy no longer sees it
        r = self.patch("alpha", shared, {"shared": False})
        self.assertEqual((r.status, r.json()["shared"]), (200, False))
        r = self.patch(amy, shared, {"name": "x"})
        self.assertEqual(r.status, 404)
        self.assertEqual([w["id"] for w in api(self, "watches", amy).json()[
            "watches"]], [])
        # the CLI as ann and as someone else
        out = self.vigil("watch", "set", str(own), "--name", "cli",
                         "--shared", "yes", "--as", "ann", check=0).out
        self.assertEqual(out, "watch %d (value 192.0.2.1) changed: 0 alerts "
                              "on stored data\n" % own)
        r = self.vigil("watch", "set", str(own), "--name", "x", "--as", "bob")
        self.assertEqual(r.code, 3, r.out + r.err)
        self.assertIn("no watch %d" % own, r.err)
        w = [x for x in self.watches("alpha") if x["id"] == own][0]
        self.assertEqual((w["name"], w["shared"]), ("cli", True))
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        denied = [e for e in log if e["action"] == "watch.update"
                  and e["detail"] == {"found": False}]
        self.assertEqual(len(denied), 6)

    def test_new_term_retro_and_live(self):
        self.post("beta", [self.sco("198.51.100.7"), self.sco("198.51.100.8"),
                           self.sco("203.0.113.9")])
        r = api(self, "watches", self.keys["alpha"], "POST",
                {"kind": "value", "term": "198.51.100.7"})
        self.assertEqual(r.json()["retro"], 1)
        wid = r.json()["id"]
        # the block holds .7 (already alerted) and .8: one new alert
        r = self.patch("alpha", wid, {"term": "198.51.100.0/24"})
        self.assertEqual(r.status, 200, r.body)
        got = r.json()
        self.assertEqual((got["retro"], got["term"], got["name"], got["kind"]),
                         (1, "198.51.100.0/24", "198.51.100.0/24", "value"))
        al = self.alerts("alpha")
        self.assertEqual([(a["watch"], a["object"]) for a in al],
                         [(wid, self.sco("198.51.100.7")["id"]),
                          (wid, self.sco("198.51.100.8")["id"])])
        # the name follows the term only while it was the term
        r = self.patch("alpha", wid, {"name": "lab"})
        r = self.patch("alpha", wid, {"term": "203.0.113.9"})
        self.assertEqual((r.json()["retro"], r.json()["name"]), (1, "lab"))
        # the same term again: nothing new
        r = self.patch("alpha", wid, {"term": "203.0.113.9"})
        self.assertEqual(r.json()["retro"], 0)
        self.assertEqual(len(self.alerts("alpha")), 3)  # alerts stay
        # an arrival matches the new term, not the old one
        self.post("gamma", [self.sco("198.51.100.50")])
        self.post("gamma", [{"type": "indicator", "spec_version": "2.1",
            "id": "indicator--eeeeeeee-0000-4000-8000-000000000001",
            "created": "2025-01-01T00:00:00.000Z",
            "modified": "2025-01-01T00:00:00.000Z",
            "pattern": "[ipv4-addr:value = '203.0.113.9']",
            "pattern_type": "stix", "valid_from": "2025-01-01T00:00:00Z"}])
        al = self.alerts("alpha", 3)
        self.assertEqual([a["object"] for a in al],
                         ["indicator--eeeeeeee-0000-4000-8000-000000000001"])
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        upd = [(e["actor"], e["target"], e["detail"]) for e in log
               if e["action"] in ("watch.update", "watch.retro")]
        t = str(wid)
        self.assertEqual(upd, [
            ("ann", t, {"alerts": 1, "truncated": False}),  # at creation
            ("ann", t, {"kind": "value", "name": "198.51.100.0/24",
                        "term": "198.51.100.0/24", "was": "198.51.100.7"}),
            ("ann", t, {"alerts": 1, "truncated": False}),
            ("ann", t, {"kind": "value", "name": "lab"}),
            ("ann", t, {"kind": "value", "term": "203.0.113.9",
                        "was": "198.51.100.0/24"}),
            ("ann", t, {"alerts": 1, "truncated": False}),
            ("ann", t, {"kind": "value"})])
        # changed by another process (the command): the server's cache
        # follows, the next arrival matches the new term
        last = al[-1]["seq"]
        self.vigil("watch", "set", t, "--term", "192.0.2.77", "--as", "ann",
                   check=0)
        self.post("beta", [self.sco("192.0.2.77"), self.sco("203.0.113.10")])
        self.assertEqual([a["object"] for a in self.alerts("alpha", last)],
                         [self.sco("192.0.2.77")["id"]])

    def test_webhook_secret(self):
        self.vigil("warn", "set", "webhook_hosts", "hooks.example.org",
                   check=0)
        r = api(self, "watches", self.keys["alpha"], "POST",
                {"kind": "value", "term": "192.0.2.1",
                 "webhook": "http://hooks.example.org/a"})
        first = r.json()["secret"]
        wid = r.json()["id"]
        r = self.patch("alpha", wid, {"name": "renamed"})
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn("secret", r.json())
        self.assertEqual(r.json()["webhook"], "http://hooks.example.org/a")
        r = self.patch("alpha", wid, {"webhook": "https://hooks.example.org/b"})
        second = r.json()["secret"]
        self.assertEqual(len(second), 64)
        self.assertNotEqual(second, first)
        self.assertEqual(r.json()["webhook"], "https://hooks.example.org/b")
        r = self.patch("alpha", wid, {"webhook": None})
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn("webhook", r.json())
        self.assertNotIn("secret", r.json())
        out = self.vigil("watch", "set", str(wid), "--webhook",
                         "https://hooks.example.org/c", "--as", "ann",
                         check=0).out.splitlines()
        self.assertEqual(out[0], "watch %d (value 192.0.2.1) changed: 0 "
                                 "alerts on stored data" % wid)
        self.assertRegex(out[1], "^webhook secret \\(shown once\\): "
                                 "[0-9a-f]{64}$")
        out = self.vigil("watch", "set", str(wid), "--no-webhook", "--as",
                         "ann", check=0).out
        self.assertNotIn("secret", out)
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        upd = [e["detail"] for e in log if e["action"] == "watch.update"]
        self.assertEqual(upd, [
            {"kind": "value", "name": "renamed"},
            {"kind": "value", "webhook": "new"},
            {"kind": "value", "webhook": "removed"},
            {"kind": "value", "webhook": "new"},
            {"kind": "value", "webhook": "removed"}])
        # no secret in the log
        self.assertNotIn(second, json.dumps(log))


class TestParameters(Agencies):

    def test_numbers_are_digits_only(self):
        """A number in a query is digits and nothing else, as everywhere
        in the API: a sign, a space, an exponent or an overflow is 400."""
        k = self.keys["alpha"]
        self.assertEqual(api(self, "alerts?limit=5", k).status, 200)
        for bad in ("limit=%2B5", "limit=%205", "limit=5%20", "limit=1e2",
                    "limit=0", "limit=1001", "after=-1",
                    "after=99999999999999999999", "unacked=1"):
            r = api(self, "alerts?" + bad, k)
            self.assertEqual(r.status, 400, bad)
        for bad in ("trends?facet=type&window=%2B3", "trends/signals?days=07x",
                    "graph/neighbours?id=indicator--aaaaaaaa-0000-4000-8000-"
                    "000000000001&depth=%202"):
            self.assertEqual(api(self, bad, k).status, 400, bad)

if __name__ == "__main__":
    main()
