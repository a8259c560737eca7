"""Administration over /api/v1 (organisations, users, keys, sharing groups)
through the real server: what each role may do, the answers, and the audit
entries, the same as the vigil command's (both call the one service)."""
import json

from vigiltest import HubCase, main, request


class Admin(HubCase):
    def setUp(self):
        super().setUp()
        self.vigil("org", "add", "Alpha", check=0)
        self.vigil("org", "add", "Bravo", check=0)
        for name, org, role in (("oa", "Alpha", "org-admin"),
                                ("ra", "Alpha", "reader"),
                                ("rb", "Bravo", "reader"),
                                ("aud", "Alpha", "auditor")):
            self.vigil("user", "add", name, "--org", org, "--role", role,
                       check=0)
        self.keys = {u: self.new_key(u) for u in ("oa", "ra", "rb", "aud")}
        self.keys["admin"] = self.admin_key

    def api(self, method, path, who, body=None):
        r = request(self.server.base + "/api/v1/" + path, method,
                    key=self.keys[who],
                    body=json.dumps(body) if body is not None else None,
                    headers={"Accept": "application/json",
                             "Content-Type": "application/json"})
        return r

    def test_hub_admin_manages_everything(self):
        r = self.api("POST", "orgs", "admin", {"name": "Charlie"})
        self.assertEqual((r.status, r.json()), (201, {"name": "Charlie"}))
        r = self.api("POST", "orgs", "admin", {"name": "Charlie"})
        self.assertEqual((r.status, r.json()["description"]),
                         (409, "organisation 'Charlie' exists already"))
        r = self.api("POST", "users", "admin",
                     {"name": "cc", "org": "Charlie", "role": "analyst",
                      "clearance": "SECRET"})
        self.assertEqual(r.status, 201, r.body)
        r = self.api("POST", "keys", "admin", {"user": "cc",
                                               "expires_days": 30})
        self.assertEqual(r.status, 201, r.body)
        key = r.json()["key"]
        self.assertEqual(r.json()["id"], key[4:20])
        # the new key works, and reads as cc
        r = request(self.server.root + "collections/", key=key)
        self.assertEqual(r.status, 200)
        r = self.api("POST", "groups", "admin", {"name": "Joint"})
        self.assertEqual(r.status, 201, r.body)
        r = self.api("POST", "groups/Joint/members/Charlie", "admin")
        self.assertEqual(r.status, 200, r.body)
        r = self.api("POST", "groups/Joint/members/Charlie", "admin")
        self.assertEqual(r.status, 409)
        groups = self.api("GET", "groups", "admin").json()["groups"]
        self.assertEqual([(g["name"], g["members"]) for g in groups],
                         [("Joint", ["Charlie"])])
        r = self.api("DELETE", "groups/Joint/members/Charlie", "admin")
        self.assertEqual(r.status, 200)
        r = self.api("DELETE", "keys/" + key[4:20], "admin")
        self.assertEqual(r.status, 200)
        self.assertEqual(request(self.server.root + "collections/",
                                 key=key).status, 401)
        r = self.api("POST", "users/cc/disable", "admin")
        self.assertEqual((r.status, r.json()),
                         (200, {"name": "cc", "disabled": True}))
        users = self.api("GET", "users", "admin").json()["users"]
        self.assertEqual([u["name"] for u in users],
                         ["admin", "oa", "ra", "rb", "aud", "cc"])
        # every action on record, by admin, with its key
        log = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        mine = [(e["action"], e["target"]) for e in log
                if e["actor"] == "admin" and not e["action"].endswith(".read")]
        self.assertEqual(mine, [
            ("org.add", "Charlie"), ("user.add", "cc"),
            ("key.new", key[4:20]), ("group.add", "Joint"),
            ("group.member.add", "Joint"), ("group.member.remove", "Joint"),
            ("key.revoke", key[4:20]), ("user.disable", "cc")])
        self.assertTrue(all(e["auth"] == "key:" + self.admin_key[4:20]
                            for e in log if e["actor"] == "admin"))

    def test_org_admin_manages_their_organisation_only(self):
        r = self.api("POST", "users", "oa",
                     {"name": "a2", "org": "Alpha", "role": "analyst"})
        self.assertEqual(r.status, 201, r.body)
        # not above their powers, not in another organisation
        for body in ({"name": "a3", "org": "Alpha", "role": "hub-admin"},
                     {"name": "a4", "org": "Alpha", "role": "auditor"},
                     {"name": "b2", "org": "Bravo", "role": "reader"},
                     {"name": "a5", "org": "Alpha", "role": "reader",
                      "clearance": "SECRET"}):
            r = self.api("POST", "users", "oa", body)
            self.assertEqual(r.status, 403, (body, r.body))
        # another organisation's users do not exist for them
        r = self.api("POST", "users/rb/disable", "oa")
        self.assertEqual((r.status, r.json()["description"]),
                         (404, "no user 'rb'"))
        r = self.api("POST", "keys", "oa", {"user": "rb"})
        self.assertEqual(r.status, 404)
        r = self.api("POST", "keys", "oa", {"user": "ra"})
        self.assertEqual(r.status, 201)
        users = self.api("GET", "users", "oa").json()["users"]
        self.assertEqual(sorted(u["name"] for u in users),
                         ["a2", "aud", "oa", "ra"])
        keys = self.api("GET", "keys", "oa").json()["keys"]
        self.assertEqual(sorted({k["user"] for k in keys}),
                         ["aud", "oa", "ra"])
        for path in ("orgs", "groups"):
            r = self.api("POST", path, "oa", {"name": "X"})
            self.assertEqual(r.status, 403)

    def test_users_see_and_manage_their_own_keys(self):
        r = self.api("POST", "keys", "ra", {"user": "ra"})
        self.assertEqual(r.status, 201)
        own = r.json()["id"]
        self.assertEqual(sorted(k["user"] for k in
                                self.api("GET", "keys", "ra").json()["keys"]),
                         ["ra", "ra"])
        self.assertEqual([u["name"] for u in
                          self.api("GET", "users", "ra").json()["users"]],
                         ["ra"])
        r = self.api("POST", "keys", "ra", {"user": "oa"})
        self.assertEqual(r.status, 403)
        r = self.api("DELETE", "keys/" + self.keys["oa"][4:20], "ra")
        self.assertEqual(r.status, 403)
        r = self.api("DELETE", "keys/" + own, "ra")
        self.assertEqual(r.status, 200)
        # the groups a reader's organisation is not in are not listed
        self.vigil("group", "add", "Joint", check=0)
        self.vigil("group", "member", "add", "Joint", "Bravo", check=0)
        self.assertEqual(self.api("GET", "groups", "ra").json(),
                         {"groups": []})
        self.assertEqual([g["name"] for g in
                          self.api("GET", "groups", "rb").json()["groups"]],
                         ["Joint"])
        orgs = self.api("GET", "orgs", "rb").json()["orgs"]
        self.assertEqual([o["name"] for o in orgs], ["hub", "Alpha", "Bravo"])

    def test_bad_bodies_and_parameters(self):
        for body in ("not json", "[]", '{"name": 3}', "{}"):
            r = request(self.server.base + "/api/v1/orgs", "POST",
                        key=self.admin_key, body=body,
                        headers={"Accept": "application/json",
                                 "Content-Type": "application/json"})
            self.assertEqual((r.status, r.json()["description"]),
                             (400, 'the body must be {"name": text}'), body)
        r = self.api("POST", "orgs", "admin", {"name": 'a "quoted" name'})
        self.assertEqual(r.status, 400)
        r = self.api("POST", "keys", "admin", {"user": "ra",
                                               "expires_days": -1})
        self.assertEqual(r.status, 400)
        r = self.api("GET", "audit?foo=1", "aud")
        self.assertEqual((r.status, r.json()["description"]),
                         (400, "'foo' is not a parameter of this endpoint"))
        r = self.api("PUT", "orgs", "admin", {"name": "x"})
        self.assertEqual((r.status, r.headers["allow"]), (405, "GET, POST"))


class ManyGroups(HubCase):
    def test_a_principal_keeps_every_group(self):
        """Once a principal kept 64 sharing groups and dropped the rest:
        membership of the 70th group must read what it shares."""
        self.vigil("org", "add", "Alpha", check=0)
        self.vigil("user", "add", "ra", "--org", "Alpha", "--role", "reader",
                   check=0)
        for i in range(70):
            self.vigil("group", "add", "g%02d" % i, check=0)
            self.vigil("group", "member", "add", "g%02d" % i, "Alpha",
                       check=0)
            self.vigil("group", "member", "add", "g%02d" % i, "hub",
                       check=0)
        ind = {"type": "indicator", "spec_version": "2.1",
               "id": "indicator--6f3c4b2e-8d1a-4f5e-9b7c-2a1d0e9f8c7b",
               "created": "2026-01-01T00:00:00.000Z",
               "modified": "2026-01-01T00:00:00.000Z",
               "pattern": "[ipv4-addr:value = '10.0.0.1']",
               "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}
        url = self.server.root + "collections/group-g69/objects/"
        r = request(url, "POST", key=self.admin_key,
                    body=json.dumps({"objects": [ind]}))
        self.assertEqual(r.status, 202, r.body)
        self.assertEqual(r.json()["success_count"], 1)
        r = request(url, key=self.new_key("ra"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual([o["id"] for o in r.json()["objects"]], [ind["id"]])


if __name__ == "__main__":
    main()
