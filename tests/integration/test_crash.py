"""Crashes and stops under load: kill -9 while four clients POST envelopes
loses nothing that a status resource reported as a success; SIGTERM lets
the requests in flight finish and exits 0; the audit log verifies after
both."""
import http.client
import json
import os
import signal
import subprocess
import threading
import time

from vigiltest import TAXII, Server, VigilCase, main, raw_objects, request

PER_ENVELOPE = 200
CLIENTS = 4


class Poster(threading.Thread):
    """POSTs its envelopes one by one (a new connection each) until they
    are done or the server goes away; records what happened to each."""

    def __init__(self, port, path, key, envelopes):
        super().__init__(daemon=True)
        self.port, self.path, self.key = port, path, key
        self.envelopes = envelopes
        self.acked = []    # (status id, [successes]) of 202 answers
        self.sent = []     # (time the body was sent, answered?) per request
        self.errors = []

    def run(self):
        for body in self.envelopes:
            conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                              timeout=120)
            sent_at = None
            try:
                conn.putrequest("POST", self.path)
                for k, v in (("Authorization", "Bearer " + self.key),
                             ("Accept", TAXII), ("Content-Type", TAXII),
                             ("Content-Length", str(len(body)))):
                    conn.putheader(k, v)
                conn.endheaders()
                conn.send(body)
                sent_at = time.monotonic()
                r = conn.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(repr(e))
                if sent_at is not None:
                    self.sent.append((sent_at, False))
                return
            finally:
                conn.close()
            self.sent.append((sent_at, True))
            if r.status != 202:
                self.errors.append("%d %s" % (r.status, data[:200]))
                return
            st = json.loads(data)
            if st["status"] == "complete":
                self.acked.append((st["id"], st["successes"]))


class Crash(VigilCase):
    def setUp(self):
        super().setUp()
        self.key = self.vigil("key", "new", "--user", "admin", "--json",
                              check=0).json()["key"]
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop(signal.SIGKILL)
        super().tearDown()

    def serve(self):
        s = Server(self.data)
        self.servers.append(s)
        return s

    def envelopes(self, seed, count):
        # posted by the hub's admin: the objects name its organisation
        orgs = self.vigil("org", "list", "--json", check=0).json()["orgs"]
        text = self.vigil("gen", "--seed", str(seed), "--count", str(count),
                          "--created-by", orgs[0]["identity"], check=0).out
        objs = raw_objects(text)
        self.assertEqual(len(objs), count)
        return [('{"objects":[' + ",".join(objs[i:i + PER_ENVELOPE]) +
                 ']}').encode() for i in range(0, count, PER_ENVELOPE)]

    def start_posters(self, server, envelopes):
        cid = [c["id"] for c in request(server.root + "collections/",
                                        key=self.key).json()["collections"]
               if c["alias"] == "community"][0]
        path = "/taxii2/hub/collections/%s/objects/" % cid
        posters = [Poster(server.port, path, self.key,
                          envelopes[i::CLIENTS]) for i in range(CLIENTS)]
        for p in posters:
            p.start()
        return cid, posters

    def wait_acked(self, posters, n, limit=120):
        t0 = time.monotonic()
        while sum(len(p.acked) for p in posters) < n:
            self.assertLess(time.monotonic() - t0, limit,
                            [p.errors for p in posters])
            time.sleep(0.01)

    def assert_all_present(self, server, cid, posters):
        """Every success of every status received is readable (GET of the
        collection's objects by id, 100 ids a request, and GET of one
        object of each envelope), and the status resources survived."""
        conn = http.client.HTTPConnection("127.0.0.1", server.port,
                                          timeout=60)
        h = {"Authorization": "Bearer " + self.key, "Accept": TAXII}
        base = "/taxii2/hub/collections/%s/objects/" % cid

        def get(path):
            conn.request("GET", path, headers=h)
            r = conn.getresponse()
            return r.status, r.read()

        expected = {}
        for p in posters:
            for status_id, successes in p.acked:
                status, body = get("/taxii2/hub/status/%s/" % status_id)
                st = json.loads(body)
                self.assertEqual((status, st["id"], st["successes"]),
                                 (200, status_id, successes))
                status, body = get(base + successes[0]["id"] + "/")
                self.assertEqual(status, 200, body[:200])
                for s in successes:
                    expected[s["id"]] = s.get("version")
        ids = sorted(expected)
        found = {}
        for i in range(0, len(ids), 100):
            status, body = get(base + "?limit=1000&match[version]=all&"
                               "match[id]=" + ",".join(ids[i:i + 100]))
            self.assertEqual(status, 200, body[:200])
            page = json.loads(body)
            self.assertFalse(page["more"])
            for o in page["objects"]:
                found.setdefault(o["id"], set()).add(o.get("modified"))
        for oid, version in expected.items():
            self.assertIn(oid, found)
            if version is not None:
                self.assertIn(version, found[oid])
        conn.close()
        return len(expected)

    def verify_audit(self):
        r = self.vigil("audit", "verify", check=0)
        self.assertTrue(r.out.startswith("audit log intact: "), r.out)
        self.vigil("check", check=0)

    def test_kill_9_during_posts_loses_nothing_acknowledged(self):
        envelopes = self.envelopes(3, 60 * PER_ENVELOPE)
        server = self.serve()
        cid, posters = self.start_posters(server, envelopes)
        # kill once some envelopes are acknowledged and others in flight
        self.wait_acked(posters, 8)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        for p in posters:
            p.join(60)
            self.assertFalse(p.is_alive())
        acked = sum(len(p.acked) for p in posters)
        self.assertGreaterEqual(acked, 8)
        self.assertLess(acked, len(envelopes), "the kill came too late")
        # restart on the same store
        server = self.serve()
        checked = self.assert_all_present(server, cid, posters)
        self.assertGreaterEqual(checked, 8 * PER_ENVELOPE)
        code, err = server.stop()
        self.assertEqual(code, 0, err)
        self.verify_audit()

    def test_sigterm_during_posts_finishes_requests_in_flight(self):
        envelopes = self.envelopes(4, 150 * PER_ENVELOPE)
        server = self.serve()
        cid, posters = self.start_posters(server, envelopes)
        self.wait_acked(posters, 4)
        time.sleep(0.2)  # more requests sent, some in flight
        term_at = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(60)
        for p in posters:
            p.join(60)
            self.assertFalse(p.is_alive())
        _, err = server.stop()
        self.assertEqual(code, 0, err)
        self.assertTrue(err.endswith("vigil serve: stopped on signal 15\n"),
                        err)
        # every request whose body was sent before the signal was answered
        in_flight = [answered for p in posters for sent, answered in p.sent
                     if sent < term_at - 0.05]
        self.assertTrue(in_flight)
        self.assertTrue(all(in_flight), [p.errors for p in posters])
        acked = sum(len(p.acked) for p in posters)
        self.assertLess(acked, len(envelopes), "the stop came too late")
        server = self.serve()
        self.assert_all_present(server, cid, posters)
        self.assertEqual(server.stop()[0], 0)
        self.verify_audit()

    def test_sigterm_always_stops_cleanly(self):
        """SIGTERM is taken by the main thread, never by a worker: exit 0
        and the clean-stop message, every time (idle or just used)."""
        for i in range(20):
            s = Server(self.data)
            if i % 2:
                request(s.base + "/healthz")
            code, err = s.stop()
            self.assertEqual((i, code), (i, 0), err)
            self.assertTrue(err.endswith("stopped on signal 15\n"), err)


if __name__ == "__main__":
    main()
