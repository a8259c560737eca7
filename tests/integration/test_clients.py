"""Clients and deployment (issue 9, items 7-9) against the real server.

Item 7: the OASIS taxii2-client (not installable here: PyPI is out of
reach) opened on a collection's alias URL read the collection resource and
refused it, its id not being in the URL. MiniTaxiiClient below does what
taxii2-client 2.3 (taxii2client/v21) does with the server's answers:
Collection(url) reads the resource at url and raises unless its "id" is in
url; get_objects pages with limit and next (as_pages); add_objects posts an
envelope and reads the status at url + "../../status/ID/"; ApiRoot lists
the collections and opens each at api_root + "collections/" + id + "/".
Item 8: `Authorization: Token KEY` (taxii2-client's TokenAuth) is a key
like Bearer; an unknown scheme is audited as "unsupported scheme".
Item 9: public_url and trusted proxies in discovery and the audit log, and
the warning for plain HTTP on a non-loopback address."""
import base64
import json
import time
import re
import subprocess
import urllib.parse
import uuid

from vigiltest import (TAXII, VIGIL, HubCase, Server, VigilCase, main,
                       request)


class ValidationError(Exception):
    pass


class MiniTaxiiClient:
    """The checks and URLs of taxii2client.v21, over http.client."""

    def __init__(self, user, password):
        self.auth = {"Authorization": "Basic " + base64.b64encode(
            ("%s:%s" % (user, password)).encode()).decode()}
        self.requests = []

    def call(self, url, method="GET", body=None, params=None):
        if params:
            url += "?" + urllib.parse.urlencode(params)
        self.requests.append(url)
        headers = dict(self.auth, Accept=TAXII)
        r = request(url, method, body=body, headers=headers)
        if r.status >= 400:
            raise RuntimeError("%d %s" % (r.status, r.body))
        return r.json()

    def collection(self, url):
        info = self.call(url)
        # taxii2client.v21.Collection._validate_collection
        if info["id"] not in url:
            raise ValidationError("The collection '%s' does not match the "
                                  "url for queries '%s'" % (info["id"], url))
        return info

    def pages(self, url, per_request, **filters):
        """as_pages(collection.get_objects, per_request, **filters)"""
        env = self.call(url + "objects/", params=dict(filters,
                                                      limit=per_request))
        yield env
        while env.get("more"):
            env = self.call(url + "objects/", params=dict(
                filters, limit=per_request, next=env["next"]))
            yield env

    def add_objects(self, url, objects):
        status = self.call(url + "objects/", "POST",
                           json.dumps({"objects": objects}))
        status_url = urllib.parse.urljoin(url, "../../status/%s/"
                                          % status["id"])
        return self.call(status_url)


def indicator(n):
    return {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, str(n)),
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": "test %d" % n, "pattern_type": "stix",
            "pattern": "[ipv4-addr:value = '198.51.100.%d']" % (n % 250),
            "valid_from": "2026-01-01T00:00:00Z"}


class TestAliasUrl(HubCase):
    """Item 7."""

    def test_taxii2_client_on_the_alias_url(self):
        client = MiniTaxiiClient("admin", self.admin_key)
        alias_url = self.server.root + "collections/community/"
        coll = client.collection(alias_url)
        self.assertEqual((coll["id"], coll["alias"], coll["can_write"]),
                         ("community", "community", True))
        status = client.add_objects(alias_url, [indicator(i)
                                                for i in range(7)])
        self.assertEqual((status["status"], status["success_count"]),
                         ("complete", 7))
        got = [o["id"] for env in client.pages(
            alias_url, 3, **{"match[type]": "indicator"})
            for o in env.get("objects", [])]
        self.assertEqual(sorted(got), sorted(indicator(i)["id"]
                                             for i in range(7)))

        # the list names it by its id, and it is served at its id URL
        listed = client.call(self.server.root + "collections/")
        cid = [c["id"] for c in listed["collections"]
               if c["alias"] == "community"][0]
        uuid.UUID(cid)
        id_url = self.server.root + "collections/%s/" % cid
        self.assertEqual(client.collection(id_url)["id"], cid)

        # one cursor for both URLs: it binds the collection, not the URL
        kind = {"match[type]": "indicator"}
        first = client.call(alias_url + "objects/",
                            params=dict(kind, limit=3))
        rest = client.call(id_url + "objects/",
                           params=dict(kind, limit=3, next=first["next"]))
        self.assertEqual(len(first["objects"]) + len(rest["objects"]), 6)

        # and the audit log names the collection by its id either way
        entries = self.vigil("audit", "show", "--json", check=0).json()[
            "entries"]
        reads = [e for e in entries if e["action"] in
                 ("collection.read", "objects.read", "objects.add")]
        self.assertTrue(reads)
        for e in reads:
            self.assertEqual(e["detail"].get("collection", e["target"]), cid,
                             e)

    def test_the_check_that_failed(self):
        """What taxii2-client did before: the alias URL answered with the
        id, which is not in the URL."""
        client = MiniTaxiiClient("admin", self.admin_key)
        listed = client.call(self.server.root + "collections/")
        for c in listed["collections"]:
            for key in ("id", "alias"):
                url = self.server.root + "collections/%s/" % c[key]
                self.assertEqual(client.collection(url)["id"], c[key])


class TestSchemes(HubCase):
    """Item 8."""

    def fails(self):
        entries = self.vigil("audit", "show", "--json", check=0).json()[
            "entries"]
        return [(e["detail"]["reason"], e["detail"]["path"]) for e in entries
                if e["action"] == "auth.fail"]

    def test_token_is_a_key(self):
        for scheme in ("Token", "token", "Bearer"):
            r = request(self.server.root, headers={
                "Authorization": "%s %s" % (scheme, self.admin_key)})
            self.assertEqual(r.status, 200, (scheme, r.body))
        entries = self.vigil("audit", "show", "--json", check=0).json()[
            "entries"]
        reads = [e for e in entries if e["action"] == "api_root.read"]
        self.assertEqual([(e["actor"], e["auth"][:4]) for e in reads],
                         [("admin", "key:")] * 3)
        self.assertEqual(self.fails(), [])

    def test_unknown_scheme_is_audited_as_such(self):
        r = request(self.server.root, headers={
            "Authorization": "Digest username=admin"})
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(r.headers["www-authenticate"],
                         'Bearer realm="vigil", Basic realm="vigil", '
                         'charset="UTF-8"')
        r = request(self.server.root)
        self.assertEqual(r.status, 401, r.body)
        r = request(self.server.root, headers={
            "Authorization": "Token vgk_0000000000000000_" + "A" * 43})
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(self.fails(), [
            ("unsupported scheme", "/taxii2/hub/"),
            ("missing credentials", "/taxii2/hub/"),
            ("unknown key", "/taxii2/hub/")])

    def test_refusals_counted_under_their_route(self):
        request(self.server.root + "collections/")
        request(self.server.base + "/nowhere/")
        want = ['vigil_http_requests_total{route="collections",'
                'status="401"} 1\n',
                'vigil_http_requests_total{route="other",status="401"} 1\n']
        # an answer is counted when the server has finished with it, just
        # after the client has it: wait for the count a moment
        deadline = time.monotonic() + 5
        while True:
            r = request(self.server.base + "/metrics", key=self.admin_key,
                        headers={"Accept": "text/plain"})
            self.assertEqual(r.status, 200, r.body)
            if all(w in r.body for w in want) or \
                    time.monotonic() > deadline:
                break
            time.sleep(0.05)
        for w in want:
            self.assertIn(w, r.body)


class TestBehindAProxy(VigilCase):
    """Item 9."""

    def serve(self, *args):
        return Server(self.data, *args)

    def key(self):
        return self.vigil("key", "new", "--user", "admin", "--json",
                          check=0).json()["key"]

    def discovery(self, server, key, **headers):
        r = request(server.base + "/taxii2/", key=key, headers=headers)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def sources(self):
        entries = self.vigil("audit", "show", "--json", check=0).json()[
            "entries"]
        return [e["source"] for e in entries
                if e["action"] == "discovery.read"]

    def test_public_url(self):
        key = self.key()
        server = self.serve("--set", "public_url=https://hub.example.org/")
        try:
            d = self.discovery(server, key, Host="evil.example")
            self.assertEqual(d["default"],
                             "https://hub.example.org/taxii2/hub/")
            self.assertEqual(d["api_roots"],
                             ["https://hub.example.org/taxii2/hub/"])
        finally:
            self.assertEqual(server.stop()[0], 0)

    def test_trusted_proxy(self):
        key = self.key()
        fwd = {"X-Forwarded-For": "203.0.113.9, 127.0.0.1",
               "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "hub.example.org"}
        server = self.serve("--set", "trusted_proxies=127.0.0.0/8, ::1")
        try:
            d = self.discovery(server, key, **fwd)
            self.assertEqual(d["default"],
                             "https://hub.example.org/taxii2/hub/")
            # a forged entry left of the client's is not believed
            self.discovery(server, key, **{
                "X-Forwarded-For": "10.9.9.9, 198.51.100.4"})
            self.discovery(server, key, **{"X-Forwarded-For": "junk"})
        finally:
            self.assertEqual(server.stop()[0], 0)
        self.assertEqual(self.sources(),
                         ["203.0.113.9", "198.51.100.4", "127.0.0.1"])

    def test_untrusted_proxy_headers_ignored(self):
        key = self.key()
        server = self.serve("--set", "trusted_proxies=192.0.2.1")
        try:
            d = self.discovery(server, key, **{
                "X-Forwarded-For": "203.0.113.9",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "hub.example.org"})
            self.assertEqual(d["default"], "http://127.0.0.1:%d/taxii2/hub/"
                             % server.port)
        finally:
            self.assertEqual(server.stop()[0], 0)
        self.assertEqual(self.sources(), ["127.0.0.1"])

    def test_bad_settings(self):
        for setting, message in [
                ("public_url=hub.example.org",
                 "vigil: --set: 'public_url': 'hub.example.org' is not an "
                 "http:// or https:// URL (as 'https://hub.example.org', at "
                 "most 255 characters, no query)\n"),
                ("trusted_proxies=10.0.0.0/33",
                 "vigil: --set: 'trusted_proxies': '10.0.0.0/33' is not an "
                 "address or a network (192.0.2.10, 10.0.0.0/8, ::1, "
                 "fd00::/8)\n")]:
            r = self.vigil("serve", "--listen", "127.0.0.1:0", "--set",
                           setting, check=3)
            self.assertEqual(r.err, message)

    def test_plain_http_off_loopback_warns(self):
        p = subprocess.Popen([VIGIL, "--data", self.data, "serve", "--listen",
                              "0.0.0.0:0"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            line = p.stdout.readline()
            self.assertRegex(line, r"^vigil serving on http://0\.0\.0\.0:\d+/")
        finally:
            p.terminate()
            p.wait(timeout=30)
            err = p.stderr.read()
            p.stdout.close()
            p.stderr.close()
        self.assertIn("vigil serve: warning: plain HTTP on 0.0.0.0:0, which "
                      "is not a loopback address: API keys cross the network "
                      "in clear", err)
        server = self.serve()
        code, err = server.stop()
        self.assertEqual(code, 0)
        self.assertNotIn("warning", err)

    def test_listen_on_a_host_name(self):
        p = subprocess.Popen([VIGIL, "--data", self.data, "serve", "--listen",
                              "localhost:0"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            line = p.stdout.readline()
            port = int(re.search(r"http://localhost:(\d+)/", line).group(1))
            key = self.key()
            r = request("http://127.0.0.1:%d/taxii2/" % port, key=key)
            self.assertEqual(r.status, 200, r.body)
        finally:
            p.terminate()
            p.wait(timeout=30)
            p.stdout.close()
            p.stderr.close()


if __name__ == "__main__":
    main()
