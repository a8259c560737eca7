"""TAXII 2.1 conformance of the real server, one test (or a few) per line of
../shared/reference/TAXII-2.1.md: discovery and API root, collections,
manifests, object pages and their date headers, adding objects and status
resources, media types and error bodies, paging with cursors, the match[]
filters, rights, authentication, and what the OASIS reference client does.

Each test runs against a fresh hub and a real `vigil serve` (HubCase), with
an organisation Alpha (analyst a1) and an organisation Bravo (analyst b1);
tests add the other users they need (a reader, an auditor, a second analyst
of Alpha). Everything is asserted exactly: statuses, bodies, error texts."""
import base64
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import unittest
import urllib.parse
import uuid
import warnings

from vigiltest import TAXII, HubCase, main, request

STIX_MEDIA = "application/stix+json;version=2.1"
TAXII_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
MISSING_STATUS = "00000000-0000-4000-8000-000000000000"
CURSOR_ERROR = {"title": "bad request",
                "description": "'next': not a cursor of this request; "
                               "start again without it",
                "http_status": "400"}


def new_id(kind):
    return "%s--%s" % (kind, uuid.uuid4())


# Alpha's identity: what members post names its creator (the hub adds it
# where absent and refuses another), so the objects of these tests, posted
# by Alpha's users, say so (set by TaxiiCase.setUp)
CREATOR = {"id": None}


def indicator(oid=None, modified="2024-01-01T00:00:00.000Z",
              created="2024-01-01T00:00:00.000Z", **extra):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": oid or new_id("indicator"), "created": created,
         "modified": modified, "name": "test indicator",
         "pattern": "[ipv4-addr:value = '10.0.0.1']", "pattern_type": "stix",
         "valid_from": "2024-01-01T00:00:00Z",
         "created_by_ref": CREATOR["id"]}
    o.update(extra)
    return o


def malware(oid=None, modified="2024-01-01T00:00:00.000Z"):
    return {"type": "malware", "spec_version": "2.1",
            "id": oid or new_id("malware"),
            "created": "2024-01-01T00:00:00.000Z", "modified": modified,
            "name": "test malware", "is_family": True,
            "created_by_ref": CREATOR["id"]}


SCO_TYPES = {"artifact", "autonomous-system", "directory", "domain-name",
             "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr",
             "mac-addr", "mutex", "network-traffic", "process", "software",
             "url", "user-account", "windows-registry-key",
             "x509-certificate"}


def as_stored(o, creator):
    """o as the hub stores it when a member posts it: an owned object
    without created_by_ref names its poster's organisation."""
    if o["type"] in SCO_TYPES or "created_by_ref" in o:
        return o
    return dict(o, created_by_ref=creator)


def envelope(*objects):
    return json.dumps({"objects": list(objects)})


def query(**params):
    """A query string from keyword arguments; match_id -> match[id]; a list
    value repeats the parameter."""
    pairs = []
    for k, v in params.items():
        name = re.sub(r"^match_(.*)$", r"match[\1]", k)
        for one in (v if isinstance(v, list) else [v]):
            pairs.append((name, one))
    return "?" + urllib.parse.urlencode(pairs, safe="[],:") if pairs else ""


def headers_but_date(r):
    return {k: v for k, v in r.headers.items() if k != "date"}


class TaxiiCase(HubCase):
    """A hub with two organisations and their users, and helpers."""

    def setUp(self):
        super().setUp()
        self.vigil("org", "add", "Alpha", check=0)
        self.vigil("org", "add", "Bravo", check=0)
        self.keys = {}
        for name, org, role in [("a1", "Alpha", "analyst"),
                                ("b1", "Bravo", "analyst")]:
            self.add_user(name, org, role)
        self.root = self.server.root
        orgs = self.vigil("org", "list", "--json", check=0).json()["orgs"]
        self.identity = {o["name"]: o["identity"] for o in orgs}
        CREATOR["id"] = self.identity["Alpha"]

    def add_user(self, name, org, role, clearance="SECRET"):
        self.vigil("user", "add", name, "--org", org, "--role", role,
                   "--clearance", clearance, check=0)
        self.keys[name] = self.new_key(name)
        return self.keys[name]

    def url(self, path, **params):
        return self.root + path + query(**params)

    def get(self, path, who="a1", **params):
        return request(self.url(path, **params), key=self.keys[who])

    def post(self, coll, *objects, who="a1", body=None):
        r = request(self.url("collections/%s/objects/" % coll), "POST",
                    key=self.keys[who],
                    body=body if body is not None else envelope(*objects))
        return r

    def post_ok(self, coll, *objects, who="a1"):
        r = self.post(coll, *objects, who=who)
        self.assertEqual(r.status, 202, r.body)
        st = r.json()
        self.assertEqual(st["failure_count"], 0, st["failures"])
        return st

    def delete(self, coll, oid, who="a1", **params):
        return request(self.url("collections/%s/objects/%s/" % (coll, oid),
                                **params), "DELETE", key=self.keys[who])

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r.body)
        self.assertEqual(r.headers["content-type"], TAXII)
        return r.json()

    def assertError(self, r, status, title, description):
        self.assertEqual(r.status, status, r.body)
        self.assertEqual(r.headers["content-type"], TAXII)
        want = {"title": title, "http_status": str(status)}
        if description is not None:
            want["description"] = description
        self.assertEqual(r.json(), want)

    def manifest(self, coll, who="a1", **params):
        return self.ok(self.get("collections/%s/manifest/" % coll, who,
                                **params)).get("objects", [])

    def objects(self, coll, who="a1", **params):
        return self.ok(self.get("collections/%s/objects/" % coll, who,
                                **params)).get("objects", [])

    def assertDateHeaders(self, r, dates):
        """X-TAXII-Date-Added-First/Last equal the first and last of dates
        (date_added values of the rows of the page, in order)."""
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(dates)
        self.assertEqual(r.headers["x-taxii-date-added-first"], dates[0])
        self.assertEqual(r.headers["x-taxii-date-added-last"], dates[-1])
        for d in dates:
            self.assertRegex(d, TAXII_TS)


class Endpoints(TaxiiCase):
    """The endpoint table."""

    def test_discovery_fields(self):
        d = self.ok(request(self.server.base + "/taxii2/",
                            key=self.keys["a1"]))
        self.assertEqual(d, {
            "title": "vigil hub",
            "description": "vigil intelligence hub",
            "default": self.root,
            "api_roots": [self.root],
        })
        self.assertIn(d["default"], d["api_roots"])

    def test_api_root_fields_and_max_content_length(self):
        d = self.ok(request(self.root, key=self.keys["a1"]))
        self.assertEqual(d, {
            "title": "vigil hub",
            "description": "the hub's API root",
            "versions": [TAXII],
            "max_content_length": 16 << 20,
        })

    def test_collections_list_same_order_every_time(self):
        self.vigil("group", "add", "Joint", check=0)
        self.vigil("group", "member", "add", "Joint", "Alpha", check=0)
        first = self.ok(self.get("collections/"))
        aliases = [c["alias"] for c in first["collections"]]
        self.assertEqual(aliases, ["community", "connected", "all",
                                   "org-alpha", "group-joint"])
        for _ in range(5):
            self.assertEqual(self.ok(self.get("collections/")), first)

    def test_collections_key_omitted_when_empty(self):
        self.add_user("a-auditor", "Alpha", "auditor")
        r = self.get("collections/", "a-auditor")
        self.assertEqual(self.ok(r), {})
        self.assertEqual(r.body, "{}")

    def test_collection_resource_fields(self):
        listed = self.ok(self.get("collections/"))["collections"]
        for c in listed:
            with self.subTest(alias=c["alias"]):
                self.assertEqual(sorted(c), ["alias", "can_read", "can_write",
                                             "description", "id",
                                             "media_types", "title"])
                self.assertEqual(c["media_types"], [STIX_MEDIA])
                by_id = self.ok(self.get("collections/%s/" % c["id"]))
                by_alias = self.ok(self.get("collections/%s/" % c["alias"]))
                self.assertEqual(by_id, c)
                # issue 9, item 7: at its alias URL, the alias is its id
                # (taxii2-client checks the id against the URL)
                self.assertEqual(by_alias, dict(c, id=c["alias"]))
        community = listed[0]
        self.assertEqual(community["title"], "Community")
        self.assertEqual(community["description"],
                         "Shared with every organisation of this hub")
        uuid.UUID(community["id"])

    def test_can_read_can_write_per_caller(self):
        self.add_user("a-reader", "Alpha", "reader")
        self.add_user("a-orgadmin", "Alpha", "org-admin")
        self.add_user("a-hubadmin", "Alpha", "hub-admin")
        self.add_user("a-auditor", "Alpha", "auditor")
        want = {"a1": (True, True), "a-reader": (True, False),
                "a-orgadmin": (True, True), "a-hubadmin": (True, True)}
        for who, rights in want.items():
            with self.subTest(who=who):
                cs = self.ok(self.get("collections/", who))["collections"]
                self.assertEqual(len(cs), 4)
                for c in cs:
                    self.assertEqual((c["can_read"], c["can_write"]), rights)
                one = self.ok(self.get("collections/community/", who))
                self.assertEqual((one["can_read"], one["can_write"]), rights)
        self.assertEqual(self.ok(self.get("collections/", "a-auditor")), {})
        self.assertError(self.get("collections/community/", "a-auditor"),
                         404, "not found", "no such collection")

    def test_manifest_records_fields_and_date_headers(self):
        a, b = indicator(), malware()
        self.post_ok("org-alpha", a, b)
        r = self.get("collections/org-alpha/manifest/",
                     match_type="indicator,malware")
        recs = self.ok(r)["objects"]
        self.assertEqual(self.ok(r)["more"], False)
        self.assertEqual([x["id"] for x in recs], [a["id"], b["id"]])
        for rec, obj in zip(recs, (a, b)):
            self.assertEqual(sorted(rec), ["date_added", "id", "media_type",
                                           "version"])
            self.assertEqual(rec["version"], obj["modified"])
            self.assertEqual(rec["media_type"], STIX_MEDIA)
            self.assertRegex(rec["date_added"], TAXII_TS)
        self.assertDateHeaders(r, [x["date_added"] for x in recs])

    def test_manifest_version_of_an_sco_is_a_timestamp(self):
        """An SCO has neither modified nor created; its manifest version and
        its versions entry must still be timestamps (the reference server
        uses the time it was added), never an empty string."""
        sco = {"type": "ipv4-addr", "spec_version": "2.1",
               "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
               "value": "198.51.100.3"}
        self.post_ok("org-alpha", sco)
        recs = self.manifest("org-alpha", match_type="ipv4-addr")
        self.assertEqual(len(recs), 1)
        self.assertRegex(recs[0]["version"], TAXII_TS)
        self.assertEqual(recs[0]["version"], recs[0]["date_added"])
        v = self.ok(self.get("collections/org-alpha/objects/%s/versions/"
                             % sco["id"]))
        self.assertEqual(v, {"more": False,
                             "versions": [recs[0]["date_added"]]})

    def test_objects_envelope_more_next_objects_and_date_headers(self):
        objs = [indicator() for _ in range(5)]
        self.post_ok("org-alpha", *objs)
        recs = self.manifest("org-alpha", match_type="indicator")
        r = self.get("collections/org-alpha/objects/", match_type="indicator",
                     limit=3)
        env = self.ok(r)
        self.assertEqual(sorted(env), ["more", "next", "objects"])
        self.assertIs(env["more"], True)
        self.assertRegex(env["next"], r"^[0-9a-f]{48}$")
        self.assertEqual(env["objects"], objs[:3])
        self.assertDateHeaders(r, [x["date_added"] for x in recs[:3]])
        r = self.get("collections/org-alpha/objects/", match_type="indicator",
                     limit=3, next=env["next"])
        env = self.ok(r)
        self.assertEqual(env, {"more": False, "objects": objs[3:]})
        self.assertDateHeaders(r, [x["date_added"] for x in recs[3:]])

    def test_empty_page_has_no_objects_key_and_no_date_headers(self):
        r = self.get("collections/connected/objects/")
        self.assertEqual(self.ok(r), {"more": False})
        self.assertNotIn("x-taxii-date-added-first", r.headers)
        self.assertNotIn("x-taxii-date-added-last", r.headers)
        r = self.get("collections/connected/manifest/")
        self.assertEqual(self.ok(r), {"more": False})

    def test_post_202_with_status(self):
        a = indicator()
        r = self.post("org-alpha", a)
        st = self.ok(r, 202)
        self.assertEqual(sorted(st), sorted([
            "id", "status", "request_timestamp", "total_count",
            "success_count", "successes", "failure_count", "failures",
            "pending_count", "pendings"]))
        uuid.UUID(st["id"])
        self.assertEqual(st["status"], "complete")
        self.assertRegex(st["request_timestamp"], TAXII_TS)
        self.assertEqual(
            (st["total_count"], st["success_count"], st["failure_count"],
             st["pending_count"]), (1, 1, 0, 0))
        self.assertEqual(st["successes"],
                         [{"id": a["id"], "version": a["modified"]}])
        self.assertEqual((st["failures"], st["pendings"]), ([], []))

    def test_object_get(self):
        a = indicator()
        self.post_ok("org-alpha", a, indicator())
        r = self.get("collections/org-alpha/objects/%s/" % a["id"])
        self.assertEqual(self.ok(r), {"more": False, "objects": [a]})
        rec = self.manifest("org-alpha", match_id=a["id"])[0]
        self.assertDateHeaders(r, [rec["date_added"]])
        self.assertError(
            self.get("collections/org-alpha/objects/%s/" % new_id("indicator")),
            404, "not found", "no such object")

    def test_object_delete_then_gone_from_objects_and_manifest(self):
        a, b = indicator(), indicator()
        self.post_ok("org-alpha", a, b)
        self.post_ok("org-alpha", indicator(a["id"],
                                            "2024-02-01T00:00:00.000Z"))
        r = self.delete("org-alpha", a["id"])
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.headers["content-type"], TAXII)
        self.assertEqual(r.body, "")
        self.assertError(self.get("collections/org-alpha/objects/%s/"
                                  % a["id"]), 404, "not found",
                         "no such object")
        self.assertError(self.get("collections/org-alpha/objects/%s/versions/"
                                  % a["id"]), 404, "not found",
                         "no such object")
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [b])
        self.assertEqual([x["id"] for x in self.manifest(
            "org-alpha", match_type="indicator", match_version="all")],
            [b["id"]])
        self.assertError(self.delete("org-alpha", a["id"]), 404, "not found",
                         "no such object")

    def test_delete_one_version(self):
        a1 = indicator()
        a2 = indicator(a1["id"], "2024-02-01T00:00:00.000Z")
        a3 = indicator(a1["id"], "2024-03-01T00:00:00.000Z")
        self.post_ok("org-alpha", a1, a2, a3)
        r = self.delete("org-alpha", a1["id"], match_version=a2["modified"])
        self.assertEqual(r.status, 200, r.body)
        v = self.ok(self.get("collections/org-alpha/objects/%s/versions/"
                             % a1["id"]))
        self.assertEqual(v["versions"], [a1["modified"], a3["modified"]])
        r = self.delete("org-alpha", a1["id"], match_version="last")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.objects("org-alpha", match_id=a1["id"]), [a1])

    def test_versions_endpoint(self):
        a1 = indicator()
        a2 = indicator(a1["id"], "2024-02-01T00:00:00.000Z")
        a3 = indicator(a1["id"], "2024-03-01T00:00:00.5000Z")
        self.post_ok("org-alpha", a1, a3)
        self.post_ok("org-alpha", a2)
        r = self.get("collections/org-alpha/objects/%s/versions/" % a1["id"])
        v = self.ok(r)
        # date_added order: a2 arrived last
        self.assertEqual(v, {"more": False, "versions": [
            a1["modified"], a3["modified"], a2["modified"]]})
        recs = self.manifest("org-alpha", match_id=a1["id"],
                             match_version="all")
        self.assertDateHeaders(r, [x["date_added"] for x in recs])
        r = self.get("collections/org-alpha/objects/%s/versions/" % a1["id"],
                     limit=2)
        v = self.ok(r)
        self.assertEqual(v["versions"], [a1["modified"], a3["modified"]])
        self.assertIs(v["more"], True)
        v = self.ok(self.get("collections/org-alpha/objects/%s/versions/"
                             % a1["id"], limit=2, next=v["next"]))
        self.assertEqual(v, {"more": False, "versions": [a2["modified"]]})
        self.assertError(
            self.get("collections/org-alpha/objects/%s/versions/"
                     % new_id("indicator")), 404, "not found",
            "no such object")


class MediaTypes(TaxiiCase):
    """[1.6.8, 3.1] Accept, Content-Type and the type of every response."""

    def test_accept_taxii_21_bare_any_or_none(self):
        for accept in [TAXII, "application/taxii+json",
                       "application/taxii+json; version=2.1",
                       "text/html, application/taxii+json;version=2.1",
                       "*/*", None]:
            with self.subTest(accept=accept):
                r = request(self.root, key=self.keys["a1"],
                            headers={"Accept": accept})
                self.ok(r)

    def test_bad_accept_406_with_error_body(self):
        for accept in ["application/json", "text/html",
                       "application/taxii+json;version=2.0",
                       STIX_MEDIA, "application/xml, text/plain"]:
            for path in ["", "collections/", "collections/community/objects/"]:
                with self.subTest(accept=accept, path=path):
                    r = request(self.root + path, key=self.keys["a1"],
                                headers={"Accept": accept})
                    self.assertError(r, 406, "not acceptable",
                                     "this server answers " + TAXII)

    def test_post_needs_taxii_content_type_else_415(self):
        for ctype in ["application/json", STIX_MEDIA, "text/plain",
                      "application/taxii+json;version=2.0", None]:
            with self.subTest(content_type=ctype):
                r = request(self.url("collections/org-alpha/objects/"),
                            "POST", key=self.keys["a1"],
                            body=envelope(indicator()),
                            headers={"Content-Type": ctype})
                self.assertError(r, 415, "unsupported media type",
                                 "send Content-Type: " + TAXII)
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [])
        for ctype in [TAXII, "application/taxii+json"]:
            with self.subTest(content_type=ctype):
                r = request(self.url("collections/org-alpha/objects/"),
                            "POST", key=self.keys["a1"],
                            body=envelope(indicator()),
                            headers={"Content-Type": ctype})
                self.ok(r, 202)

    def test_every_response_has_taxii_content_type(self):
        self.add_user("a-reader", "Alpha", "reader")
        a = indicator()
        st = self.post_ok("org-alpha", a)
        k = self.keys["a1"]
        reqs = [
            (200, lambda: request(self.server.base + "/taxii2/", key=k)),
            (200, lambda: request(self.root, key=k)),
            (200, lambda: self.get("collections/")),
            (200, lambda: self.get("collections/org-alpha/")),
            (200, lambda: self.get("collections/org-alpha/manifest/")),
            (200, lambda: self.get("collections/org-alpha/objects/")),
            (200, lambda: self.get("collections/org-alpha/objects/%s/"
                                   % a["id"])),
            (200, lambda: self.get("collections/org-alpha/objects/%s/"
                                   "versions/" % a["id"])),
            (200, lambda: self.get("status/%s/" % st["id"])),
            (202, lambda: self.post("org-alpha", indicator())),
            (200, lambda: self.delete("org-alpha", a["id"])),
            (400, lambda: self.get("collections/org-alpha/objects/",
                                   limit=0)),
            (401, lambda: request(self.root)),
            (403, lambda: self.post("org-alpha", indicator(),
                                    who="a-reader")),
            (404, lambda: self.get("collections/nope/")),
            (404, lambda: self.get("nope/")),
            (404, lambda: request(self.server.base + "/taxii2/other/",
                                  key=k)),
            (404, lambda: self.get("status/%s/" % MISSING_STATUS)),
            (405, lambda: request(self.url("collections/"), "POST", key=k,
                                  body="{}")),
            (406, lambda: request(self.root, key=k,
                                  headers={"Accept": "text/html"})),
            (415, lambda: request(self.url("collections/org-alpha/objects/"),
                                  "POST", key=k, body="{}",
                                  headers={"Content-Type": "text/plain"})),
            (422, lambda: self.post("org-alpha", body="[]")),
        ]
        for status, do in reqs:
            r = do()
            with self.subTest(status=status, body=r.body[:80]):
                self.assertEqual(r.status, status, r.body)
                self.assertEqual(r.headers["content-type"], TAXII)

    def test_stix_media_type_in_collections_and_manifest(self):
        self.post_ok("org-alpha", indicator())
        for c in self.ok(self.get("collections/"))["collections"]:
            self.assertEqual(c["media_types"], [STIX_MEDIA])
        for rec in self.manifest("org-alpha"):
            self.assertEqual(rec["media_type"], STIX_MEDIA)


class BodyLimit(TaxiiCase):
    """A body over max_content_length is refused with 413."""

    server_args = ("--set", "max_content_length=2048")

    def body_of(self, size):
        head = envelope(indicator())
        body = head[:-1] + " " * (size - len(head)) + "}"
        self.assertEqual(len(body), size)
        return body

    def test_api_root_says_the_limit(self):
        d = self.ok(request(self.root, key=self.keys["a1"]))
        self.assertEqual(d["max_content_length"], 2048)

    def test_body_at_the_limit_accepted_over_it_413(self):
        r = self.post("org-alpha", body=self.body_of(2048))
        self.assertEqual(self.ok(r, 202)["success_count"], 1)
        r = self.post("org-alpha", body=self.body_of(2049))
        self.assertError(r, 413, "request too large",
                         "the body exceeds max_content_length")
        self.assertEqual(len(self.objects("org-alpha",
                                          match_type="indicator")), 1)

    def test_chunked_body_over_the_limit_413(self):
        u = urllib.parse.urlsplit(self.root)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        body = self.body_of(5000).encode()
        chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)]
        conn.request("POST", u.path + "collections/org-alpha/objects/",
                     body=iter(chunks), encode_chunked=True,
                     headers={"Accept": TAXII, "Content-Type": TAXII,
                              "Transfer-Encoding": "chunked",
                              "Authorization": "Bearer " + self.keys["a1"]})
        r = conn.getresponse()
        data = r.read().decode()
        conn.close()
        self.assertEqual(r.status, 413, data)
        self.assertEqual(r.getheader("content-type"), TAXII)
        self.assertEqual(json.loads(data)["http_status"], "413")
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [])


class Errors(TaxiiCase):
    """[3.6.1] Error bodies: title, and http_status equal to the status."""

    def test_error_bodies_title_and_http_status(self):
        self.add_user("a-reader", "Alpha", "reader")
        k = self.keys["a1"]
        oid = new_id("indicator")
        cases = [
            (request(self.root), 401),
            (request(self.root, key="vgk_0000000000000000_" + "A" * 43), 401),
            (self.get("collections/org-alpha/objects/", limit="x"), 400),
            (self.get("collections/org-alpha/objects/",
                      match_type=["a-b", "c-d"]), 400),
            (self.post("org-alpha", indicator(), who="a-reader"), 403),
            (self.delete("org-alpha", oid, who="a-reader"), 403),
            (self.get("collections/org-bravo/"), 404),
            (self.get("collections/org-alpha/objects/%s/" % oid), 404),
            (self.get("status/%s/" % MISSING_STATUS), 404),
            (request(self.url("collections/org-alpha/objects/%s/" % oid),
                     "PUT", key=k, body="{}"), 405),
            (request(self.root, key=k, headers={"Accept": "text/plain"}),
             406),
            (request(self.url("collections/org-alpha/objects/"), "POST",
                     key=k, body="{}",
                     headers={"Content-Type": "application/json"}), 415),
            (self.post("org-alpha", body="not json"), 422),
        ]
        for r, status in cases:
            with self.subTest(status=status, body=r.body):
                self.assertEqual(r.status, status)
                self.assertEqual(r.headers["content-type"], TAXII)
                e = r.json()
                self.assertIsInstance(e["title"], str)
                self.assertTrue(e["title"])
                self.assertEqual(e["http_status"], str(status))
                self.assertLessEqual(set(e), {
                    "title", "description", "error_id", "error_code",
                    "http_status", "external_details", "details"})

    def test_method_not_allowed_lists_allowed_methods(self):
        r = request(self.url("collections/org-alpha/objects/"), "PUT",
                    key=self.keys["a1"], body="{}")
        self.assertError(r, 405, "method not allowed", None)
        self.assertEqual(r.headers["allow"], "GET, POST")


class Time(TaxiiCase):
    """[2] TAXII timestamps have six fraction digits; STIX ones are kept
    verbatim."""

    def test_taxii_timestamps_exact_format(self):
        a = indicator()
        st = self.post_ok("org-alpha", a)
        self.assertRegex(st["request_timestamp"], TAXII_TS)
        r = self.get("collections/org-alpha/manifest/")
        for rec in self.ok(r)["objects"]:
            self.assertRegex(rec["date_added"], TAXII_TS)
        self.assertRegex(r.headers["x-taxii-date-added-first"], TAXII_TS)
        self.assertRegex(r.headers["x-taxii-date-added-last"], TAXII_TS)

    def test_stix_timestamps_kept_verbatim(self):
        a = indicator(created="2024-01-01T00:00:00.1234567Z",
                      modified="2024-01-02T00:00:00.120Z",
                      valid_from="2024-01-01T00:00:00Z")
        self.post_ok("org-alpha", a)
        r = self.get("collections/org-alpha/objects/%s/" % a["id"])
        self.assertIn('"created":"2024-01-01T00:00:00.1234567Z"', r.body)
        self.assertIn('"modified":"2024-01-02T00:00:00.120Z"', r.body)
        self.assertEqual(self.manifest("org-alpha", match_id=a["id"])[0]
                         ["version"], "2024-01-02T00:00:00.120Z")
        v = self.ok(self.get("collections/org-alpha/objects/%s/versions/"
                             % a["id"]))
        self.assertEqual(v["versions"], ["2024-01-02T00:00:00.120Z"])


class Paging(TaxiiCase):
    """[3.3-3.5] Order, added_after, limit, more and next."""

    def test_sorted_ascending_by_date_added(self):
        first = [indicator() for _ in range(3)]
        second = [malware(), indicator()]
        self.post_ok("org-alpha", *first)
        self.post_ok("org-alpha", *second)
        recs = self.manifest("org-alpha", match_type="indicator,malware")
        self.assertEqual([x["id"] for x in recs],
                         [o["id"] for o in first + second])
        dates = [x["date_added"] for x in recs]
        self.assertEqual(dates, sorted(dates))
        self.assertEqual(len(set(dates)), len(dates))
        self.assertEqual(self.objects("org-alpha",
                                      match_type="indicator,malware"),
                         first + second)

    def test_added_after_is_strictly_greater(self):
        objs = [indicator() for _ in range(4)]
        for o in objs:
            self.post_ok("org-alpha", o)
        recs = self.manifest("org-alpha", match_type="indicator")
        for i, rec in enumerate(recs):
            with self.subTest(i=i):
                got = self.objects("org-alpha", match_type="indicator",
                                   added_after=rec["date_added"])
                self.assertEqual(got, objs[i + 1:])
                got = self.manifest("org-alpha", match_type="indicator",
                                    added_after=rec["date_added"])
                self.assertEqual(got, recs[i + 1:])
        self.assertEqual(self.objects("org-alpha", match_type="indicator",
                                      added_after="2000-01-01T00:00:00Z"),
                         objs)

    def test_limit_must_be_a_positive_integer(self):
        for bad in ["0", "-1", "abc", "1.5", "", "+3", " 3", "3x", "0x10"]:
            with self.subTest(limit=bad):
                self.assertError(
                    self.get("collections/org-alpha/objects/", limit=bad),
                    400, "bad request",
                    "'limit': '%s' is not a positive integer" % bad)
        for path in ["manifest/", "objects/%s/" % new_id("indicator"),
                     "objects/%s/versions/" % new_id("indicator")]:
            with self.subTest(path=path):
                self.assertError(
                    self.get("collections/org-alpha/" + path, limit="0"),
                    400, "bad request",
                    "'limit': '0' is not a positive integer")

    def test_limit_is_never_exceeded(self):
        objs = [indicator() for _ in range(5)]
        self.post_ok("org-alpha", *objs)
        for n in range(1, 7):
            with self.subTest(limit=n):
                env = self.ok(self.get("collections/org-alpha/objects/",
                                       match_type="indicator", limit=n))
                self.assertEqual(env["objects"], objs[:n])
                self.assertIs(env["more"], n < 5)
                self.assertEqual("next" in env, n < 5)

    def test_page_through_1000_objects_with_limit_7(self):
        bundle = json.loads(self.vigil(
            "gen", "--seed", "7", "--count", "1000", "--created-by",
            self.identity["Alpha"], check=0).out)
        objs = [as_stored(o, self.identity["Alpha"])
                for o in bundle["objects"]]
        st = self.post_ok("connected", *objs)
        self.assertEqual(st["success_count"], 1000)
        seen, dates, pages, nxt = [], [], 0, None
        while True:
            params = {"limit": 7}
            if nxt:
                params["next"] = nxt
            r = self.get("collections/connected/objects/", **params)
            env = self.ok(r)
            pages += 1
            self.assertLessEqual(len(env["objects"]), 7)
            seen += env["objects"]
            dates.append((r.headers["x-taxii-date-added-first"],
                          r.headers["x-taxii-date-added-last"]))
            if not env["more"]:
                self.assertNotIn("next", env)
                break
            self.assertEqual(len(env["objects"]), 7)
            nxt = env["next"]
        self.assertEqual(pages, 143)
        self.assertEqual(len(seen), 1000)
        self.assertEqual(seen, objs)
        flat = [d for pair in dates for d in pair]
        self.assertEqual(flat, sorted(flat))
        # the same with the manifest, and a limit above the server's cap
        env = self.ok(self.get("collections/connected/manifest/",
                               limit=5000))
        self.assertEqual(len(env["objects"]), 1000)
        self.assertIs(env["more"], False)
        self.assertEqual([x["id"] for x in env["objects"]],
                         [o["id"] for o in objs])

    def test_next_reused_with_another_limit_is_fine(self):
        objs = [indicator() for _ in range(5)]
        self.post_ok("org-alpha", *objs)
        env = self.ok(self.get("collections/org-alpha/objects/",
                               match_type="indicator", limit=2))
        env = self.ok(self.get("collections/org-alpha/objects/",
                               match_type="indicator", limit=10,
                               next=env["next"]))
        self.assertEqual(env, {"more": False, "objects": objs[2:]})

    def test_next_rejected_with_other_filters(self):
        objs = [indicator() for _ in range(5)]
        self.post_ok("org-alpha", *objs, malware())
        self.post_ok("community", *[indicator() for _ in range(3)])
        base = dict(match_type="indicator", limit=2)
        nxt = self.ok(self.get("collections/org-alpha/objects/",
                               **base))["next"]
        others = [
            ("collections/org-alpha/objects/", dict(limit=2)),
            ("collections/org-alpha/objects/",
             dict(match_type="indicator,malware", limit=2)),
            ("collections/org-alpha/objects/",
             dict(base, match_id=objs[3]["id"])),
            ("collections/org-alpha/objects/",
             dict(base, match_version="all")),
            ("collections/org-alpha/objects/",
             dict(base, match_spec_version="2.1")),
            ("collections/org-alpha/objects/",
             dict(base, added_after="2000-01-01T00:00:00Z")),
            ("collections/org-alpha/manifest/", base),
            ("collections/community/objects/", base),
            ("collections/org-alpha/objects/%s/" % objs[0]["id"],
             dict(limit=2)),
        ]
        for path, params in others:
            with self.subTest(path=path, params=params):
                r = self.get(path, next=nxt, **params)
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json(), CURSOR_ERROR)
        # the same request still works
        env = self.ok(self.get("collections/org-alpha/objects/", next=nxt,
                               **base))
        self.assertEqual(env["objects"], objs[2:4])

    def test_next_rejected_for_another_user(self):
        self.add_user("a2", "Alpha", "analyst")
        self.post_ok("org-alpha", *[indicator() for _ in range(4)])
        nxt = self.ok(self.get("collections/org-alpha/objects/",
                               limit=2))["next"]
        r = self.get("collections/org-alpha/objects/", "a2", limit=2,
                     next=nxt)
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.json(), CURSOR_ERROR)
        nxt = self.ok(self.get("collections/community/objects/",
                               limit=1))["next"]
        r = self.get("collections/community/objects/", "b1", limit=1,
                     next=nxt)
        self.assertEqual(r.json(), CURSOR_ERROR)

    def test_tampered_or_malformed_next_rejected(self):
        self.post_ok("org-alpha", *[indicator() for _ in range(4)])
        nxt = self.ok(self.get("collections/org-alpha/objects/",
                               limit=2))["next"]
        flipped = nxt[:10] + ("0" if nxt[10] != "0" else "1") + nxt[11:]
        for bad in [flipped, nxt[:-2], nxt + "00", "zz" * 24, "x"]:
            with self.subTest(next=bad):
                r = self.get("collections/org-alpha/objects/", limit=2,
                             next=bad)
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json(), CURSOR_ERROR)
        r = self.get("collections/org-alpha/objects/", limit=2, next="")
        self.assertError(r, 400, "bad request",
                         "'next': '' is not a valid cursor")

    def test_date_headers_on_every_200_of_the_four_endpoints(self):
        a1 = indicator()
        a2 = indicator(a1["id"], "2024-05-01T00:00:00.000Z")
        b = malware()
        self.post_ok("org-alpha", a1, b, a2)
        recs = self.manifest("org-alpha", match_version="all",
                             match_type="indicator,malware")
        d = [x["date_added"] for x in recs]
        oid = a1["id"]
        for path, params, dates in [
                ("objects/", {"match_type": "indicator,malware"}, d[1:]),
                ("objects/", {"match_type": "indicator,malware",
                              "match_version": "all"}, d),
                ("manifest/", {"match_type": "indicator,malware"}, d[1:]),
                ("objects/%s/" % oid, {}, d[2:]),
                ("objects/%s/" % oid, {"match_version": "all"},
                 [d[0], d[2]]),
                ("objects/%s/versions/" % oid, {}, [d[0], d[2]])]:
            with self.subTest(path=path, params=params):
                r = self.get("collections/org-alpha/" + path, **params)
                self.assertDateHeaders(r, dates)


class Filters(TaxiiCase):
    """[3.5] match[id|type|version|spec_version]."""

    def setUp(self):
        super().setUp()
        self.i1 = indicator(modified="2024-01-01T00:00:00.000Z")
        self.i2 = indicator(self.i1["id"], "2024-02-01T00:00:00.000Z")
        self.i3 = indicator(self.i1["id"], "2024-03-01T00:00:00.000Z")
        self.j = indicator()
        self.m1 = malware()
        self.m2 = malware(self.m1["id"], "2024-06-01T00:00:00.000Z")
        self.md = {"type": "marking-definition", "spec_version": "2.1",
                   "id": new_id("marking-definition"),
                   "created": "2024-04-01T00:00:00.000Z",
                   "name": "test statement",
                   "definition_type": "statement",
                   "definition": {"statement": "test"}}
        self.post_ok("org-alpha", self.i1, self.j, self.i2, self.m1, self.i3,
                     self.m2, self.md)

    def got(self, **params):
        """(id, version) of what the objects endpoint returns, in order."""
        out = []
        for o in self.objects("org-alpha", **params):
            out.append((o["id"], o.get("modified", o.get("created"))))
        return out

    @staticmethod
    def v(o):
        return (o["id"], o.get("modified", o["created"]))

    def test_match_id(self):
        v = self.v
        self.assertEqual(self.got(match_id=self.j["id"]), [v(self.j)])
        self.assertEqual(self.got(match_id="%s,%s" % (self.m1["id"],
                                                      self.i1["id"])),
                         [v(self.i3), v(self.m2)])
        self.assertEqual(self.got(match_id=new_id("indicator")), [])

    def test_match_type(self):
        v = self.v
        self.assertEqual(self.got(match_type="malware"), [v(self.m2)])
        self.assertEqual(self.got(match_type="indicator,marking-definition"),
                         [v(self.j), v(self.i3), v(self.md)])
        self.assertEqual(self.got(match_type="tool"), [])

    def test_match_version_last_is_the_default(self):
        v = self.v
        want = [v(self.j), v(self.i3), v(self.m2), v(self.md)]
        types = "indicator,malware,marking-definition"
        self.assertEqual(self.got(match_type=types), want)
        self.assertEqual(self.got(match_type=types, match_version="last"),
                         want)

    def test_match_version_first(self):
        v = self.v
        self.assertEqual(self.got(match_type="indicator,malware",
                                  match_version="first"),
                         [v(self.i1), v(self.j), v(self.m1)])

    def test_match_version_first_and_last(self):
        v = self.v
        self.assertEqual(self.got(match_type="indicator,malware",
                                  match_version="first,last"),
                         [v(self.i1), v(self.j), v(self.m1), v(self.i3),
                          v(self.m2)])

    def test_match_version_all_alone(self):
        v = self.v
        self.assertEqual(self.got(match_type="indicator,malware",
                                  match_version="all"),
                         [v(self.i1), v(self.j), v(self.i2), v(self.m1),
                          v(self.i3), v(self.m2)])
        for bad in ["all,last", "first,all", "all,2024-01-01T00:00:00Z"]:
            with self.subTest(version=bad):
                self.assertError(
                    self.get("collections/org-alpha/objects/",
                             match_version=bad), 400, "bad request",
                    "'match[version]': 'all' must stand alone")

    def test_match_version_exact_modified_values(self):
        v = self.v
        self.assertEqual(self.got(match_version="2024-02-01T00:00:00.000Z"),
                         [v(self.i2)])
        # the same instant written differently is the same version
        self.assertEqual(self.got(match_version="2024-02-01T00:00:00Z"),
                         [v(self.i2)])
        self.assertEqual(self.got(match_version="2024-01-01T00:00:00.000Z,"
                                                "2024-06-01T00:00:00.000Z"),
                         [v(self.i1), v(self.j), v(self.m1), v(self.m2)])
        self.assertEqual(self.got(match_version="2023-01-01T00:00:00Z"), [])
        self.assertEqual(self.got(match_version="first,"
                                                "2024-02-01T00:00:00.000Z",
                                  match_type="indicator"),
                         [v(self.i1), v(self.j), v(self.i2)])

    def test_objects_without_modified_use_created(self):
        self.assertEqual(self.got(match_version="2024-04-01T00:00:00.000Z"),
                         [self.v(self.md)])
        rec = self.manifest("org-alpha", match_id=self.md["id"])
        self.assertEqual(rec[0]["version"], self.md["created"])
        v = self.ok(self.get("collections/org-alpha/objects/%s/versions/"
                             % self.md["id"]))
        self.assertEqual(v["versions"], [self.md["created"]])

    def test_match_spec_version(self):
        v = self.v
        types = "indicator,malware,marking-definition"
        want = [v(self.j), v(self.i3), v(self.m2), v(self.md)]
        self.assertEqual(self.got(match_type=types,
                                  match_spec_version="2.1"), want)
        self.assertEqual(self.got(match_type=types,
                                  match_spec_version="2.0,2.1"), want)
        self.assertEqual(self.got(match_type=types,
                                  match_spec_version="2.0"), [])

    def test_match_spec_version_of_an_sco_without_spec_version(self):
        """spec_version is optional on SCOs and then 2.1 [STIX 2.1 3.2]:
        match[spec_version]=2.1 must find such an SCO."""
        sco = {"type": "ipv4-addr",
               "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
               "value": "198.51.100.3"}
        self.post_ok("org-alpha", sco)
        got = self.objects("org-alpha", match_type="ipv4-addr",
                           match_spec_version="2.1")
        self.assertEqual(got, [sco])
        self.assertEqual(self.objects("org-alpha", match_type="ipv4-addr",
                                      match_spec_version="2.0"), [])

    def test_comma_is_or_within_and_across_fields(self):
        v = self.v
        self.assertEqual(self.got(match_type="malware",
                                  match_id=self.i1["id"]), [])
        self.assertEqual(self.got(match_type="indicator",
                                  match_id="%s,%s" % (self.i1["id"],
                                                      self.m1["id"]),
                                  match_version="all"),
                         [v(self.i1), v(self.i2), v(self.i3)])
        self.assertEqual(self.got(match_type="indicator,malware",
                                  match_id="%s,%s" % (self.j["id"],
                                                      self.m1["id"]),
                                  match_version="first"),
                         [v(self.j), v(self.m1)])
        self.assertEqual(self.got(match_id=self.i1["id"],
                                  match_version="2024-06-01T00:00:00.000Z"),
                         [])

    def test_a_field_given_twice_is_400(self):
        twice = {"match_id": [self.j["id"], self.i1["id"]],
                 "match_type": ["indicator", "malware"],
                 "match_version": ["first", "last"],
                 "match_spec_version": ["2.1", "2.1"],
                 "added_after": ["2024-01-01T00:00:00Z"] * 2,
                 "limit": ["1", "2"]}
        for field, values in twice.items():
            name = re.sub(r"^match_(.*)$", r"match[\1]", field)
            for path in ["objects/", "manifest/"]:
                with self.subTest(field=name, path=path):
                    self.assertError(
                        self.get("collections/org-alpha/" + path,
                                 **{field: values}),
                        400, "bad request",
                        "'%s' given more than once" % name)
        r = self.get("collections/org-alpha/objects/", next=["a", "b"])
        self.assertError(r, 400, "bad request",
                         "'next' given more than once")

    def test_malformed_values_are_400(self):
        cases = [
            ("match_id", "indicator--nope",
             "'match[id]': 'indicator--nope' is not a valid value"),
            ("match_id", "%s," % self.j["id"],
             "'match[id]': '' is not a valid value"),
            ("match_type", "Indicator",
             "'match[type]': 'Indicator' is not a valid value"),
            ("match_type", "",
             "'match[type]': '' is not a valid value"),
            ("match_version", "yesterday",
             "'match[version]': 'yesterday' is not first, last, all or a "
             "timestamp"),
            ("match_version", "2024-02-30T00:00:00Z",
             "'match[version]': '2024-02-30T00:00:00Z' is not first, last, "
             "all or a timestamp"),
            ("match_spec_version", "2",
             "'match[spec_version]': '2' is not a valid value"),
            ("match_spec_version", "v2.1",
             "'match[spec_version]': 'v2.1' is not a valid value"),
            ("added_after", "2024-01-01",
             "'added_after': '2024-01-01' is not a timestamp"),
            ("added_after", "2024-01-01T00:00:00+01:00",
             "'added_after': '2024-01-01T00:00:00+01:00' is not a "
             "timestamp"),
        ]
        for field, value, message in cases:
            for path in ["objects/", "manifest/"]:
                with self.subTest(field=field, value=value, path=path):
                    self.assertError(
                        self.get("collections/org-alpha/" + path,
                                 **{field: value}),
                        400, "bad request", message)

    def test_object_endpoints_take_only_version_and_spec_version(self):
        oid = self.i1["id"]
        obj = "collections/org-alpha/objects/%s/" % oid
        for field, value in [("match_id", oid), ("match_type", "indicator")]:
            name = re.sub(r"^match_(.*)$", r"match[\1]", field)
            msg = "'%s' is not a parameter of this endpoint" % name
            with self.subTest(field=name):
                self.assertError(self.get(obj, **{field: value}), 400,
                                 "bad request", msg)
                self.assertError(self.delete("org-alpha", oid,
                                             **{field: value}),
                                 400, "bad request", msg)
                self.assertError(self.get(obj + "versions/",
                                          **{field: value}),
                                 400, "bad request", msg)
        self.assertError(self.delete("org-alpha", oid, limit="1"), 400,
                         "bad request",
                         "'limit' is not a parameter of this endpoint")
        self.assertError(self.get(obj + "versions/", match_version="all"),
                         400, "bad request",
                         "'match[version]' is not a parameter of this "
                         "endpoint")
        env = self.ok(self.get(obj, match_version="first"))
        self.assertEqual(env["objects"], [self.i1])
        env = self.ok(self.get(obj, match_version="all",
                               match_spec_version="2.1"))
        self.assertEqual(env["objects"], [self.i1, self.i2, self.i3])
        # everything listed is still there: the refused DELETEs did nothing
        v = self.ok(self.get(obj + "versions/"))
        self.assertEqual(len(v["versions"]), 3)


class Rights(TaxiiCase):
    """[5.2-5.8] can_read / can_write, DELETE, authentication."""

    def test_reader_cannot_post_403(self):
        self.add_user("a-reader", "Alpha", "reader")
        r = self.post("org-alpha", indicator(), who="a-reader")
        self.assertError(r, 403, "forbidden",
                         "no write access to this collection")
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [])

    def test_reader_reads(self):
        self.add_user("a-reader", "Alpha", "reader")
        a = indicator()
        self.post_ok("org-alpha", a)
        self.assertEqual(self.objects("org-alpha", "a-reader",
                                      match_type="indicator"), [a])

    def test_auditor_neither_reads_nor_writes_404(self):
        self.add_user("a-auditor", "Alpha", "auditor")
        a = indicator()
        self.post_ok("community", a)
        oid = a["id"]
        for path in ["collections/community/",
                     "collections/community/objects/",
                     "collections/community/manifest/",
                     "collections/community/objects/%s/" % oid,
                     "collections/community/objects/%s/versions/" % oid]:
            with self.subTest(path=path):
                self.assertError(self.get(path, "a-auditor"), 404,
                                 "not found", "no such collection")
        self.assertError(self.post("community", indicator(),
                                   who="a-auditor"),
                         404, "not found", "no such collection")
        self.assertError(self.delete("community", oid, who="a-auditor"),
                         404, "not found", "no such collection")

    def test_delete_one_right_missing_403_both_404(self):
        self.add_user("a-reader", "Alpha", "reader")
        self.add_user("a-auditor", "Alpha", "auditor")
        a = indicator()
        self.post_ok("org-alpha", a)
        self.assertError(self.delete("org-alpha", a["id"], who="a-reader"),
                         403, "forbidden",
                         "only the owning organisation may delete this "
                         "object")
        self.assertError(self.delete("org-alpha", a["id"], who="a-auditor"),
                         404, "not found", "no such collection")
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [a])

    def test_delete_by_another_organisation_403(self):
        a = indicator()
        self.post_ok("community", a)
        self.assertError(self.delete("community", a["id"], who="b1"), 403,
                         "forbidden",
                         "only the owning organisation may delete this "
                         "object")
        self.assertEqual(self.objects("community", "b1",
                                      match_type="indicator"), [a])

    def test_401_with_www_authenticate_without_credentials(self):
        for path in ["", "collections/", "collections/community/",
                     "collections/community/objects/",
                     "collections/community/manifest/",
                     "status/%s/" % MISSING_STATUS]:
            with self.subTest(path=path):
                r = request(self.root + path)
                self.assertError(
                    r, 401, "authentication required",
                    "send 'Authorization: Bearer KEY' or HTTP Basic USER:KEY")
                self.assertEqual(r.headers["www-authenticate"],
                                 'Bearer realm="vigil", Basic realm="vigil", '
                                 'charset="UTF-8"')
        r = request(self.server.base + "/taxii2/")
        self.assertEqual(r.status, 401)
        r = request(self.url("collections/community/objects/"), "POST",
                    body=envelope(indicator()))
        self.assertEqual(r.status, 401)
        self.assertIn("www-authenticate", r.headers)

    def test_401_with_a_bad_key(self):
        good = self.keys["a1"]
        unknown = "vgk_%s_%s" % (good[4:20], "A" * 43)
        for key in ["nonsense", unknown, good[:-1], good + "x",
                    "vgk_0123456789abcdef_" + good[21:]]:
            with self.subTest(key=key):
                r = request(self.root, key=key)
                self.assertError(
                    r, 401, "authentication required",
                    "send 'Authorization: Bearer KEY' or HTTP Basic USER:KEY")
                self.assertIn("Basic", r.headers["www-authenticate"])

    def test_revoked_key_401(self):
        key_id = self.keys["b1"][4:20]
        self.vigil("key", "revoke", key_id, check=0)
        self.assertEqual(request(self.root, key=self.keys["b1"]).status, 401)

    def test_http_basic_user_and_key(self):
        r = request(self.url("collections/org-alpha/"),
                    basic=("a1", self.keys["a1"]))
        self.assertEqual(self.ok(r)["alias"], "org-alpha")
        a = indicator()
        r = request(self.url("collections/org-alpha/objects/"), "POST",
                    basic=("a1", self.keys["a1"]), body=envelope(a))
        self.assertEqual(self.ok(r, 202)["success_count"], 1)

    def test_http_basic_with_another_users_name_fails(self):
        for user, key in [("b1", self.keys["a1"]), ("admin", self.keys["a1"]),
                          ("a1", self.keys["b1"]), ("nobody", self.keys["a1"]),
                          ("a1", "wrong"), ("", self.keys["a1"])]:
            with self.subTest(user=user):
                r = request(self.root, basic=(user, key))
                self.assertEqual(r.status, 401, r.body)
                self.assertIn("www-authenticate", r.headers)
        bad = base64.b64encode(b"no colon here").decode()
        r = request(self.root, headers={"Authorization": "Basic " + bad})
        self.assertEqual(r.status, 401)

    def test_missing_user_agent_is_not_an_error(self):
        u = urllib.parse.urlsplit(self.root)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        conn.putrequest("GET", u.path, skip_accept_encoding=True)
        conn.putheader("Authorization", "Bearer " + self.keys["a1"])
        conn.putheader("Accept", TAXII)
        conn.endheaders()
        r = conn.getresponse()
        body = r.read()
        conn.close()
        self.assertEqual(r.status, 200, body)
        r = request(self.root, key=self.keys["a1"],
                    headers={"User-Agent": "taxii2-client/2.3.0"})
        self.assertEqual(r.status, 200)


class AddAndStatus(TaxiiCase):
    """[4.3, 5.5] Adding objects and status resources."""

    def test_counts_add_up_and_list_lengths_equal_counts(self):
        dup = indicator()
        self.post_ok("org-alpha", dup)
        new1, new2 = indicator(), malware()
        bad = indicator()
        del bad["pattern"]
        st = self.ok(self.post("org-alpha", new1, dup, bad, new2, 5), 202)
        self.assertEqual(st["total_count"], 5)
        self.assertEqual(st["total_count"], st["success_count"] +
                         st["failure_count"] + st["pending_count"])
        for items, count in [("successes", "success_count"),
                             ("failures", "failure_count"),
                             ("pendings", "pending_count")]:
            self.assertEqual(len(st[items]), st[count])
        self.assertEqual((st["success_count"], st["failure_count"],
                          st["pending_count"]), (3, 2, 0))
        self.assertEqual(st["successes"], [
            {"id": new1["id"], "version": new1["modified"]},
            {"id": dup["id"], "version": dup["modified"],
             "message": "already present"},
            {"id": new2["id"], "version": new2["modified"]}])
        self.assertEqual(st["failures"], [
            {"id": bad["id"], "version": bad["modified"],
             "message": "object '%s': $.pattern: is required" % bad["id"]},
            {"id": "", "message": "object '(no id)': $: is not a JSON object"}])

    def test_reposting_identical_objects_is_a_success(self):
        objs = [indicator(), malware()]
        self.post_ok("org-alpha", *objs)
        st = self.post_ok("org-alpha", *objs)
        self.assertEqual((st["total_count"], st["success_count"]), (2, 2))
        self.assertEqual(st["successes"], [
            {"id": o["id"], "version": o["modified"],
             "message": "already present"} for o in objs])
        self.assertEqual(self.objects("org-alpha",
                                      match_type="indicator,malware",
                                      match_version="all"), objs)

    def test_invalid_object_is_a_failure_entry_with_its_message(self):
        good = indicator()
        wrong = indicator(modified="2023-01-01T00:00:00.000Z")
        nosv = indicator()
        del nosv["spec_version"]
        st = self.ok(self.post("org-alpha", wrong, good, nosv), 202)
        self.assertEqual((st["success_count"], st["failure_count"]), (1, 2))
        self.assertEqual(st["failures"], [
            {"id": wrong["id"], "version": wrong["modified"],
             "message": "object '%s': $.modified: is before 'created'"
                        % wrong["id"]},
            {"id": nosv["id"], "version": nosv["modified"],
             "message": "object '%s': $.spec_version: is required (a STIX "
                        "2.0 object: import it with --convert-2.0) [3.2]"
                        % nosv["id"]}])
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [good])

    def test_body_that_is_not_an_envelope_is_422(self):
        not_env = ("the body is not a TAXII envelope (a JSON object with "
                   "'objects')")
        for body in ["[]", '"objects"', "5", "null", "", "not json",
                     json.dumps([indicator()]), '{"objects":5}',
                     '{"objects":{}}']:
            with self.subTest(body=body):
                self.assertError(self.post("org-alpha", body=body), 422,
                                 "not an envelope", not_env)
        not_json = "the body is not valid JSON: line 1, column "
        for body, where in [
                ('{"objects":[', "13: unexpected end of input inside a "
                                 "value"),
                ('{"objects":[{]}', "14: expected a property name, found "
                                    "']'"),
                ('{"objects":[] x', "15: expected ',' or '}', found 'x'")]:
            with self.subTest(body=body):
                self.assertError(self.post("org-alpha", body=body), 422,
                                 "not an envelope", not_json + where)
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [])

    def test_malformed_json_stores_nothing(self):
        a = indicator()
        body = '{"objects":[%s,{"type":' % json.dumps(a)
        r = self.post("org-alpha", body=body)
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(self.objects("org-alpha", match_type="indicator"),
                         [])

    def test_empty_envelope_is_an_empty_status(self):
        for body in ['{"objects":[]}', '{"more":false}', '{}']:
            with self.subTest(body=body):
                st = self.ok(self.post("org-alpha", body=body), 202)
                self.assertEqual((st["total_count"], st["success_count"],
                                  st["failure_count"], st["pending_count"],
                                  st["successes"], st["failures"],
                                  st["pendings"]),
                                 (0, 0, 0, 0, [], [], []))

    def test_status_is_kept_and_read_back_identically(self):
        r = self.post("org-alpha", indicator(), malware())
        self.assertEqual(r.status, 202)
        sid = r.json()["id"]
        for _ in range(2):
            self.post_ok("org-alpha", indicator())
            s = self.get("status/%s/" % sid)
            self.assertEqual(s.status, 200)
            self.assertEqual(s.headers["content-type"], TAXII)
            self.assertEqual(s.body, r.body)

    def test_status_404_for_unknown_id(self):
        for sid in [MISSING_STATUS, "nope", str(uuid.uuid4())]:
            with self.subTest(id=sid):
                self.assertError(self.get("status/%s/" % sid), 404,
                                 "not found", "no such status")

    def test_status_404_for_another_user(self):
        self.add_user("a2", "Alpha", "analyst")
        sid = self.post_ok("org-alpha", indicator())["id"]
        missing = self.get("status/%s/" % MISSING_STATUS, "a2")
        for who in ["a2", "b1"]:
            with self.subTest(who=who):
                r = self.get("status/%s/" % sid, who)
                self.assertError(r, 404, "not found", "no such status")
                self.assertEqual(r.body, missing.body)
        r = request(self.url("status/%s/" % sid), key=self.admin_key)
        self.assertEqual(r.status, 404)

    def test_only_the_owning_organisation_adds_versions(self):
        v1 = indicator()
        v2 = indicator(v1["id"], "2024-02-01T00:00:00.000Z")
        self.post_ok("community", v1)
        # Bravo, naming itself the creator or naming nobody: the same
        # refusal, whatever the version
        for obj in (dict(v2, created_by_ref=self.identity["Bravo"]),
                    {k: v for k, v in v2.items() if k != "created_by_ref"},
                    {k: v for k, v in v1.items() if k != "created_by_ref"}):
            st = self.ok(self.post("community", obj, who="b1"), 202)
            self.assertEqual((st["success_count"], st["failure_count"]),
                             (0, 1))
            self.assertEqual(st["failures"], [{
                "id": v1["id"], "version": obj["modified"],
                "message": "object '%s': $.id: belongs to another "
                           "organisation; only its owner may add versions"
                           % v1["id"]}])
        # naming Alpha as the creator is refused for what it is
        st = self.ok(self.post("community", v2, who="b1"), 202)
        self.assertEqual(st["failures"][0]["message"],
                         "object '%s': $.created_by_ref: must be the posting "
                         "organisation's identity '%s'"
                         % (v1["id"], self.identity["Bravo"]))
        self.assertEqual(self.objects("community", "b1",
                                      match_id=v1["id"], match_version="all"),
                         [v1])
        self.post_ok("community", v2)
        self.assertEqual(self.objects("community", "b1", match_id=v1["id"]),
                         [v2])

    def test_another_organisations_repost_is_refused_everywhere(self):
        """Another organisation's re-post of Alpha's very version, in any
        collection, is refused (it once was stored as Bravo's "copy" and
        shown under Alpha's id to those who could not read Alpha's); Alpha
        keeps adding versions."""
        v1 = indicator()
        v2 = indicator(v1["id"], "2024-02-01T00:00:00.000Z")
        bravo = {k: v for k, v in v1.items() if k != "created_by_ref"}
        self.post_ok("community", v1)
        for coll in ("community", "all", "connected"):
            st = self.ok(self.post(coll, bravo, who="b1"), 202)
            self.assertEqual((st["success_count"], st["failure_count"]),
                             (0, 1), coll)
        self.assertEqual(self.objects("community", "a1", match_id=v1["id"],
                                      match_version="all"), [v1])
        self.assertEqual(self.objects("all", "b1", match_id=v1["id"]), [])
        st = self.post_ok("community", v2)
        self.assertEqual(st["successes"], [{"id": v1["id"],
                                            "version": v2["modified"]}])
        self.assertEqual(self.objects("community", "b1", match_id=v1["id"]),
                         [v2])


class Tls(TaxiiCase):
    """[5] TLS 1.2 and 1.3 are served, nothing older: a client that offers
    only TLS 1.0-1.1 (with every cipher allowed on its side) is refused by
    the server."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("openssl"):
            raise unittest.SkipTest("no openssl to make a certificate")
        cls.certs = tempfile.mkdtemp(prefix="vigil-tls-")
        cls.cert = os.path.join(cls.certs, "cert.pem")
        key = os.path.join(cls.certs, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cls.cert, "-days", "2",
                        "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        cls.server_args = ("--tls-cert", cls.cert, "--tls-key", key)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.certs, ignore_errors=True)

    def discovery(self, lowest, highest):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.cert)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version, ctx.maximum_version = lowest, highest
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port,
                                           context=ctx, timeout=30)
        try:
            conn.request("GET", "/taxii2/", headers={
                "Accept": TAXII, "Authorization": "Bearer " + self.keys["a1"]})
            r = conn.getresponse()
            return r.status, conn.sock.version(), json.loads(r.read())
        finally:
            conn.close()

    def test_tls_12_and_13_served_older_refused(self):
        v = ssl.TLSVersion
        self.assertEqual(self.server.scheme, "https")
        for version, name in [(v.TLSv1_2, "TLSv1.2"), (v.TLSv1_3, "TLSv1.3")]:
            with self.subTest(tls=name):
                status, used, d = self.discovery(version, version)
                self.assertEqual((status, used), (200, name))
                self.assertEqual(d["api_roots"], [self.root])
                self.assertTrue(self.root.startswith("https://127.0.0.1:"))
        with self.assertRaises(ssl.SSLError):
            self.discovery(v.TLSv1, v.TLSv1_1)


class ReferenceClient(TaxiiCase):
    """What the OASIS taxii2-client does, in its order."""

    def test_reference_client_flow(self):
        k = self.keys["a1"]
        disc = self.ok(request(self.server.base + "/taxii2/", key=k))
        root = self.ok(request(disc["default"], key=k))
        self.assertIn(TAXII, root["versions"])
        cols = self.ok(request(disc["default"] + "collections/", key=k))
        mine = [c for c in cols["collections"] if c["alias"] == "org-alpha"]
        self.assertEqual(len(mine), 1)
        c = mine[0]
        self.assertTrue(c["can_read"] and c["can_write"])
        base = disc["default"] + "collections/%s/" % c["id"]
        objs = [indicator() for _ in range(3)]
        st = self.ok(request(base + "objects/", "POST", key=k,
                             body=envelope(*objs)), 202)
        while st["status"] != "complete":
            st = self.ok(request(disc["default"] + "status/%s/" % st["id"],
                                 key=k))
        self.assertEqual(st["success_count"], 3)
        st2 = self.ok(request(disc["default"] + "status/%s/" % st["id"],
                              key=k))
        self.assertEqual(st2, st)
        got, nxt = [], None
        while True:
            u = base + "objects/?match[type]=indicator&limit=2"
            if nxt:
                u += "&next=" + nxt
            env = self.ok(request(u, key=k))
            got += env["objects"]
            if not env["more"]:
                break
            nxt = env["next"]
        self.assertEqual(got, objs)
        one = self.ok(request(base + "objects/%s/" % objs[0]["id"], key=k))
        self.assertEqual(one["objects"], [objs[0]])
        vers = self.ok(request(base + "objects/%s/versions/" % objs[0]["id"],
                               key=k))
        self.assertEqual(vers["versions"], [objs[0]["modified"]])
        man = self.ok(request(base + "manifest/?match[type]=indicator",
                              key=k))
        self.assertEqual([x["id"] for x in man["objects"]],
                         [o["id"] for o in objs])
        r = request(base + "objects/%s/" % objs[0]["id"], "DELETE", key=k)
        self.assertEqual(r.status, 200)
        man = self.ok(request(base + "manifest/?match[type]=indicator",
                              key=k))
        self.assertEqual([x["id"] for x in man["objects"]],
                         [o["id"] for o in objs[1:]])


if __name__ == "__main__":
    main()
