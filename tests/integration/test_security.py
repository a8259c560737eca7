"""The attacks of the security issue, each performed through the real
server by a hostile member organisation, and what must hold instead:
ownership of ids (no content under another organisation's id, in any
order of events, the same answer whether or not the attacker can read),
created_by_ref tied to the poster, forged watchlist entries, markings the
hub cannot classify, granular TLP:RED, deleted watchlist entries."""
import json
import os
import uuid

from vigiltest import (HubCase, SHARED, main, request, store_exec,
                       store_sql)

UN_XML = os.path.join(SHARED, "data", "watchlists", "un",
                      "consolidated-2026-02-27.xml")
TLP_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
WL_EXT = "extension-definition--"  # the prefix of vigil's watchlist extension


def indicator(oid, modified, name, **extra):
    o = {"type": "indicator", "spec_version": "2.1", "id": oid,
         "created": "2025-01-01T00:00:00.000Z", "modified": modified,
         "name": name, "pattern": "[ipv4-addr:value = '198.51.100.7']",
         "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}
    o.update(extra)
    return o


class Attacks(HubCase):
    def setUp(self):
        super().setUp()
        self.keys = {}
        for org in ("Alpha", "Carol", "Dave"):
            self.vigil("org", "add", org, check=0)
        for user, org, role in (("alpha", "Alpha", "analyst"),
                                ("carol", "Carol", "analyst"),
                                ("dave", "Dave", "reader")):
            self.vigil("user", "add", user, "--org", org, "--role", role,
                       check=0)
            self.keys[user] = self.new_key(user)
        orgs = self.vigil("org", "list", "--json", check=0).json()["orgs"]
        self.identity = {o["name"]: o["identity"] for o in orgs}

    def post(self, who, objs, coll="community"):
        r = request(self.server.root + "collections/%s/objects/" % coll,
                    "POST", key=self.keys[who],
                    body=json.dumps({"objects": objs}))
        self.assertEqual(r.status, 202, r.body)
        return r.json()

    def read(self, who, oid, coll="community", versions="all"):
        r = request(self.server.root + "collections/%s/objects/%s/"
                    "?match[version]=%s" % (coll, oid, versions),
                    key=self.keys[who])
        if r.status == 404:
            return []
        self.assertEqual(r.status, 200, r.body)
        return r.json()["objects"]

    def failure(self, status):
        self.assertEqual((status["success_count"], status["failure_count"]),
                         (0, 1), status)
        return status["failures"][0]

    def test_no_content_under_another_organisations_id(self):
        taken = ("object '%s': $.id: belongs to another organisation; only "
                 "its owner may add versions")
        for tlp, carol_reads in ((TLP_GREEN, True), (TLP_RED, False)):
            with self.subTest(tlp=tlp):
                oid = "indicator--" + str(uuid.uuid4())
                v1 = "2026-01-02T00:00:00.000Z"
                st = self.post("alpha", [indicator(
                    oid, v1, "ALPHA", object_marking_refs=[tlp])])
                self.assertEqual(st["success_count"], 1)
                self.assertEqual(len(self.read("carol", oid)), carol_reads)
                # Carol: Alpha's modified, a new one, an older one, a
                # guessed one: one answer, whatever she may read
                answers = []
                for mod in (v1, "2026-01-03T00:00:00.000Z",
                            "2026-01-01T12:00:00.000Z",
                            "2025-06-01T00:00:00.000Z"):
                    f = self.failure(self.post("carol", [indicator(
                        oid, mod, "CAROL FORGED")]))
                    answers.append((f["id"], f["message"]))
                    self.assertEqual(f["message"], taken % oid)
                # Dave never reads Carol's text under Alpha's id
                seen = self.read("dave", oid)
                self.assertEqual([o["name"] for o in seen],
                                 ["ALPHA"] if carol_reads else [])
                # Alpha deletes; the id stays Alpha's
                r = request(self.server.root + "collections/community/"
                            "objects/%s/" % oid, "DELETE",
                            key=self.keys["alpha"])
                self.assertEqual(r.status, 200, r.body)
                f = self.failure(self.post("carol", [indicator(
                    oid, "2026-02-01T00:00:00.000Z", "CAROL AFTER")]))
                self.assertEqual(f["message"], taken % oid)
                self.assertEqual(self.read("dave", oid), [])
                self.assertEqual(self.read("carol", oid), [])
                # and Alpha may version it again
                st = self.post("alpha", [indicator(
                    oid, "2026-02-02T00:00:00.000Z", "ALPHA 2")])
                self.assertEqual(st["success_count"], 1, st)
                self.assertEqual([o["name"] for o in self.read("dave", oid)],
                                 ["ALPHA 2"])

    def test_created_by_ref_is_the_posters_identity(self):
        oid = "indicator--" + str(uuid.uuid4())
        f = self.failure(self.post("carol", [indicator(
            oid, "2026-01-02T00:00:00.000Z", "x",
            created_by_ref=self.identity["Alpha"])]))
        self.assertEqual(f["message"],
                         "object '%s': $.created_by_ref: must be the posting "
                         "organisation's identity '%s'"
                         % (oid, self.identity["Carol"]))
        # absent: set to the poster's
        st = self.post("carol", [indicator(oid, "2026-01-02T00:00:00.000Z",
                                           "x")])
        self.assertEqual(st["success_count"], 1, st)
        got = self.read("dave", oid)
        self.assertEqual(got[0]["created_by_ref"], self.identity["Carol"])
        # present and right: kept as it is
        oid2 = "indicator--" + str(uuid.uuid4())
        st = self.post("alpha", [indicator(
            oid2, "2026-01-02T00:00:00.000Z", "y",
            created_by_ref=self.identity["Alpha"])])
        self.assertEqual(st["success_count"], 1, st)

    def test_an_sco_is_held_by_each_organisation_without_a_leak(self):
        sco = {"type": "ipv4-addr", "spec_version": "2.1",
               "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
               "value": "198.51.100.3"}
        red = dict(sco, object_marking_refs=[TLP_RED])
        self.assertEqual(self.post("alpha", [red])["success_count"], 1)
        # Carol cannot read Alpha's: her post is accepted as her own copy,
        # exactly as if nobody held the value
        st = self.post("carol", [sco])
        self.assertEqual((st["success_count"], st["successes"][0].get(
            "message")), (1, None))
        self.assertEqual(self.read("dave", sco["id"]), [sco])
        self.assertEqual(self.read("alpha", sco["id"]), [red])


class LegacyCopies(HubCase):
    """A store from an earlier release may hold another organisation's
    "copy" of an owned version (the old rule allowed it): the first open
    of the store registers the id to its first holder and narrows the
    copy to its holder, once, on record."""

    def test_a_legacy_copy_is_narrowed_to_its_holder(self):
        self.vigil("org", "add", "Alpha", check=0)
        self.vigil("org", "add", "Carol", check=0)
        self.vigil("user", "add", "dave", "--org", "hub", "--role", "reader",
                   check=0)
        dave = self.new_key("dave")
        oid = "indicator--" + str(uuid.uuid4())
        good = indicator(oid, "2026-01-02T00:00:00.000Z", "ALPHA")
        path = self.write("a.json", json.dumps({"objects": [good]}))
        self.vigil("import", "--collection", "org-alpha", path, check=0)
        code, err = self.server.stop()
        self.assertEqual(code, 0, err)
        # what the earlier release let Carol store: her text, Alpha's id,
        # in the community, added after Alpha's
        orgs = {n: int(i) for n, i in store_sql(self.data,
                                                "SELECT name, id FROM orgs")}
        ((community,),) = store_sql(self.data, "SELECT id FROM collections"
                                               " WHERE alias = 'community'")
        forged = json.dumps(dict(good, name="CAROL FORGED"))
        store_exec(self.data, (
            "INSERT INTO objects (date_added, id, version, type, created,"
            " modified, spec_version, revoked, owner, scope, tlp,"
            " classification, latest, collection, grp, copy, json)"
            " SELECT date_added + 1, id, version, type, created, modified,"
            " spec_version, revoked, %d, 1, tlp, classification, latest,"
            " '%s', grp, copy, '%s' FROM objects WHERE id = '%s';"
            "DELETE FROM hub WHERE key = 'owners.repaired'")
            % (orgs["Carol"], community, forged.replace("'", "''"), oid))
        # the next open repairs it
        self.assertEqual(self.vigil("check").code, 0)
        self.assertEqual(store_sql(self.data, "SELECT owner FROM owners"
                                              " WHERE id = '%s'" % oid),
                         [(str(orgs["Alpha"]),)])
        self.assertEqual(store_sql(self.data,
                                   "SELECT scope FROM objects WHERE id = '%s'"
                                   " AND owner = %d" % (oid, orgs["Carol"])),
                         [("0",)])
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        rep = [e for e in log if e["action"] == "store.repair"]
        self.assertEqual([e["detail"] for e in rep],
                         [{"ids": 1, "rows_narrowed": 1}])
        # nobody but Carol reads her text under Alpha's id
        from vigiltest import Server
        self.server = Server(self.data)
        r = request(self.server.root + "collections/community/objects/%s/"
                    % oid, key=dave)
        self.assertEqual(r.status, 404, r.body)
        # and a second open repairs nothing more
        self.vigil("check", check=0)
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        self.assertEqual(len([e for e in log
                              if e["action"] == "store.repair"]), 1)


class WatchlistForgery(HubCase):
    def setUp(self):
        super().setUp()
        self.vigil("org", "add", "Carol", check=0)
        self.vigil("user", "add", "carol", "--org", "Carol", "--role",
                   "analyst", check=0)
        self.carol = self.new_key("carol")

    def test_only_the_importer_makes_list_entries(self):
        self.vigil("watchlist", "import", "--format", "un", UN_XML, check=0)
        before = self.vigil("watchlist", "list", "--json", check=0).json()
        entry = json.loads(self.vigil("export", "--type", "identity",
                                      check=0).out)["objects"]
        entry = [o for o in entry if "extensions" in o][0]
        ext = [k for k in entry["extensions"] if k.startswith(WL_EXT)][0]
        forged = {"type": "identity", "spec_version": "2.1",
                  "id": "identity--" + str(uuid.uuid4()),
                  "created": "2026-01-01T00:00:00.000Z",
                  "modified": "2026-01-01T00:00:00.000Z",
                  "name": "Forged Person", "identity_class": "individual",
                  "extensions": {ext: dict(entry["extensions"][ext],
                                           reference_number="QDi.999")}}
        r = request(self.server.root + "collections/community/objects/",
                    "POST", key=self.carol,
                    body=json.dumps({"objects": [forged]}))
        st = r.json()
        self.assertEqual(st["failure_count"], 1, st)
        self.assertEqual(st["failures"][0]["message"],
                         "object '%s': $.extensions['%s']: watchlist entries "
                         "are made by 'vigil watchlist import' only"
                         % (forged["id"], ext))
        self.assertEqual(self.vigil("watchlist", "list", "--json",
                                    check=0).json(), before)
        # the ids of entries are the hub's secret: the id a list's public
        # namespace would give is not an entry's
        self.assertNotEqual(entry["id"], "identity--" + str(uuid.uuid5(
            uuid.UUID("3d7b8c1a-9e2f-5a4b-8c6d-0f1e2a3b4c5d"),
            "un:" + entry["extensions"][ext]["reference_number"])))
        # a re-import is not blocked by anything Carol posted
        r = self.vigil("watchlist", "import", "--format", "un", UN_XML)
        self.assertEqual(r.code, 0, r.err)

    def test_a_deleted_entry_stops_hitting_at_once(self):
        self.vigil("watchlist", "import", "--format", "un", UN_XML, check=0)
        csv = ("surname,given_names,date_of_birth,nationality\n"
               "OMAR,Mohammed,1960,AF\n")

        def hits():
            r = request(self.server.base + "/api/v1/screen", "POST",
                        key=self.admin_key, body=csv,
                        headers={"Content-Type": "text/csv"})
            self.assertEqual(r.status, 200, r.body)
            return [h["entry"]["id"] for h in r.json()["hits"]]

        first = hits()
        self.assertTrue(first)
        r = request(self.server.root + "collections/community/objects/%s/"
                    % first[0], "DELETE", key=self.admin_key)
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn(first[0], hits())


class Markings(HubCase):
    def setUp(self):
        super().setUp()
        for org in ("Alpha", "Bravo"):
            self.vigil("org", "add", org, check=0)
        self.vigil("user", "add", "alpha", "--org", "Alpha", "--role",
                   "analyst", check=0)
        self.vigil("user", "add", "bravo", "--org", "Bravo", "--role",
                   "reader", check=0)
        self.alpha, self.bravo = self.new_key("alpha"), self.new_key("bravo")
        r = request(self.server.root + "collections/community/objects/"
                    "?match[type]=marking-definition", key=self.admin_key)
        self.levels = {o["name"]: o["id"] for o in r.json()["objects"]}

    def post(self, obj):
        r = request(self.server.root + "collections/community/objects/",
                    "POST", key=self.alpha,
                    body=json.dumps({"objects": [obj]}))
        self.assertEqual(r.json()["success_count"], 1, r.body)

    def bravo_reads(self, oid):
        r = request(self.server.root + "collections/community/objects/%s/"
                    % oid, key=self.bravo)
        return r.status == 200

    def test_an_uppercase_classification_id_still_classifies(self):
        oid = "indicator--" + str(uuid.uuid4())
        self.post(indicator(oid, "2026-01-02T00:00:00.000Z", "s",
                            object_marking_refs=[
                                self.levels["SECRET"].upper().replace(
                                    "MARKING-DEFINITION", "marking-definition")
                            ]))
        self.assertFalse(self.bravo_reads(oid))

    def test_a_marking_the_hub_cannot_classify_fails_closed(self):
        unknown = "marking-definition--" + str(uuid.uuid4())
        oid = "indicator--" + str(uuid.uuid4())
        self.post(indicator(oid, "2026-01-02T00:00:00.000Z", "u",
                            object_marking_refs=[unknown]))
        self.assertFalse(self.bravo_reads(oid))
        # a statement marking the hub holds is understood: no restriction
        stmt = {"type": "marking-definition", "spec_version": "2.1",
                "id": "marking-definition--" + str(uuid.uuid4()),
                "created": "2026-01-01T00:00:00.000Z",
                "definition_type": "statement",
                "definition": {"statement": "Copyright Alpha"}}
        self.post(stmt)
        oid2 = "indicator--" + str(uuid.uuid4())
        self.post(indicator(oid2, "2026-01-02T00:00:00.000Z", "k",
                            object_marking_refs=[stmt["id"]]))
        self.assertTrue(self.bravo_reads(oid2))

    def test_granular_tlp_red_is_the_objects_tlp(self):
        oid = "indicator--" + str(uuid.uuid4())
        self.post(indicator(oid, "2026-01-02T00:00:00.000Z", "g",
                            granular_markings=[{"marking_ref": TLP_RED,
                                                "selectors": ["name"]}]))
        self.assertFalse(self.bravo_reads(oid))


if __name__ == "__main__":
    main()
