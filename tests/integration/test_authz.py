"""The authorisation matrix, end to end through the real TAXII server.

Three organisations (Alpha, Bravo, Charlie) and one sharing group (Joint:
Alpha and Bravo, not Charlie); in each organisation a user of every role
with a high (SECRET) and a low (UNCLASSIFIED) clearance, plus the hub's own
admin. Alpha's SECRET-cleared analyst posts indicators into Alpha's private
collection, the community, connected and all collections and the group's
collection, with every TLP (none, CLEAR, GREEN, AMBER, AMBER+STRICT, RED in
TLP 2.0 and RED in TLP 1.0) at UNCLASSIFIED and at SECRET, each in two
versions, plus objects whose versions differ in TLP or classification and
one carrying both classification markings.

The expected visibility comes from an independent re-statement of the rule
(below, from the comments of src/core/access.c and DESIGN.md), never from
the server. Every endpoint is checked for every principal: exactly the
visible objects and versions, and for anything invisible a response that is
byte for byte (status, body, headers but Date) the response to an id that
does not exist. The data is made once per class; requests run on a few
threads and assertions in the test's own thread."""
import datetime
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

from vigiltest import (VIGIL, Server, drop_store, main, request,
                       store_location, store_sql)

# ---- the rule, re-stated -------------------------------------------------

ORGS = ["Alpha", "Bravo", "Charlie"]
HUB_ORG = "hub"
GROUP_MEMBERS = {"Joint": {"Alpha", "Bravo"}}
ROLES = ["reader", "analyst", "org-admin", "hub-admin", "auditor"]
READS = {"reader", "analyst", "org-admin", "hub-admin"}
WRITES = {"analyst", "org-admin", "hub-admin"}
LEVELS = {"UNCLASSIFIED": 0, "RESTRICTED": 1, "CONFIDENTIAL": 2, "SECRET": 3}
CLEARANCES = {"hi": "SECRET", "lo": "UNCLASSIFIED"}

# alias -> (scope, owning organisation, sharing group); in the hub's order
COLLECTIONS = {
    "community": ("community", None, None),
    "connected": ("connected", None, None),
    "all": ("all", None, None),
    "org-hub": ("organisation", HUB_ORG, None),
    "org-alpha": ("organisation", "Alpha", None),
    "org-bravo": ("organisation", "Bravo", None),
    "org-charlie": ("organisation", "Charlie", None),
    "group-joint": ("group", None, "Joint"),
}
POSTED_TO = ["org-alpha", "community", "connected", "all", "group-joint"]

MD = "marking-definition--"
TLP = {
    "none": None,
    "clear": MD + "94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": MD + "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": MD + "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": MD + "939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": MD + "e828b379-4e03-4974-9ac4-e53a884c97c1",
    "red-1.0": MD + "5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
RED = {"red", "red-1.0"}
# Alpha's identity, the creator of everything Alpha's users post (members
# post only what they create); set once the hub exists
CREATOR = {"id": None}


def reads(role):
    """Roles give actions, never content; the auditor does not read."""
    return role in READS


def may_read(p, v):
    """May principal p read object version v? (src/core/access.c)
    1. the role must allow reading;
    2. the classification must not exceed the reader's clearance;
    3. the owner organisation always sees its own;
    4. scope organisation: nobody else;
    5. community / connected / all: everyone, unless TLP:RED, which names
       nobody beyond the owner;
    6. sharing group: the group's members (TLP:RED included)."""
    if not reads(p.role):
        return False
    if v.classification > p.clearance:
        return False
    if v.owner == p.org:
        return True
    scope, _, group = COLLECTIONS[v.coll]
    if scope == "organisation":
        return False
    if scope in ("community", "connected", "all"):
        return v.tlp not in RED
    if scope == "group":
        return p.org in GROUP_MEMBERS[group]
    raise AssertionError(scope)


def sees_collection(p, alias):
    """Hub-wide collections are everyone's, a private one its
    organisation's, a group's its members'; a role with neither read nor
    write sees no collection at all."""
    if p.role not in READS | WRITES:
        return False
    scope, org, group = COLLECTIONS[alias]
    if scope == "organisation":
        return org == p.org
    if scope == "group":
        return p.org in GROUP_MEMBERS[group]
    return True


# ---- the data ------------------------------------------------------------

class Principal:
    def __init__(self, name, org, role, clearance):
        self.name, self.org, self.role = name, org, role
        self.clearance = LEVELS[clearance]
        self.key = None

    def __repr__(self):
        return self.name


class Version:
    def __init__(self, oid, coll, modified, tlp, classes, owner="Alpha"):
        self.oid, self.coll, self.modified = oid, coll, modified
        self.tlp, self.owner = tlp, owner
        self.classification = max(LEVELS[c] for c in classes)
        self.classes = classes
        self.date_added = None  # read from the store once posted
        self.obj = None

    def stix(self, levels):
        refs = ([TLP[self.tlp]] if TLP[self.tlp] else []) + \
            [levels[c] for c in self.classes]
        self.obj = {
            "type": "indicator", "spec_version": "2.1", "id": self.oid,
            "created": "2024-01-01T00:00:00.000Z",
            "modified": self.modified,
            "name": "%s %s %s" % (self.coll, self.tlp, "+".join(self.classes)),
            "pattern": "[ipv4-addr:value = '10.0.0.1']",
            "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
            "object_marking_refs": refs, "created_by_ref": CREATOR["id"],
        }
        return self.obj


class Obj:
    def __init__(self, coll, label, versions):
        self.coll, self.label = coll, label
        self.oid = versions[0].oid
        self.versions = versions

    def visible(self, p):
        """The versions p may read, in date_added order."""
        if not sees_collection(p, self.coll):
            return []
        return sorted((v for v in self.versions if may_read(p, v)),
                      key=lambda v: v.date_added)

    def latest(self, p):
        vis = self.visible(p)
        return max(vis, key=lambda v: v.modified) if vis else None


V1, V2 = "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"


def make_objects():
    objs = []
    for coll in POSTED_TO:
        for tlp in TLP:
            for cls in ["UNCLASSIFIED", "SECRET"]:
                oid = "indicator--%s" % uuid.uuid4()
                objs.append(Obj(coll, "%s/%s" % (tlp, cls), [
                    Version(oid, coll, V1, tlp, [cls]),
                    Version(oid, coll, V2, tlp, [cls])]))
        oid = "indicator--%s" % uuid.uuid4()
        objs.append(Obj(coll, "green then red", [
            Version(oid, coll, V1, "green", ["UNCLASSIFIED"]),
            Version(oid, coll, V2, "red", ["UNCLASSIFIED"])]))
        oid = "indicator--%s" % uuid.uuid4()
        objs.append(Obj(coll, "unclassified then secret", [
            Version(oid, coll, V1, "green", ["UNCLASSIFIED"]),
            Version(oid, coll, V2, "green", ["SECRET"])]))
        oid = "indicator--%s" % uuid.uuid4()
        objs.append(Obj(coll, "both markings", [
            Version(oid, coll, V1, "clear", ["UNCLASSIFIED", "SECRET"]),
            Version(oid, coll, V2, "clear", ["SECRET", "UNCLASSIFIED"])]))
    return objs


def taxii_time(us):
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fingerprint(r):
    """What a response says: status, body and every header but Date."""
    return (r.status, r.body,
            sorted((k, v) for k, v in r.headers.items() if k != "date"))


def run_all(jobs, workers=8):
    """Run the callables on a few threads; results in order."""
    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(lambda f: f(), jobs))


# ---- the fixture ---------------------------------------------------------

class Matrix(unittest.TestCase):
    """One hub, its principals and the posted objects, made once."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-authz-")
        cls.data = store_location(cls.tmp)
        cls.server = None
        try:
            cls.make_hub()
            cls.server = Server(cls.data)
            cls.root = cls.server.root
            cls.post_objects()
        except BaseException:
            if cls.server:
                cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def make_hub(cls):
        """Organisations, the group, one user per (organisation, role,
        clearance) with a key, and the classification markings' ids."""
        run = cls.cli
        admin_key = json.loads(run("init", "--json"))["key"]
        for org in ORGS:
            run("org", "add", org)
        run("group", "add", "Joint")
        for org in sorted(GROUP_MEMBERS["Joint"]):
            run("group", "member", "add", "Joint", org)
        cls.principals = []
        for org in ORGS:
            for role in ROLES:
                for tag, clearance in CLEARANCES.items():
                    p = Principal("%s-%s-%s" % (org.lower(), role, tag), org,
                                  role, clearance)
                    run("user", "add", p.name, "--org", org, "--role", role,
                        "--clearance", clearance)
                    p.key = json.loads(run("key", "new", "--user", p.name,
                                           "--json"))["key"]
                    cls.principals.append(p)
        admin = Principal("admin", HUB_ORG, "hub-admin", "SECRET")
        admin.key = admin_key
        cls.principals.append(admin)
        cls.by_name = {p.name: p for p in cls.principals}
        cls.poster = cls.by_name["alpha-analyst-hi"]
        orgs = json.loads(run("org", "list", "--json"))["orgs"]
        CREATOR["id"] = [o["identity"] for o in orgs if o["name"] == "Alpha"][0]

        settings = dict(store_sql(
            cls.data, "SELECT key, value FROM hub WHERE key LIKE 'hub.level.%'"))
        cls.levels = {name: settings["hub.level.%d" % i]
                      for name, i in LEVELS.items()}

    @classmethod
    def cli(cls, *args):
        p = subprocess.run([VIGIL, "--data", cls.data, *args],
                           capture_output=True, text=True, timeout=600)
        if p.returncode:
            raise RuntimeError("vigil %s: %s%s" % (args, p.stdout, p.stderr))
        return p.stdout

    @classmethod
    def post_objects(cls):
        cls.objects = make_objects()
        cls.status = {}  # alias -> (status id, the POST response body)
        for coll in POSTED_TO:
            mine = [o for o in cls.objects if o.coll == coll]
            # every first version, then every second: date_added order
            body = [o.versions[0].stix(cls.levels) for o in mine] + \
                   [o.versions[1].stix(cls.levels) for o in mine]
            r = request(cls.root + "collections/%s/objects/" % coll, "POST",
                        key=cls.poster.key,
                        body=json.dumps({"objects": body}))
            st = json.loads(r.body)
            if r.status != 202 or st["success_count"] != len(body):
                raise RuntimeError("post to %s: %s" % (coll, r.body))
            cls.status[coll] = (st["id"], r.body)
        # date_added as stored, read from the store itself, not the server
        ids = dict(store_sql(cls.data, "SELECT alias, id FROM collections"))
        cls.coll_ids = ids
        added = {}
        for oid, version, coll, us in store_sql(
                cls.data, "SELECT id, modified, collection, date_added FROM"
                " objects WHERE type = 'indicator'"):
            added[(oid, version, coll)] = taxii_time(int(us))
        for o in cls.objects:
            for v in o.versions:
                v.date_added = added[(v.oid, v.modified, ids[o.coll])]

    @classmethod
    def tearDownClass(cls):
        code, err = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code != 0:
            raise RuntimeError("server exit %s: %s" % (code, err))

    # ---- helpers ----

    def get(self, p, path):
        return request(self.root + path, key=p.key)

    def in_coll(self, alias):
        return [o for o in self.objects if o.coll == alias]

    def assertSame(self, r, missing, what=""):
        self.assertEqual(fingerprint(r), fingerprint(missing), what)

    def assertDates(self, r, versions):
        if versions:
            self.assertEqual(r.headers.get("x-taxii-date-added-first"),
                             versions[0].date_added)
            self.assertEqual(r.headers.get("x-taxii-date-added-last"),
                             versions[-1].date_added)
        else:
            self.assertNotIn("x-taxii-date-added-first", r.headers)
            self.assertNotIn("x-taxii-date-added-last", r.headers)


class AuthzMatrix(Matrix):

    def test_the_model_is_not_trivial(self):
        """Each principal sees a different mix: the matrix is meaningful."""
        seen = {}
        for p in self.principals:
            seen[p.name] = sum(len(o.visible(p)) for o in self.objects)
        self.assertEqual(seen["alpha-analyst-hi"], 2 * len(self.objects))
        self.assertEqual(seen["alpha-auditor-hi"], 0)
        self.assertGreater(seen["bravo-reader-hi"], seen["charlie-reader-hi"])
        self.assertGreater(seen["charlie-reader-hi"], seen["charlie-reader-lo"])
        self.assertGreater(seen["charlie-reader-lo"], 0)
        self.assertEqual(seen["admin"], seen["charlie-analyst-hi"])

    def test_collections_list(self):
        rs = run_all([lambda p=p: self.get(p, "collections/")
                      for p in self.principals])
        for p, r in zip(self.principals, rs):
            with self.subTest(principal=p):
                self.assertEqual(r.status, 200, r.body)
                want = [a for a in COLLECTIONS if sees_collection(p, a)]
                if not want:
                    self.assertEqual(r.body, "{}")
                    continue
                got = r.json()["collections"]
                self.assertEqual([c["alias"] for c in got], want)
                for c in got:
                    self.assertEqual(c["id"], self.coll_ids[c["alias"]])
                    self.assertEqual(c["can_read"], reads(p.role))
                    self.assertEqual(c["can_write"], p.role in WRITES)

    def test_collection_resource_by_id_and_alias(self):
        jobs, keys = [], []
        for p in self.principals:
            missing_id = str(uuid.uuid4())
            for path in ["collections/%s/" % missing_id,
                         "collections/%s/objects/" % missing_id,
                         "collections/%s/manifest/" % missing_id]:
                keys.append((p, "missing", path))
                jobs.append(lambda p=p, path=path: self.get(p, path))
            for alias, cid in sorted(self.coll_ids.items()):
                for ref in (alias, cid):
                    for sub in ["", "objects/", "manifest/"]:
                        path = "collections/%s/%s" % (ref, sub)
                        keys.append((p, alias, path))
                        jobs.append(lambda p=p, path=path: self.get(p, path))
        rs = run_all(jobs)
        missing = {}
        for (p, alias, path), r in zip(keys, rs):
            if alias == "missing":
                missing[(p.name, path.split("/", 2)[2])] = r
        for (p, alias, path), r in zip(keys, rs):
            if alias == "missing":
                continue
            sub = path.split("/", 2)[2]
            with self.subTest(principal=p, path=path):
                if sees_collection(p, alias):
                    self.assertEqual(r.status, 200, r.body)
                    if sub == "":
                        c = r.json()
                        # at its alias URL, the collection's id is the
                        # alias (issue 9, item 7)
                        self.assertEqual((c["id"], c["alias"]),
                                         (path.split("/")[1], alias))
                        self.assertEqual((c["can_read"], c["can_write"]),
                                         (reads(p.role), p.role in WRITES))
                else:
                    self.assertSame(r, missing[(p.name, sub)])
                    self.assertEqual(r.status, 404)

    def test_post_to_an_invisible_collection_looks_missing(self):
        jobs, keys = [], []
        body = json.dumps({"objects": []})
        for p in self.principals:
            for alias in COLLECTIONS:
                if sees_collection(p, alias) and p.role in WRITES:
                    continue  # it would write
                for ref in (alias, str(uuid.uuid4())):
                    keys.append((p, alias, ref))
                    jobs.append(lambda p=p, ref=ref: request(
                        self.root + "collections/%s/objects/" % ref, "POST",
                        key=p.key, body=body))
        rs = run_all(jobs)
        for i in range(0, len(rs), 2):
            p, alias, _ = keys[i]
            with self.subTest(principal=p, collection=alias):
                if sees_collection(p, alias):  # a reader
                    self.assertEqual(rs[i].status, 403, rs[i].body)
                    self.assertEqual(rs[i].json()["description"],
                                     "no write access to this collection")
                else:
                    self.assertSame(rs[i], rs[i + 1])
                    self.assertEqual(rs[i].status, 404)

    def page_through(self, p, alias, endpoint, limit, extra=""):
        out, nxt = [], None
        while True:
            path = "collections/%s/%s/?match[type]=indicator&limit=%d%s" % (
                alias, endpoint, limit, extra)
            if nxt:
                path += "&next=" + nxt
            r = self.get(p, path)
            out.append(r)
            if r.status != 200 or not r.json()["more"] or len(out) > 50:
                return out
            nxt = r.json()["next"]

    def test_objects_pages(self):
        keys = [(p, a) for p in self.principals for a in POSTED_TO
                if sees_collection(p, a)]
        rs = run_all([lambda p=p, a=a: self.page_through(p, a, "objects", 4)
                      for p, a in keys])
        for (p, alias), pages in zip(keys, rs):
            with self.subTest(principal=p, collection=alias):
                want = sorted(filter(None, (o.latest(p)
                                            for o in self.in_coll(alias))),
                              key=lambda v: v.date_added)
                self.assertEqual(len(pages), max(1, -(-len(want) // 4)))
                got = []
                for i, r in enumerate(pages):
                    self.assertEqual(r.status, 200, r.body)
                    env = r.json()
                    last = i == len(pages) - 1
                    self.assertIs(env["more"], not last)
                    chunk = want[4 * i:4 * i + 4]
                    self.assertEqual(env.get("objects", []),
                                     [v.obj for v in chunk])
                    self.assertDates(r, chunk)
                    got += env.get("objects", [])
                self.assertEqual(len(got), len(want))

    def test_objects_pages_of_every_version(self):
        keys = [(p, a) for p in self.principals for a in POSTED_TO
                if sees_collection(p, a)]
        rs = run_all([lambda p=p, a=a: self.page_through(
            p, a, "objects", 1000, "&match[version]=all") for p, a in keys])
        for (p, alias), pages in zip(keys, rs):
            with self.subTest(principal=p, collection=alias):
                want = sorted((v for o in self.in_coll(alias)
                               for v in o.visible(p)),
                              key=lambda v: v.date_added)
                self.assertEqual(len(pages), 1)
                env = pages[0].json()
                self.assertEqual(env.get("objects", []),
                                 [v.obj for v in want])
                self.assertIs(env["more"], False)
                self.assertDates(pages[0], want)

    def test_manifest(self):
        keys = [(p, a, ver) for p in self.principals for a in POSTED_TO
                if sees_collection(p, a) for ver in ("last", "all", "first")]
        rs = run_all([lambda p=p, a=a, ver=ver: self.page_through(
            p, a, "manifest", 3, "&match[version]=" + ver)
            for p, a, ver in keys])
        for (p, alias, ver), pages in zip(keys, rs):
            with self.subTest(principal=p, collection=alias, version=ver):
                objs = self.in_coll(alias)
                if ver == "last":
                    want = [o.latest(p) for o in objs]
                elif ver == "first":
                    want = [(o.visible(p) or [None])[0] for o in objs]
                else:
                    want = [v for o in objs for v in o.visible(p)]
                want = sorted(filter(None, want), key=lambda v: v.date_added)
                recs = []
                for i, r in enumerate(pages):
                    self.assertEqual(r.status, 200, r.body)
                    env = r.json()
                    self.assertIs(env["more"], i < len(pages) - 1)
                    self.assertDates(r, want[3 * i:3 * i + 3])
                    recs += env.get("objects", [])
                # the count is the visible count, nothing more
                self.assertEqual(len(recs), len(want))
                self.assertEqual(len(pages), max(1, -(-len(want) // 3)))
                self.assertEqual(recs, [{
                    "id": v.oid, "date_added": v.date_added,
                    "version": v.modified,
                    "media_type": "application/stix+json;version=2.1"}
                    for v in want])

    def test_object_get_and_versions(self):
        jobs, keys = [], []
        for p in self.principals:
            missing = "indicator--%s" % uuid.uuid4()
            for alias in POSTED_TO:
                for oid, o in [(missing, None)] + [
                        (o.oid, o) for o in self.in_coll(alias)]:
                    for kind, sub in [("object", ""), ("all", ""),
                                      ("versions", "versions/")]:
                        path = "collections/%s/objects/%s/%s" % (alias, oid,
                                                                sub)
                        if kind == "all":
                            path += "?match[version]=all"
                        keys.append((p, alias, o, kind))
                        jobs.append(lambda p=p, path=path: self.get(p, path))
        rs = run_all(jobs)
        missing = {(p.name, alias, kind): r
                   for (p, alias, o, kind), r in zip(keys, rs) if o is None}
        for (p, alias, o, kind), r in zip(keys, rs):
            if o is None:
                continue
            with self.subTest(principal=p, object=(alias, o.label),
                              endpoint=kind):
                vis = o.visible(p)
                if not vis:
                    self.assertSame(r, missing[(p.name, alias, kind)])
                    self.assertEqual(r.status, 404)
                    continue
                self.assertEqual(r.status, 200, r.body)
                if kind == "object":
                    self.assertEqual(r.json(), {"more": False,
                                                "objects": [o.latest(p).obj]})
                    self.assertDates(r, [o.latest(p)])
                elif kind == "all":
                    self.assertEqual(r.json(), {
                        "more": False, "objects": [v.obj for v in vis]})
                    self.assertDates(r, vis)
                else:
                    self.assertEqual(r.json(), {
                        "more": False, "versions": [v.modified for v in vis]})
                    self.assertDates(r, vis)

    def test_pages_filtered_on_an_invisible_id_look_missing(self):
        jobs, keys = [], []
        for p in self.principals:
            missing = "indicator--%s" % uuid.uuid4()
            for alias in POSTED_TO:
                if not sees_collection(p, alias):
                    continue
                for o in [None] + self.in_coll(alias):
                    if o is not None and o.visible(p):
                        continue
                    oid = o.oid if o else missing
                    for ep in ["objects", "manifest"]:
                        for ver in ["", "&match[version]=all"]:
                            path = "collections/%s/%s/?match[id]=%s%s" % (
                                alias, ep, oid, ver)
                            keys.append((p, alias, o, ep + ver))
                            jobs.append(lambda p=p, path=path:
                                        self.get(p, path))
        rs = run_all(jobs)
        missing = {(p.name, alias, ep): r
                   for (p, alias, o, ep), r in zip(keys, rs) if o is None}
        checked = 0
        for (p, alias, o, ep), r in zip(keys, rs):
            if o is None:
                self.assertEqual((r.status, r.body), (200, '{"more":false}'))
                continue
            with self.subTest(principal=p, object=(alias, o.label),
                              endpoint=ep):
                self.assertSame(r, missing[(p.name, alias, ep)])
                checked += 1
        self.assertGreater(checked, 100)

    def test_status_only_for_its_poster(self):
        jobs, keys = [], []
        for p in self.principals:
            keys.append((p, None))
            jobs.append(lambda p=p: self.get(p, "status/%s/" % uuid.uuid4()))
            for alias, (sid, _) in self.status.items():
                keys.append((p, alias))
                jobs.append(lambda p=p, sid=sid: self.get(p, "status/%s/"
                                                          % sid))
        rs = run_all(jobs)
        missing = {p.name: r for (p, alias), r in zip(keys, rs)
                   if alias is None}
        for (p, alias), r in zip(keys, rs):
            if alias is None:
                self.assertEqual(r.status, 404)
                continue
            with self.subTest(principal=p, status=alias):
                if p is self.poster:
                    self.assertEqual(r.status, 200)
                    self.assertEqual(r.body, self.status[alias][1])
                else:
                    self.assertSame(r, missing[p.name])

    def test_delete(self):
        """DELETE never deletes here (the owner's requests name a version
        that does not exist): an invisible object answers as a missing
        one, a visible one of another organisation is 403."""
        none = "?match[version]=2000-01-01T00:00:00.000Z"
        jobs, keys = [], []
        for p in self.principals:
            missing = "indicator--%s" % uuid.uuid4()
            for alias in POSTED_TO:
                for o in [None] + self.in_coll(alias):
                    oid = o.oid if o else missing
                    own = p.org == "Alpha" and p.role in WRITES
                    for q in ([none] if own else ["", none]):
                        path = "collections/%s/objects/%s/%s" % (alias, oid,
                                                                q)
                        keys.append((p, alias, o, q))
                        jobs.append(lambda p=p, path=path: request(
                            self.root + path, "DELETE", key=p.key))
        rs = run_all(jobs)
        missing = {(p.name, alias, q): r
                   for (p, alias, o, q), r in zip(keys, rs) if o is None}
        for (p, alias, o, q), r in zip(keys, rs):
            if o is None:
                continue
            with self.subTest(principal=p, object=(alias, o.label), query=q):
                gone = missing[(p.name, alias, q)]
                if not sees_collection(p, alias):
                    self.assertEqual(r.status, 404)
                    self.assertSame(r, gone)
                elif p.role not in WRITES:
                    self.assertEqual(r.status, 403)
                    self.assertSame(r, gone)
                elif not o.visible(p) or q:
                    self.assertEqual(r.status, 404)
                    self.assertSame(r, gone)
                else:
                    self.assertEqual(r.status, 403, r.body)
                    self.assertEqual(
                        r.json()["description"],
                        "only the owning organisation may delete this object")
        # nothing was deleted
        every = sum(len(o.versions) for o in self.objects)
        [(n,)] = store_sql(self.data, "SELECT COUNT(*) FROM objects WHERE"
                                      " type = 'indicator'")
        n = int(n)
        self.assertEqual(n, every)

    def test_delete_by_the_owner_then_gone_for_everyone(self):
        """Alpha's org-admin deletes two of Alpha's objects (not the
        poster: any writer of the owning organisation may); afterwards no
        principal finds them anywhere."""
        def malware(coll, tlp):
            return {"type": "malware", "spec_version": "2.1",
                    "id": "malware--%s" % uuid.uuid4(),
                    "created": V1, "modified": V1, "name": "to delete",
                    "is_family": True, "created_by_ref": CREATOR["id"],
                    "object_marking_refs": [TLP[tlp],
                                            self.levels["UNCLASSIFIED"]]}
        targets = [("community", malware("community", "green")),
                   ("group-joint", malware("group-joint", "red"))]
        for alias, m in targets:
            r = request(self.root + "collections/%s/objects/" % alias, "POST",
                        key=self.poster.key,
                        body=json.dumps({"objects": [m]}))
            self.assertEqual(json.loads(r.body)["success_count"], 1)
        bravo = self.by_name["bravo-analyst-hi"]
        for alias, m in targets:
            path = "collections/%s/objects/%s/" % (alias, m["id"])
            self.assertEqual(self.get(bravo, path).status, 200)
            r = request(self.root + path, "DELETE", key=bravo.key)
            self.assertEqual(r.status, 403, r.body)
            r = request(self.root + path, "DELETE",
                        key=self.by_name["alpha-org-admin-lo"].key)
            self.assertEqual((r.status, r.body), (200, ""))
        jobs, keys = [], []
        for p in self.principals:
            for alias, m in targets:
                for path in ["collections/%s/objects/%s/" % (alias, m["id"]),
                             "collections/%s/objects/%s/versions/"
                             % (alias, m["id"]),
                             "collections/%s/objects/%s/" % (
                                 alias, "malware--%s" % uuid.uuid4()),
                             "collections/%s/manifest/?match[id]=%s"
                             % (alias, m["id"]),
                             "collections/%s/objects/?match[id]=%s"
                             % (alias, m["id"])]:
                    keys.append((p, alias, path))
                    jobs.append(lambda p=p, path=path: self.get(p, path))
        rs = run_all(jobs)
        for i in range(0, len(rs), 5):
            p, alias, _ = keys[i]
            with self.subTest(principal=p, collection=alias):
                obj, vers, miss, man, objs = rs[i:i + 5]
                self.assertSame(obj, miss)
                if sees_collection(p, alias):
                    self.assertEqual(obj.status, 404)
                    self.assertEqual(vers.json()["description"],
                                     "no such object")
                    self.assertEqual(man.body, '{"more":false}')
                    self.assertEqual(objs.body, '{"more":false}')
                else:
                    self.assertEqual(obj.json()["description"],
                                     "no such collection")

    def test_posting_an_sco_another_org_holds_invisibly_reveals_nothing(self):
        """SCO ids are deterministic, so Bravo can post an SCO that Alpha
        holds as TLP:RED in the community collection. Bravo's post makes
        Bravo's own copy: the status says what it says for an SCO nobody
        holds (no 'already present'), and Bravo reads back what it
        stored."""
        value = "198.51.100.%d" % (uuid.uuid4().int % 200)
        sco = {"type": "ipv4-addr", "spec_version": "2.1",
               "id": "ipv4-addr--%s" % uuid.uuid5(
                   uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"),
                   json.dumps({"value": value}, separators=(",", ":"))),
               "value": value}
        held = dict(sco, object_marking_refs=[TLP["red"]])
        r = request(self.root + "collections/community/objects/", "POST",
                    key=self.poster.key, body=json.dumps({"objects": [held]}))
        self.assertEqual(json.loads(r.body)["success_count"], 1)
        bravo = self.by_name["bravo-analyst-hi"]
        r = request(self.root + "collections/community/objects/", "POST",
                    key=bravo.key, body=json.dumps({"objects": [sco]}))
        self.assertEqual(json.loads(r.body)["successes"], [{"id": sco["id"]}])
        r = self.get(bravo, "collections/community/objects/%s/" % sco["id"])
        self.assertEqual(r.status, 200, r.body)

    def test_writes_create_version_revoke(self):
        """Who may create, version and revoke what. Alpha posts fresh
        objects (visible to many, and TLP:RED SECRET: to Alpha only) in
        every collection; then every principal creates a new object in
        every collection and posts a new version of each of Alpha's: a
        writer of Alpha succeeds, any other writer that sees the
        collection gets one answer, identical for the objects it can and
        cannot read; a reader 403, outside the collection 404."""
        fresh = []
        for alias in POSTED_TO:
            for tlp, cls in (("green", "UNCLASSIFIED"), ("red", "SECRET")):
                v = Version("indicator--%s" % uuid.uuid4(), alias, V1, tlp,
                            [cls])
                r = request(self.root + "collections/%s/objects/" % alias,
                            "POST", key=self.poster.key,
                            body=json.dumps({"objects": [v.stix(self.levels)]}))
                self.assertEqual(json.loads(r.body)["success_count"], 1)
                fresh.append(v)
        taken = ("object '%s': $.id: belongs to another organisation; only "
                 "its owner may add versions")
        jobs, keys = [], []
        for p in self.principals:
            for v in fresh:
                nv = Version(v.oid, v.coll, V2, v.tlp, v.classes)
                obj = nv.stix(self.levels)
                if p.org != "Alpha":
                    # an attacker names no creator (naming Alpha is refused
                    # for that alone)
                    del obj["created_by_ref"]
                body = json.dumps({"objects": [obj]})
                keys.append((p, v, "version"))
                jobs.append(lambda p=p, v=v, body=body: request(
                    self.root + "collections/%s/objects/" % v.coll, "POST",
                    key=p.key, body=body))
            for alias in COLLECTIONS:
                nv = Version("indicator--%s" % uuid.uuid4(), alias, V1,
                             "green", ["UNCLASSIFIED"])
                obj = nv.stix(self.levels)
                del obj["created_by_ref"]  # the hub names the poster
                body = json.dumps({"objects": [obj]})
                keys.append((p, alias, "create"))
                jobs.append(lambda p=p, alias=alias, body=body: request(
                    self.root + "collections/%s/objects/" % alias, "POST",
                    key=p.key, body=body))
        rs = run_all(jobs)
        answers = {}
        for (p, what, kind), r in zip(keys, rs):
            alias = what.coll if kind == "version" else what
            with self.subTest(principal=p, kind=kind, target=str(alias)):
                if not sees_collection(p, alias):
                    self.assertEqual((r.status, r.json()["description"]),
                                     (404, "no such collection"))
                    continue
                if p.role not in WRITES:
                    self.assertEqual((r.status, r.json()["description"]),
                                     (403, "no write access to this "
                                           "collection"))
                    continue
                st = r.json()
                if kind == "create" or p.org == "Alpha":
                    self.assertEqual(st["success_count"], 1, r.body)
                    continue
                self.assertEqual(st["failure_count"], 1, r.body)
                self.assertEqual(st["failures"][0]["message"],
                                 taken % what.oid)
                # the same answer, read or not: only the id differs
                shape = json.dumps({k: v for k, v in st.items()
                                    if k not in ("id", "request_timestamp",
                                                 "failures")})
                answers.setdefault((p.name, alias), set()).add(shape)
        for k, shapes in answers.items():
            self.assertEqual(len(shapes), 1, k)
        # revocation: Alpha's writers only, and final
        v = [f for f in fresh if f.coll == "community" and f.tlp == "green"][0]
        alpha = self.by_name["alpha-org-admin-lo"]
        bravo = self.by_name["bravo-analyst-hi"]
        rv = Version(v.oid, v.coll, "2024-03-01T00:00:00.000Z", v.tlp,
                     v.classes).stix(self.levels)
        rv["revoked"] = True
        forged = {k: x for k, x in rv.items() if k != "created_by_ref"}
        r = request(self.root + "collections/%s/objects/" % v.coll, "POST",
                    key=bravo.key, body=json.dumps({"objects": [forged]}))
        self.assertEqual(r.json()["failures"][0]["message"], taken % v.oid)
        r = request(self.root + "collections/%s/objects/" % v.coll, "POST",
                    key=alpha.key, body=json.dumps({"objects": [rv]}))
        self.assertEqual(r.json()["success_count"], 1, r.body)
        after = dict(rv, modified="2024-04-01T00:00:00.000Z")
        del after["revoked"]
        r = request(self.root + "collections/%s/objects/" % v.coll, "POST",
                    key=alpha.key, body=json.dumps({"objects": [after]}))
        self.assertEqual(r.json()["failures"][0]["message"],
                         "object '%s': $.modified: the stored version is "
                         "revoked; no version may follow it" % v.oid)


if __name__ == "__main__":
    main()
