"""The console's endpoints through the real server: sessions (sign in and
out, the cookie, idle expiry, a revoked key, the purpose), CSRF on every
change, search and the object view under the access rule (each reader gets
exactly the versions the rule gives them, an invisible object answers as a
missing one), "who can see this and why", and the audit log's verification
over the API; with the audit entries each makes."""
import json
import time
import uuid

from vigiltest import HubCase, Server, main, request

JSON = "application/json"
LEVELS = "UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET"
TLP = {
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
}


def api(base, method, path, key=None, cookie=None, csrf=None, body=None,
        headers=None, purpose=None):
    h = {"Accept": JSON, "Content-Type": JSON}
    if cookie:
        h["Cookie"] = "vigil_session=" + cookie
    if csrf:
        h["X-CSRF-Token"] = csrf
    if purpose:
        h["X-Vigil-Purpose"] = purpose
    h.update(headers or {})
    return request(base + path, method, key=key,
                   body=json.dumps(body) if body is not None else None,
                   headers=h)


class Console(HubCase):
    def setUp(self):
        super().setUp()
        for org in ("Alpha", "Bravo", "Charlie"):
            self.vigil("org", "add", org, check=0)
        self.vigil("group", "add", "Joint", check=0)
        self.vigil("group", "member", "add", "Joint", "Alpha", check=0)
        self.vigil("group", "member", "add", "Joint", "Bravo", check=0)
        self.users = {}
        for name, org, role, cl in (
                ("aa", "Alpha", "analyst", "SECRET"),
                ("ab", "Alpha", "reader", "UNCLASSIFIED"),
                ("ba", "Bravo", "analyst", "SECRET"),
                ("ca", "Charlie", "analyst", "SECRET"),
                ("oa", "Alpha", "org-admin", "SECRET"),
                ("au", "Alpha", "auditor", "SECRET")):
            self.vigil("user", "add", name, "--org", org, "--role", role,
                       "--clearance", cl, check=0)
            self.users[name] = self.new_key(name)

    # ---- helpers ----------------------------------------------------------

    def sign_in(self, user, purpose=None, server=None):
        base = (server or self.server).base
        r = api(base, "POST", "/api/v1/session",
                body={"user": user, "key": self.users[user],
                      "purpose": purpose})
        self.assertEqual(r.status, 201, r.body)
        cookie = r.headers["set-cookie"]
        sid = cookie.split(";")[0].split("=", 1)[1]
        return sid, r.json()

    def audit(self, action=None):
        out = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        return [e for e in out if action is None or e["action"] == action]

    def post(self, user, coll, objects):
        r = request(self.server.root + "collections/" + coll + "/objects/",
                    "POST", key=self.users[user],
                    body=json.dumps({"objects": objects}))
        self.assertEqual(r.status, 202, r.body)
        self.assertEqual(r.json()["failure_count"], 0, r.body)

    def indicator(self, name, marking=None, labels=None, modified=None):
        o = {"type": "indicator", "spec_version": "2.1",
             "id": "indicator--" + str(uuid.uuid4()),
             "created": "2026-01-01T00:00:00.000Z",
             "modified": modified or "2026-01-01T00:00:00.000Z",
             "name": name, "description": "about " + name,
             "pattern": "[ipv4-addr:value = '198.51.100.7']",
             "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}
        if marking:
            o["object_marking_refs"] = marking
        if labels:
            o["labels"] = labels
        return o

    # ---- sessions ---------------------------------------------------------

    def test_sign_in_cookie_and_sign_out(self):
        r = api(self.server.base, "POST", "/api/v1/session",
                body={"user": "aa", "key": self.users["ba"]})
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["description"],
                         "the user name and key do not match a valid key of "
                         "an enabled user")
        self.assertNotIn("set-cookie", r.headers)
        fail = self.audit("auth.fail")[-1]
        self.assertEqual(fail["detail"]["reason"], "key of another user")
        sid, s = self.sign_in("aa")
        self.assertEqual((s["user"], s["org"], s["role"]),
                         ("aa", "Alpha", "analyst"))
        self.assertEqual(s["actions"], ["read", "write", "screen"])
        self.assertIn("GET api/v1/search", s["routes"])
        self.assertEqual(len(s["csrf"]), 43)
        r = api(self.server.base, "POST", "/api/v1/session",
                body={"user": "aa", "key": self.users["aa"]})
        attrs = [a.strip() for a in r.headers["set-cookie"].split(";")]
        self.assertEqual(attrs[1:], ["Path=/", "HttpOnly", "SameSite=Strict"])
        opened = self.audit("session.open")[-1]
        self.assertEqual((opened["actor"], opened["target"]), ("aa", "aa"))
        self.assertEqual(opened["auth"], "session:" + self.users["aa"][4:20])
        # the session reads as the key's user, audited with the session
        r = api(self.server.base, "GET", "/api/v1/session", cookie=sid)
        self.assertEqual((r.status, r.json()["csrf"]), (200, s["csrf"]))
        r = api(self.server.base, "GET", "/api/v1/search?q=nothing",
                cookie=sid)
        self.assertEqual(r.status, 200)
        e = self.audit("objects.search")[-1]
        self.assertEqual((e["actor"], e["auth"]),
                         ("aa", "session:" + self.users["aa"][4:20]))
        # sign-out needs the token too; then the cookie is cleared
        r = api(self.server.base, "DELETE", "/api/v1/session", cookie=sid)
        self.assertEqual(r.status, 403)
        r = api(self.server.base, "DELETE", "/api/v1/session", cookie=sid,
                csrf=s["csrf"])
        self.assertEqual(r.status, 200)
        self.assertIn("Max-Age=0", r.headers["set-cookie"])
        self.assertEqual(self.audit("session.close")[-1]["actor"], "aa")
        r = api(self.server.base, "GET", "/api/v1/session", cookie=sid)
        self.assertEqual((r.status, r.json()["description"]),
                         (401, "the session has ended: sign in again"))
        r = api(self.server.base, "GET", "/api/v1/session",
                cookie="A" * 43)
        self.assertEqual(r.status, 401)
        self.assertEqual(self.audit("auth.fail")[-1]["detail"]["reason"],
                         "unknown session")

    def test_sign_in_takes_json_only(self):
        r = request(self.server.base + "/api/v1/session", "POST",
                    body="user=aa&key=" + self.users["aa"],
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded",
                             "Accept": JSON})
        self.assertEqual(r.status, 415)
        r = api(self.server.base, "POST", "/api/v1/session",
                body={"user": "aa"})
        self.assertEqual(r.status, 400)

    def test_idle_session_expires(self):
        short = Server(self.data, "--set", "session_idle_seconds=1")
        try:
            sid, _ = self.sign_in("aa", server=short)
            r = api(short.base, "GET", "/api/v1/session", cookie=sid)
            self.assertEqual(r.status, 200)
            time.sleep(1.6)
            r = api(short.base, "GET", "/api/v1/session", cookie=sid)
            self.assertEqual((r.status, r.json()["description"]),
                             (401, "the session has expired: sign in again"))
            self.assertEqual(self.audit("auth.fail")[-1]["detail"]["reason"],
                             "expired session")
            # and it stays ended
            r = api(short.base, "GET", "/api/v1/session", cookie=sid)
            self.assertEqual(r.status, 401)
        finally:
            short.stop()

    def test_revoked_key_ends_its_sessions(self):
        sid, _ = self.sign_in("aa")
        self.vigil("key", "revoke", self.users["aa"][4:20], check=0)
        r = api(self.server.base, "GET", "/api/v1/search", cookie=sid)
        self.assertEqual(r.status, 401)
        self.assertEqual(self.audit("auth.fail")[-1]["detail"]["reason"],
                         "revoked key")

    def test_csrf_token_on_every_change(self):
        sid, s = self.sign_in("oa")
        body = {"name": "forged", "org": "Alpha", "role": "analyst"}
        for token in (None, "x" * 43, s["csrf"][:-1], s["csrf"] + "x"):
            r = api(self.server.base, "POST", "/api/v1/users", cookie=sid,
                    csrf=token, body=body)
            self.assertEqual(r.status, 403, token)
            self.assertEqual(r.json()["description"],
                             "a change needs this session's X-CSRF-Token")
        denied = self.audit("access.denied")[-1]
        self.assertEqual(denied["detail"],
                         {"needs": "csrf-token", "role": "org-admin"})
        users = [u["name"] for u in json.loads(
            self.vigil("user", "list", "--json", check=0).out)["users"]]
        self.assertNotIn("forged", users)
        r = api(self.server.base, "POST", "/api/v1/users", cookie=sid,
                csrf=s["csrf"], body=body)
        self.assertEqual(r.status, 201, r.body)
        # a key in the Authorization header needs no token (no cookie)
        r = api(self.server.base, "POST", "/api/v1/keys",
                key=self.users["oa"], body={"user": "oa"})
        self.assertEqual(r.status, 201)

    def test_purpose_in_the_session(self):
        self.server.stop()
        self.server = Server(self.data, "--set", "purpose_required=true")
        r = api(self.server.base, "POST", "/api/v1/session",
                body={"user": "aa", "key": self.users["aa"]})
        self.assertEqual((r.status, r.json()["title"]),
                         (400, "purpose required"))
        sid, s = self.sign_in("aa", purpose="case 41: border alert")
        self.assertEqual((s["purpose"], s["purpose_required"]),
                         ("case 41: border alert", True))
        r = api(self.server.base, "GET", "/api/v1/search?q=x", cookie=sid)
        self.assertEqual(r.status, 200)
        self.assertEqual(self.audit("objects.search")[-1]["purpose"],
                         "case 41: border alert")
        r = api(self.server.base, "POST", "/api/v1/session/purpose",
                cookie=sid, csrf=s["csrf"], body={"purpose": ""})
        self.assertEqual(r.status, 400)
        r = api(self.server.base, "POST", "/api/v1/session/purpose",
                cookie=sid, csrf=s["csrf"], body={"purpose": "تحقيق ٤٢"})
        self.assertEqual(r.status, 200, r.body)
        api(self.server.base, "GET", "/api/v1/search?q=x", cookie=sid)
        self.assertEqual(self.audit("objects.search")[-1]["purpose"],
                         "تحقيق ٤٢")

    # ---- search and the object view under the access rule -------------------

    def make_objects(self):
        red = [TLP["red"]]
        objs = {
            "alpha-private": ("aa", "org-alpha", self.indicator("alpha private")),
            "alpha-community": ("aa", "community",
                                self.indicator("alpha shared", labels=["fraud"])),
            "alpha-red": ("aa", "community", self.indicator("alpha red", red)),
            "alpha-group": ("aa", "group-joint", self.indicator("joint note")),
            "bravo-amber": ("ba", "community",
                            self.indicator("bravo amber", [TLP["amber"]])),
        }
        for who, coll, o in objs.values():
            self.post(who, coll, [o])
        return {k: v[2]["id"] for k, v in objs.items()}

    def test_search_and_view_follow_the_access_rule(self):
        ids = self.make_objects()
        sees = {
            "aa": {"alpha-private", "alpha-community", "alpha-red",
                   "alpha-group", "bravo-amber"},
            "ab": {"alpha-private", "alpha-community", "alpha-red",
                   "alpha-group", "bravo-amber"},
            "ba": {"alpha-community", "alpha-group", "bravo-amber"},
            "ca": {"alpha-community", "bravo-amber"},
        }
        missing = api(self.server.base, "GET", "/api/v1/objects/indicator--"
                      + str(uuid.uuid4()), key=self.users["ca"])
        self.assertEqual(missing.status, 404)
        for user, expect in sees.items():
            got = set()
            r = api(self.server.base, "GET",
                    "/api/v1/search?type=indicator&limit=200",
                    key=self.users[user])
            self.assertEqual(r.status, 200, r.body)
            for row in r.json()["results"]:
                got |= {k for k, v in ids.items() if v == row["id"]}
            self.assertEqual(got, expect, user)
            for k, oid in ids.items():
                r = api(self.server.base, "GET", "/api/v1/objects/" + oid,
                        key=self.users[user])
                if k in expect:
                    self.assertEqual(r.status, 200, (user, k))
                else:
                    # as for an id that does not exist
                    self.assertEqual((r.status, r.body),
                                     (missing.status, missing.body), (user, k))
        # words, labels, markings, organisations
        q = api(self.server.base, "GET", "/api/v1/search?q=ALPHA+shared",
                key=self.users["ba"]).json()["results"]
        self.assertEqual([x["id"] for x in q], [ids["alpha-community"]])
        q = api(self.server.base, "GET", "/api/v1/search?label=fraud",
                key=self.users["ca"]).json()["results"]
        self.assertEqual([x["id"] for x in q], [ids["alpha-community"]])
        q = api(self.server.base, "GET", "/api/v1/search?marking=tlp:red",
                key=self.users["aa"]).json()["results"]
        self.assertEqual([(x["id"], x["tlp"]) for x in q],
                         [(ids["alpha-red"], "red")])
        q = api(self.server.base, "GET", "/api/v1/search?marking=" +
                TLP["amber"], key=self.users["ca"]).json()["results"]
        self.assertEqual([x["id"] for x in q], [ids["bravo-amber"]])
        q = api(self.server.base, "GET",
                "/api/v1/search?org=Bravo&type=indicator",
                key=self.users["aa"]).json()["results"]
        self.assertEqual([(x["id"], x["org"]) for x in q],
                         [(ids["bravo-amber"], "Bravo")])
        q = api(self.server.base, "GET",
                "/api/v1/search?type=indicator&since=2026-01-02",
                key=self.users["aa"]).json()["results"]
        self.assertEqual(q, [])
        q = api(self.server.base, "GET",
                "/api/v1/search?type=indicator&until=2026-01-01",
                key=self.users["ca"]).json()["results"]
        self.assertEqual(len(q), 2)
        # pages, newest first, without repeats
        seen = []
        for off in range(0, 6):
            r = api(self.server.base, "GET", "/api/v1/search?type=indicator"
                    "&limit=1&offset=%d" % off, key=self.users["aa"]).json()
            seen += [x["id"] for x in r["results"]]
            self.assertEqual(r["more"], off < 4)
        self.assertEqual(seen, [ids[k] for k in (
            "bravo-amber", "alpha-group", "alpha-red", "alpha-community",
            "alpha-private")])
        e = self.audit("objects.search")[-1]
        self.assertEqual(e["detail"], {"type": "indicator", "offset": 5,
                                       "count": 0})

    def test_search_refusals(self):
        for q, why in (
                ("foo=1", "'foo' is not a parameter of this endpoint"),
                ("limit=0", "'limit' is a number from 1 to 200"),
                ("limit=201", "'limit' is a number from 1 to 200"),
                ("offset=-1", "'offset' is a number from 0 to 100000"),
                ("marking=amber", "'marking': a TLP level (tlp:clear, "
                 "tlp:green, tlp:amber, tlp:amber+strict, tlp:red) or a "
                 "marking-definition id"),
                ("org=Nobody", "'org': no such organisation"),
                ("since=yesterday",
                 "'since': not a date (YYYY-MM-DD) or a timestamp"),
                ("type=Bad%20Type", "'type': not a STIX type"),
                ("q=" + "+".join(["w"] * 9),
                 "'q': at most 8 words of 100 bytes")):
            r = api(self.server.base, "GET", "/api/v1/search?" + q,
                    key=self.users["aa"])
            self.assertEqual((r.status, r.json()["description"]), (400, why),
                             q)
        r = api(self.server.base, "GET", "/api/v1/search",
                key=self.users["au"])
        self.assertEqual(r.status, 403)

    def test_who_can_see_this_and_why(self):
        ids = self.make_objects()
        def access(user, key):
            r = api(self.server.base, "GET", "/api/v1/objects/" + ids[key],
                    key=self.users[user])
            self.assertEqual(r.status, 200, r.body)
            return r.json()["access"]
        a = access("aa", "alpha-private")
        self.assertEqual((a["owner"], a["scope"], a["collection"], a["tlp"]),
                         ("Alpha", "organisation", "org-alpha", None))
        reasons = {x["org"]: (x["in"], x["reason"]) for x in a["audience"]}
        self.assertEqual(reasons["Alpha"], (True, "owner"))
        self.assertEqual(reasons["Bravo"], (False, "not-owner"))
        self.assertEqual(a["you"], {"read": True, "role": True,
                                    "clearance": True, "audience": "owner"})
        a = access("ba", "alpha-community")
        self.assertEqual(a["you"]["audience"], "hub-wide")
        self.assertTrue(all(x["in"] for x in a["audience"]))
        a = access("aa", "alpha-red")
        reasons = {x["org"]: (x["in"], x["reason"]) for x in a["audience"]}
        self.assertEqual((a["tlp"], reasons["Charlie"]),
                         ("red", (False, "tlp-red")))
        a = access("ba", "alpha-group")
        reasons = {x["org"]: (x["in"], x["reason"]) for x in a["audience"]}
        self.assertEqual((a["scope"], a["group"]), ("group", "Joint"))
        self.assertEqual((reasons["Bravo"], reasons["Charlie"]),
                         ((True, "group-member"), (False, "not-member")))
        self.assertEqual(a["roles"],
                         ["reader", "analyst", "org-admin", "hub-admin"])
        # versions, newest first; relationships; names of what it refers to
        o = api(self.server.base, "GET", "/api/v1/objects/" +
                ids["alpha-community"], key=self.users["aa"]).json()
        self.assertEqual(len(o["versions"]), 1)
        self.assertEqual(o["versions"][0]["object"]["name"], "alpha shared")
        ident = o["versions"][0]["object"]["created_by_ref"]
        self.assertEqual(o["names"][ident]["name"], "Alpha")
        view = self.audit("object.view")[-1]
        self.assertEqual((view["target"], view["detail"]),
                         (ids["alpha-community"],
                          {"count": 1, "relationships": 0, "sightings": 0}))

    def test_audit_verify_over_the_api(self):
        r = api(self.server.base, "GET", "/api/v1/audit/verify",
                key=self.users["au"])
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(r.json()["intact"])
        self.assertGreater(r.json()["entries"], 5)
        self.assertEqual(self.audit("audit.verify")[-1]["detail"]["intact"],
                         True)
        r = api(self.server.base, "GET", "/api/v1/audit/verify",
                key=self.users["aa"])
        self.assertEqual(r.status, 403)
        r = api(self.server.base, "GET", "/api/v1/audit?action=session.open",
                key=self.users["au"])
        self.assertEqual(r.json()["entries"], [])
        self.sign_in("ab")
        r = api(self.server.base, "GET", "/api/v1/audit?action=session.open",
                key=self.users["au"])
        self.assertEqual([e["actor"] for e in r.json()["entries"]], ["ab"])


if __name__ == "__main__":
    main()
