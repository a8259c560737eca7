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
            r = api(self, "watches", self.keys["alpha"], "POST",
                    {"kind": "value", "term": "evil-site.example",
                     "webhook": url})
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
                             "k": 3, "retro_max": 1000})
        r = self.vigil("warn", "set", "budget", "zero")
        self.assertEqual(r.code, 3)
        self.assertIn("budget must be a whole number from 1 to 1e+09", r.err)


if __name__ == "__main__":
    main()
