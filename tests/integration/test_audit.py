"""The audit log: `vigil audit verify` names exactly the entry that was
changed, removed, reordered or truncated (tampering done with the sqlite3
command, or psql, on copies of the store), and a forged checkpoint; every kind of
action is on record with its actor, source and purpose; the purpose can be
required; only auditors read GET /api/v1/audit, with its filters."""
import hashlib
import json
import os
import pwd
import re
import sqlite3
import struct
import subprocess
import time

from vigiltest import (POSTGRES, HubCase, Server, VIGIL, VigilCase, main,
                       psql, request, store_copy, store_home,
                       store_location, store_sql)

CLI_ACTOR = "local:" + pwd.getpwuid(os.getuid()).pw_name
INTACT = "audit log intact: %d entries, %d signed checkpoints verified\n"


def sql(data, statement):
    """Run statement with the sqlite3 command on DATA/vigil.db (psql on a
    PostgreSQL store)."""
    if POSTGRES:
        return psql(statement, data)
    p = subprocess.run(["sqlite3", os.path.join(data, "vigil.db"), statement],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def hexed(column):
    """column (a blob) as upper-case hex digits, in the store's SQL."""
    if POSTGRES:
        return "upper(encode(%s, 'hex'))" % column
    return "hex(%s)" % column


def blob(b):
    """The SQL literal of bytes b, in the store's SQL."""
    if POSTGRES:
        return "decode('%s', 'hex')" % b.hex()
    return "X'%s'" % b.hex()


def text(v):
    """The SQL literal of string v (either backend)."""
    return "'%s'" % v.replace("'", "''")


def rechain(data, auth=True):
    """Recompute every entry's prev and hash of the store at data, as the
    program does (with auth in the hash when auth): what someone who edits
    the log and wants the chain to hold would do."""
    rows = store_sql(data, "SELECT seq, ts, actor, org, action, target,"
                           " detail, source, purpose, auth, %s FROM audit"
                           " ORDER BY seq" % hexed("prev"))
    prev = bytes.fromhex(rows[0][10])
    updates = []
    for r in rows:
        fields = (int(r[0]), int(r[1]), r[2], int(r[3]), *r[4:9])
        h = entry_hash(prev, *fields, *((r[9],) if auth else ()))
        updates.append("UPDATE audit SET prev=%s, hash=%s WHERE seq=%d;"
                       % (blob(prev), blob(h), int(r[0])))
        prev = h
    sql(data, "".join(updates))


def entry_hash(prev, seq, ts, actor, org, action, target, detail, source,
               purpose, auth=""):
    """src/core/audit_hash.c in Python: BLAKE2b-256 over the previous hash,
    seq, ts, and each field (length-prefixed strings, little-endian); auth
    only when it is not empty."""
    h = hashlib.blake2b(digest_size=32)
    h.update(prev)
    h.update(struct.pack("<QQ", seq, ts & 0xFFFFFFFFFFFFFFFF))

    def s(v):
        b = v.encode()
        h.update(struct.pack("<Q", len(b)))
        h.update(b)
    s(actor)
    h.update(struct.pack("<Q", org & 0xFFFFFFFFFFFFFFFF))
    for v in (action, target, detail, source, purpose):
        s(v)
    if auth:
        s(auth)
    return h.digest()


class Tampering(VigilCase):
    """A log of CLI actions: hub.create (1), then org.add, user.add,
    key.new, ... and a checkpoint that signs the log up to its own entry."""

    def setUp(self):
        super().setUp()
        self.vigil("org", "add", "Partner", check=0)           # 2
        self.vigil("user", "add", "ana", "--org", "Partner",    # 3
                   "--role", "analyst", check=0)
        self.vigil("key", "new", "--user", "ana", check=0)     # 4
        self.vigil("org", "add", "Third", check=0)             # 5
        self.vigil("user", "add", "bob", "--org", "Third",      # 6
                   "--role", "reader", check=0)
        self.vigil("key", "new", "--user", "bob", check=0)     # 7
        r = self.vigil("audit", "checkpoint", check=0)         # 8
        self.assertEqual(r.out, "signed checkpoint at entry 8\n")
        self.vigil("org", "add", "Fourth", check=0)            # 9
        self.vigil("user", "add", "cy", "--org", "Fourth",      # 10
                   "--role", "auditor", check=0)

    def copy(self, name):
        return store_copy(self.data, self.tmp, name)

    def flip(self, data, table, column, seq, byte, bit):
        """Flip one bit of a stored blob."""
        if POSTGRES:
            sql(data, "UPDATE %s SET %s = set_byte(%s, %d, get_byte(%s, %d)"
                      " # %d) WHERE seq = %d" % (table, column, column, byte,
                                                 column, byte, bit, seq))
            return
        con = sqlite3.connect(os.path.join(data, "vigil.db"))
        b = bytearray(con.execute("SELECT %s FROM %s WHERE seq=?"
                                  % (column, table), (seq,)).fetchone()[0])
        b[byte] ^= bit
        con.execute("UPDATE %s SET %s=? WHERE seq=?" % (table, column),
                    (bytes(b), seq))
        con.commit()
        con.close()

    def verify(self, data):
        return self.vigil("audit", "verify", data=data)

    def assert_broken(self, data, message):
        r = self.verify(data)
        self.assertEqual((r.code, r.out, r.err),
                         (1, "audit log NOT intact: " + message + "\n", ""))
        r = self.vigil("audit", "verify", "--json", data=data)
        self.assertEqual(r.code, 1)
        self.assertEqual(r.json()["ok"], False)
        self.assertEqual(r.json()["error"], message)

    def test_untouched_log_verifies(self):
        r = self.verify(self.data)
        self.assertEqual((r.code, r.out), (0, INTACT % (10, 1)))
        r = self.vigil("audit", "verify", "--json", check=0)
        self.assertEqual(r.json(), {"ok": True, "entries": 10,
                                    "checkpoints": 1})
        # verifying reads nothing on record: still 10 entries
        self.assertEqual(self.verify(self.data).out, INTACT % (10, 1))
        # a second checkpoint after more entries verifies too
        self.vigil("audit", "checkpoint", check=0)
        self.assertEqual(self.verify(self.data).out, INTACT % (11, 2))

    def test_one_changed_byte_names_the_entry(self):
        changes = {
            "target": "UPDATE audit SET target='Partnes' WHERE seq=2",
            "actor": "UPDATE audit SET actor=substr(actor,1,length(actor)-1)"
                     "||'X' WHERE seq=3",
            "detail": "UPDATE audit SET detail=replace(detail,'analyst',"
                      "'analyss') WHERE seq=3",
            "ts": "UPDATE audit SET ts=ts+1 WHERE seq=9",
            "org": "UPDATE audit SET org=1 WHERE seq=10",
            "source": "UPDATE audit SET source='clj' WHERE seq=5",
        }
        seqs = {"target": 2, "actor": 3, "detail": 3, "ts": 9, "org": 10,
                "source": 5}
        for col, statement in changes.items():
            with self.subTest(column=col):
                data = self.copy("changed-" + col)
                sql(data, statement)
                self.assert_broken(
                    data, "entry %d: changed (its hash does not match its "
                    "content)" % seqs[col])
        # one flipped bit of a stored hash is a change of that entry too
        data = self.copy("changed-hash")
        self.flip(data, "audit", "hash", 4, 0, 1)
        self.assert_broken(data, "entry 4: changed (its hash does not match "
                                 "its content)")

    def test_deleted_entry_is_named(self):
        data = self.copy("deleted")
        sql(data, "DELETE FROM audit WHERE seq=5")
        self.assert_broken(data, "entry 5: removed (the log goes from entry 4 "
                                 "to entry 6)")
        data = self.copy("deleted-first")
        sql(data, "DELETE FROM audit WHERE seq=1")
        self.assert_broken(data, "entry 1: removed (the log goes from entry 0 "
                                 "to entry 2)")

    def test_swapped_entries_are_named(self):
        data = self.copy("swapped")
        cols = "ts,actor,org,action,target,detail,source,purpose,prev,hash"
        sql(data, "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN "
                  "(3,6); UPDATE audit SET (%s)=(SELECT %s FROM t WHERE "
                  "t.seq=9-audit.seq) WHERE seq IN (3,6);" % (cols, cols))
        self.assertEqual(sql(data, "SELECT action FROM audit WHERE seq IN "
                                   "(3,6) ORDER BY seq"),
                         "user.add\nuser.add\n")
        self.assert_broken(data, "entry 3: reordered (its content is entry "
                                 "6's)")

    def test_truncated_tail_after_a_checkpoint(self):
        data = self.copy("truncated")
        sql(data, "DELETE FROM audit WHERE seq >= 6")
        self.assert_broken(data, "entry 6: removed (truncated: a checkpoint "
                                 "signed the log up to entry 8, it now ends "
                                 "at entry 5)")

    def test_forged_checkpoint_signature(self):
        data = self.copy("forged")
        self.assertEqual(sql(data, "SELECT length(sig) FROM checkpoints"
                                   " WHERE seq=8"), "64\n")
        self.flip(data, "checkpoints", "sig", 8, 10, 0x40)
        self.assert_broken(data, "checkpoint at entry 8: the signature is not "
                                 "the hub's")
        # a checkpoint moved to another entry does not verify either
        data = self.copy("moved")
        sql(data, "UPDATE checkpoints SET seq=7 WHERE seq=8")
        self.assert_broken(data, "checkpoint at entry 7: the signature is not "
                                 "the hub's")

    def test_altered_detail_is_shown_as_a_string(self):
        """A detail altered by hand that is not one strictly valid object
        (trailing text, a raw new line, a lenient number) is shown as a
        string: it can neither add a field nor break the JSON (found by
        fuzz/fuzz_audit.c; before, '{} ,"actor":...' was copied as is)."""
        details = ['{"org":2} ,"actor":"admin"', '{"a":"x\ny"}',
                   '{"n":01}', '{"a":1}{"b":2}', '{"a":"<b>"}']
        for d in details:
            with self.subTest(detail=d):
                data = self.copy("detail-%d" % details.index(d))
                sql(data, "UPDATE audit SET detail=%s WHERE seq=3" % text(d))
                r = self.vigil("audit", "show", "--json", data=data)
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(r.out.count("\n"), 1)
                e = json.loads(r.out)["entries"][2]
                self.assertEqual((e["seq"], e["actor"], e["action"],
                                  e["detail"]),
                                 (3, CLI_ACTOR, "user.add", d))
        # the service's own details stay objects
        r = self.vigil("audit", "show", "--json", check=0)
        self.assertEqual(json.loads(r.out)["entries"][2]["detail"],
                         {"org": 2, "role": "analyst", "clearance": 0})

    def test_rewritten_chain_is_caught_by_the_checkpoint(self):
        """Someone who changes entry 3 and recomputes every hash after it
        gets a chain that holds; the signed checkpoint does not."""
        data = self.copy("rewritten")
        sql(data, "UPDATE audit SET target='eve' WHERE seq=3")
        rechain(data, auth=False)
        hexed_hash = "SELECT %s FROM audit WHERE seq=2" % hexed("hash")
        # the recomputed chain is the one the program computes
        self.assertEqual(sql(self.data, hexed_hash), sql(data, hexed_hash))
        self.assert_broken(data, "entry 8: changed since the checkpoint that "
                                 "signed it")


class Actions(HubCase):
    def setUp(self):
        super().setUp()
        self.vigil("org", "add", "Partner", check=0)
        self.vigil("user", "add", "ana", "--org", "Partner", "--role",
                   "analyst", check=0)
        self.vigil("user", "add", "aud", "--org", "Partner", "--role",
                   "auditor", check=0)
        self.ana = self.new_key("ana")
        self.aud = self.new_key("aud")

    def log(self, **params):
        """Every entry through the API (as the auditor), in order."""
        out, after = [], 0
        while True:
            q = "&".join("%s=%s" % kv for kv in
                         dict(params, after=after, limit=1000).items())
            r = request(self.server.base + "/api/v1/audit?" + q, key=self.aud)
            self.assertEqual(r.status, 200, r.body)
            page = r.json()
            out += page["entries"]
            if not page["more"]:
                return out
            after = page["entries"][-1]["seq"]

    def test_every_action_is_on_record(self):
        cid = self.collection_id("community")
        self.assertEqual(request(self.server.root + "collections/%s/" % cid,
                                 key=self.admin_key).status, 200)
        url = self.server.root + "collections/%s/objects/" % cid
        # authentication failures carry the address they came from
        bad = "vgk_" + "0" * 16 + "_" + "A" * 43
        self.assertEqual(request(self.server.base + "/taxii2/",
                                 key=bad).status, 401)
        self.assertEqual(request(self.server.base + "/taxii2/",
                                 basic=("ana", bad)).status, 401)
        self.assertEqual(request(self.server.base + "/taxii2/").status, 401)
        # a write, a read with a purpose, a delete
        objs = [{"type": "indicator", "spec_version": "2.1",
                 "id": "indicator--%08d-0000-4000-8000-000000000000" % i,
                 "created": "2026-01-01T00:00:00.000Z",
                 "modified": "2026-01-01T00:00:00.000Z",
                 "pattern": "[ipv4-addr:value = '10.0.0.%d']" % i,
                 "pattern_type": "stix", "valid_from":
                 "2026-01-01T00:00:00Z"} for i in range(3)]
        r = request(url, "POST", key=self.ana,
                    body=json.dumps({"objects": objs}))
        self.assertEqual(r.status, 202, r.body)
        status_id = r.json()["id"]
        r = request(url + "?match[type]=indicator&limit=2", key=self.ana,
                    headers={"X-Vigil-Purpose": "case 2026/17"})
        self.assertEqual((r.status, len(r.json()["objects"])), (200, 2))
        r = request(url + objs[0]["id"] + "/", "DELETE", key=self.ana)
        self.assertEqual(r.status, 200, r.body)
        r = request(self.server.root + "status/%s/" % status_id, key=self.ana)
        self.assertEqual(r.status, 200, r.body)
        # admin actions by the CLI
        self.vigil("org", "add", "Third", check=0)
        self.vigil("user", "add", "bob", "--org", "Third", "--role", "reader",
                   check=0)
        bob = self.vigil("key", "new", "--user", "bob", "--json",
                         check=0).json()
        self.vigil("key", "revoke", bob["id"], check=0)
        self.vigil("user", "disable", "bob", check=0)
        self.vigil("group", "add", "Task force", check=0)
        self.vigil("group", "member", "add", "Task force", "Partner", check=0)

        entries = self.log()
        self.assertEqual([e["seq"] for e in entries],
                         list(range(1, len(entries) + 1)))
        kinds = [e["action"] for e in entries]
        for kind in ("hub.create", "org.add", "user.add", "key.new",
                     "key.revoke", "user.disable", "group.add",
                     "group.member.add", "auth.fail",
                     "collection.read", "objects.add", "objects.read",
                     "object.delete", "status.read", "audit.read"):
            self.assertIn(kind, kinds)

        def one(action, **match):
            found = [e for e in entries if e["action"] == action and
                     all(e[k] == v for k, v in match.items())]
            self.assertEqual(len(found), 1, (action, match, found))
            return found[0]

        ana_key, aud_key = self.ana[4:20], self.aud[4:20]
        # CLI actions: the local user, from "cli", organisation 0
        for action, target in (("org.add", "Partner"), ("user.add", "ana"),
                               ("org.add", "Third"), ("key.revoke", bob["id"]),
                               ("user.disable", "bob"),
                               ("group.add", "Task force")):
            e = one(action, target=target)
            self.assertEqual((e["actor"], e["org"], e["source"]),
                             (CLI_ACTOR, 0, "cli"))
        self.assertEqual(one("user.add", target="ana")["detail"],
                         {"org": 2, "role": "analyst", "clearance": 0})
        self.assertEqual(one("key.new", target=bob["id"])["detail"],
                         {"user": "bob", "expires_days": 0})
        self.assertEqual(one("group.member.add", target="Task force")["detail"],
                         {"org": 2})
        # failed authentications: who tried (Basic user), from where, why
        fails = [e for e in entries if e["action"] == "auth.fail"]
        self.assertEqual([(e["actor"], e["target"], e["source"], e["detail"])
                          for e in fails],
                         [("-", "", "127.0.0.1",
                           {"reason": "unknown key", "path": "/taxii2/"}),
                          ("-", "ana", "127.0.0.1",
                           {"reason": "unknown key", "path": "/taxii2/"}),
                          ("-", "", "127.0.0.1",
                           {"reason": "missing credentials",
                            "path": "/taxii2/"})])
        # each authenticated request: one entry, with the key that
        # authenticated it (no separate "auth.ok" entry)
        self.assertNotIn("auth.ok", kinds)
        add = one("objects.add", actor="ana")
        self.assertEqual(add["detail"], {"collection": cid,
                                         "status": status_id, "accepted": 3,
                                         "duplicates": 0, "rejected": 0})
        self.assertEqual((add["org"], add["target"], add["source"]),
                         (2, cid, "127.0.0.1"))
        self.assertEqual(add["auth"], "key:" + ana_key)
        read = one("objects.read", actor="ana")
        self.assertEqual(read["detail"]["count"], 2)
        self.assertEqual(read["detail"]["collection"], cid)
        self.assertEqual(read["purpose"], "case 2026/17")
        self.assertEqual(read["auth"], "key:" + ana_key)
        self.assertEqual(one("object.delete", actor="ana")["detail"],
                         {"collection": cid, "deleted": 1})
        self.assertEqual(one("object.delete", actor="ana")["target"],
                         objs[0]["id"])
        self.assertEqual(one("status.read", actor="ana")["detail"],
                         {"found": True})
        # no purpose given: recorded as ""
        self.assertEqual(one("object.delete", actor="ana")["purpose"], "")
        # the auditor's own reads are on record, with the auditor's key
        reads = [e for e in entries if e["action"] == "audit.read"]
        self.assertEqual({(e["actor"], e["org"], e["auth"]) for e in reads},
                         {("aud", 2, "key:" + aud_key)})
        # the CLI's entries name no credential
        self.assertEqual(one("org.add", target="Third")["auth"], "")
        # and the whole log, with the server's entries, still verifies
        code, err = self.server.stop()
        self.assertEqual(code, 0, err)
        r = self.vigil("audit", "verify", check=0)
        self.assertTrue(r.out.startswith("audit log intact: "), r.out)

    def test_audit_api_is_for_auditors_with_filters(self):
        for key in (self.admin_key, self.ana):
            r = request(self.server.base + "/api/v1/audit", key=key)
            self.assertEqual(r.status, 403)
            self.assertEqual(r.json(), {
                "title": "forbidden",
                "description": "the audit log is for the auditor role",
                "http_status": "403"})
        self.assertEqual(request(self.server.base + "/api/v1/audit").status,
                         401)
        # an auditor reads no intelligence: no collection is visible
        r = request(self.server.root + "collections/", key=self.aud)
        self.assertEqual((r.status, r.json()), (200, {}))
        r = request(self.server.root + "collections/community/objects/",
                    key=self.aud)
        self.assertEqual(r.status, 404)
        for _ in range(3):
            request(self.server.base + "/taxii2/", key=self.ana)
        base = self.server.base + "/api/v1/audit"
        # default page: oldest first, from entry 1
        r = request(base, key=self.aud)
        self.assertEqual(r.headers["content-type"], "application/json")
        page = r.json()
        self.assertEqual(page["entries"][0]["seq"], 1)
        self.assertEqual(page["entries"][0]["action"], "hub.create")
        self.assertFalse(page["more"])
        self.assertEqual(set(page["entries"][0]),
                         {"seq", "time", "actor", "org", "action", "target",
                          "detail", "source", "purpose", "auth"})
        # actor
        r = request(base + "?actor=ana", key=self.aud).json()
        # ana's refused read of the log is on record too
        self.assertEqual([e["action"] for e in r["entries"]],
                         ["access.denied"] + ["discovery.read"] * 3)
        self.assertEqual(r["entries"][0]["detail"],
                         {"needs": "audit", "role": "analyst"})
        # limit and after: pages that join up
        r = request(base + "?limit=2", key=self.aud).json()
        self.assertEqual(([e["seq"] for e in r["entries"]], r["more"]),
                         ([1, 2], True))
        r = request(base + "?limit=2&after=2", key=self.aud).json()
        self.assertEqual([e["seq"] for e in r["entries"]], [3, 4])
        # since: a timestamp; entries at or after it
        everything = self.log()
        t = everything[6]["time"]
        r = request(base + "?since=" + t, key=self.aud).json()
        self.assertEqual(r["entries"][0]["seq"], 7)
        self.assertTrue(all(e["time"] >= t for e in r["entries"]))
        r = request(base + "?since=2999-01-01T00:00:00Z", key=self.aud).json()
        self.assertEqual(r, {"entries": [], "more": False})
        # actor and since together
        r = request(base + "?actor=ana&since=" + t, key=self.aud).json()
        self.assertTrue(all(e["actor"] == "ana" and e["time"] >= t
                            for e in r["entries"]))
        # bad filters
        for q, msg in (("limit=0", "'limit' is not a positive integer"),
                       ("limit=x", "'limit' is not a positive integer"),
                       ("after=-1", "'after' is not an entry number"),
                       ("since=yesterday", "'since' is not a timestamp")):
            r = request(base + "?" + q, key=self.aud)
            self.assertEqual((r.status, r.json()["description"]), (400, msg),
                             q)
        # a limit above 1000 is cut to 1000
        r = request(base + "?limit=5000", key=self.aud).json()
        self.assertFalse(r["more"])
        # every read of the log is itself on record, with its filter
        reads = [e for e in self.log(actor="aud")
                 if e["action"] == "audit.read"]
        self.assertIn("ana", [e["target"] for e in reads])

    def test_purpose_is_recorded_for_every_kind_of_request(self):
        cid = self.collection_id("community")
        h = {"X-Vigil-Purpose": "investigation 7"}
        request(self.server.root + "collections/", key=self.ana, headers=h)
        request(self.server.root + "collections/%s/manifest/" % cid,
                key=self.ana, headers=h)
        request(self.server.base + "/api/v1/audit?limit=1", key=self.aud,
                headers=h)
        e = [x for x in self.log() if x["purpose"] == "investigation 7"]
        self.assertEqual([x["action"] for x in e],
                         ["collections.read", "manifest.read", "audit.read"])
        r = request(self.server.root, key=self.ana,
                    headers={"X-Vigil-Purpose": "x" * 501})
        self.assertEqual((r.status, r.json()["description"]),
                         (400, "X-Vigil-Purpose is longer than 500 "
                               "characters"))


class Injection(HubCase):
    """Outside data never breaks out of its field of an audit entry: the
    two requests that once made the log invalid JSON and forged an entry
    (security issue, item 4), through the real server."""

    def setUp(self):
        super().setUp()
        self.vigil("user", "add", "aud", "--org", "hub", "--role",
                   "auditor", check=0)
        self.aud = self.new_key("aud")

    log = Actions.log

    FORGE = ("/%22%7D,%22actor%22:%22hubadmin%22,%22org%22:1,"
             "%22action%22:%22object.delete%22,%22z%22:%7B%22a%22:%22")

    def raw_get(self, path, headers=None):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                          timeout=30)
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        r.read()
        conn.close()
        return r.status

    def test_paths_and_names_cannot_forge_or_break_entries(self):
        for path in ("/taxii2/%22x%22y", self.FORGE, "/%22", "/%FF%FE%5C",
                     "/a%0Ab%1B[31mc%E2%80%A8d"):
            self.assertEqual(self.raw_get(path), 401, path)
        # a Basic user name with quotes and a control byte
        import base64
        auth = base64.b64encode(b'ev"il\x01:key').decode()
        self.assertEqual(self.raw_get("/taxii2/", {"Authorization":
                                                   "Basic " + auth}), 401)
        # the API's pages and the CLI's JSON parse, with the intended keys
        entries = self.log()
        cli = json.loads(self.vigil("audit", "show", "--json",
                                    check=0).out)["entries"]
        keys = {"seq", "time", "actor", "org", "action", "target", "detail",
                "source", "purpose", "auth"}
        for e in entries:
            self.assertEqual(set(e), keys)
        for e in cli:
            self.assertEqual(set(e), keys | {"hash"})
        fails = [e for e in entries if e["action"] == "auth.fail"]
        self.assertEqual([e["detail"]["path"] for e in fails], [
            '/taxii2/"x"y',
            '/"},"actor":"hubadmin","org":1,"action":"object.delete",'
            '"z":{"a":"',
            '/"',
            "/\ufffd\ufffd\\",
            "/a\nb\x1b[31mc\u2028d",
            "/taxii2/"])
        for e in fails:
            self.assertEqual((e["actor"], e["org"]), ("-", 0))
        self.assertEqual(fails[-1]["target"], 'ev"il\x01')
        self.assertNotIn("hubadmin", [e["actor"] for e in entries])
        self.assertNotIn("object.delete", [e["action"] for e in entries])
        # the text listing keeps one entry on one line
        text = self.vigil("audit", "show", check=0).out
        self.assertEqual(len(text.splitlines()), len(cli) + 1)
        self.assertTrue(self.vigil("audit", "verify",
                                   check=0).out.startswith("audit log intact"))


class PurposeRequired(HubCase):
    server_args = ("--set", "purpose_required=true")

    def test_reads_need_a_purpose(self):
        url = self.server.root + "collections/community/objects/"
        r = request(url, key=self.admin_key)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json(), {
            "title": "purpose required",
            "description": "this hub requires an X-Vigil-Purpose header on "
                           "every read and screening",
            "http_status": "400"})
        # an empty purpose is no purpose
        r = request(url, key=self.admin_key, headers={"X-Vigil-Purpose": ""})
        self.assertEqual(r.status, 400)
        r = request(url, key=self.admin_key,
                    headers={"X-Vigil-Purpose": "screening flight XY123"})
        self.assertEqual(r.status, 200, r.body)
        # writes do not need one
        r = request(url, "POST", key=self.admin_key,
                    body='{"objects":[]}')
        self.assertEqual(r.status, 202, r.body)
        # /healthz is not a read of anything
        self.assertEqual(request(self.server.base + "/healthz").status, 200)
        out = self.vigil("audit", "show", "--json", check=0).json()["entries"]
        reads = [e for e in out if e["action"] == "objects.read"]
        self.assertEqual([e["purpose"] for e in reads],
                         ["screening flight XY123"])


HEAD_LINE = re.compile(r"^([1-9][0-9]*) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) "
                       r"([0-9a-f]{64}) ([0-9a-f]{128})\n$")
INTACT_HEADS = ("audit log intact: %d entries, %d signed checkpoints verified, "
                "%d heads of '%s' found\n")


class Checkpoints(VigilCase):
    """vigil serve signs checkpoints by itself, after checkpoint_entries
    entries or checkpoint_seconds seconds; each head goes to the heads file
    too, so that `audit verify --heads` finds a log cut after it even when
    the checkpoints in the store were deleted with it. The signing key may
    live elsewhere, and is refused when others may read it."""

    def setUp(self):
        super().setUp()
        r = self.vigil("key", "new", "--user", "admin", "--json", check=0)
        self.key = r.json()["key"]          # entries: hub.create, key.new
        self.home = store_home(self.tmp)    # its key, its heads file
        self.heads = os.path.join(self.home, "audit-heads.log")
        self.server = None

    def tearDown(self):
        if self.server:
            code, err = self.server.stop()
            self.assertEqual(code, 0, err)
        super().tearDown()

    def serve(self, *settings):
        args = []
        for kv in settings:
            args += ["--set", kv]
        self.server = Server(self.data, *args)

    def stop(self):
        code, err = self.server.stop()
        self.server = None
        self.assertEqual(code, 0, err)
        return err

    def reads(self, n):
        """n requests, one audit entry each (discovery.read)."""
        for _ in range(n):
            r = request(self.server.base + "/taxii2/", key=self.key)
            self.assertEqual(r.status, 200, r.body)

    def head_lines(self, path=None):
        try:
            with open(path or self.heads, encoding="ascii") as f:
                return f.readlines()
        except FileNotFoundError:
            return []

    def wait_heads(self, n, seconds=8):
        """The heads file once it holds n lines (the server checks once a
        second)."""
        deadline = time.time() + seconds
        while len(self.head_lines()) < n and time.time() < deadline:
            time.sleep(0.1)
        lines = self.head_lines()
        self.assertEqual(len(lines), n, lines)
        return lines

    def entry(self, seq):
        (row,) = store_sql(self.data, "SELECT actor, action, target, detail,"
                                      " source, %s, ts FROM audit WHERE"
                                      " seq=%d" % (hexed("hash"), seq))
        return row[:6] + (int(row[6]),)

    def checkpoints(self, data=None):
        rows = store_sql(data or self.data,
                         "SELECT seq, %s, ts, %s FROM checkpoints ORDER BY"
                         " seq" % (hexed("head"), hexed("sig")))
        return [(int(r[0]), r[1], int(r[2]), r[3]) for r in rows]

    def assert_head(self, line, seq):
        """line is the head of the store's checkpoint at seq, exactly."""
        m = HEAD_LINE.match(line)
        self.assertTrue(m, line)
        cps = {c[0]: c for c in self.checkpoints()}
        self.assertIn(seq, cps)
        _, head, ts, sig = cps[seq]
        self.assertEqual(int(m.group(1)), seq)
        us = ts % 1000000
        self.assertEqual(m.group(2), time.strftime(
            "%Y-%m-%dT%H:%M:%S", time.gmtime(ts // 1000000)) + ".%06dZ" % us)
        self.assertEqual(m.group(3), head.lower())
        self.assertEqual(m.group(4), sig.lower())
        # the head is the hash of the checkpoint's own entry
        self.assertEqual(self.entry(seq)[5], head)

    def assert_auto(self, seq, trigger):
        self.assertEqual(self.entry(seq)[:5], (
            CLI_ACTOR, "audit.checkpoint", "",
            '{"trigger":"%s"}' % trigger, "server"))

    def verify(self, *args, data=None):
        r = self.vigil("audit", "verify", *args, data=data)
        return r.code, r.out, r.err

    def test_automatic_checkpoints_by_count(self):
        self.serve("checkpoint_entries=5", "checkpoint_seconds=0")
        self.reads(3)                        # entries 3-5
        lines = self.wait_heads(1)           # 6: the checkpoint
        self.assert_head(lines[0], 6)
        self.assert_auto(6, "entries")
        self.reads(4)                        # 7-10: not yet 5 since 6
        time.sleep(1.5)
        self.assertEqual(len(self.head_lines()), 1)
        self.reads(1)                        # 11
        lines = self.wait_heads(2)           # 12
        self.assertEqual(lines[0], self.head_lines()[0])  # never rewritten
        self.assert_head(lines[1], 12)
        self.assert_auto(12, "entries")
        self.assertEqual([c[0] for c in self.checkpoints()], [6, 12])
        self.stop()
        # the CLI appends its checkpoints to the same file
        r = self.vigil("audit", "checkpoint", check=0)
        self.assertEqual(r.out, "signed checkpoint at entry 13\n")
        lines = self.head_lines()
        self.assertEqual(len(lines), 3)
        self.assert_head(lines[2], 13)
        self.assertEqual(self.entry(13)[:5], (CLI_ACTOR, "audit.checkpoint",
                                              "", "{}", "cli"))
        self.assertEqual(self.verify("--heads", self.heads),
                         (0, INTACT_HEADS % (13, 3, 3, self.heads), ""))
        r = self.vigil("audit", "verify", "--heads", self.heads, "--json",
                       check=0)
        self.assertEqual(r.json(), {"ok": True, "entries": 13,
                                    "checkpoints": 3, "heads": 3})
        # without --heads, as before
        self.assertEqual(self.verify(), (0, INTACT % (13, 3), ""))

    def test_automatic_checkpoints_by_time(self):
        self.serve("checkpoint_entries=0", "checkpoint_seconds=1")
        self.reads(1)                        # 3
        lines = self.wait_heads(1)           # 4, a second or two later
        self.assert_head(lines[0], 4)
        self.assert_auto(4, "seconds")
        # nothing new since: no checkpoint of a checkpoint
        time.sleep(2.5)
        self.assertEqual(len(self.head_lines()), 1)
        self.reads(1)                        # 5
        lines = self.wait_heads(2)           # 6
        self.assert_head(lines[1], 6)
        self.assert_auto(6, "seconds")
        self.stop()
        self.assertEqual(self.verify("--heads", self.heads),
                         (0, INTACT_HEADS % (6, 2, 2, self.heads), ""))

    def test_defaults_sign_nothing_on_a_quiet_start(self):
        """The defaults (10,000 entries, 300 s) count from the start: a
        short run signs nothing, and the heads file is made at once."""
        self.serve()
        self.reads(3)
        time.sleep(1.5)
        err = self.stop()
        self.assertEqual(self.head_lines(), [])
        self.assertTrue(os.path.exists(self.heads))
        self.assertEqual(self.checkpoints(), [])
        # the operator is told where the heads go, and why that is weak
        self.assertIn("vigil serve: note: checkpoint heads go to '%s', in "
                      "the data directory, where whoever can cut the log can "
                      "cut them too: set checkpoint_heads to a file on "
                      "another disk or an append-only one\n" % self.heads,
                      err)

    def cut_log(self):
        """Checkpoints at 6 and 12 (by count), entries up to 14; the server
        stopped."""
        self.serve("checkpoint_entries=5", "checkpoint_seconds=0")
        self.reads(3)
        self.wait_heads(1)
        self.reads(5)
        self.wait_heads(2)
        self.reads(2)                        # 13, 14
        self.stop()
        self.assertEqual(self.verify("--heads", self.heads),
                         (0, INTACT_HEADS % (14, 2, 2, self.heads), ""))

    def copy(self, name):
        return store_copy(self.data, self.tmp, name)

    def test_truncation_after_the_last_checkpoint_is_found_with_heads(self):
        self.cut_log()
        # the tail from entry 10 and the checkpoint that signed it deleted:
        # the store alone still looks whole
        data = self.copy("cut")
        sql(data, "DELETE FROM audit WHERE seq >= 10; "
                  "DELETE FROM checkpoints WHERE seq >= 10")
        self.assertEqual(self.verify(data=data), (0, INTACT % (9, 1), ""))
        msg = ("entry 10: removed (truncated after the checkpoint of %s "
               "line 2)" % self.heads)
        self.assertEqual(self.verify("--heads", self.heads, data=data),
                         (1, "audit log NOT intact: %s\n" % msg, ""))
        r = self.vigil("audit", "verify", "--heads", self.heads, "--json",
                       data=data)
        self.assertEqual((r.code, r.json()), (1, {
            "ok": False, "entries": 9, "error": msg}))
        # every entry after the first checkpoint gone
        data = self.copy("cut-all")
        sql(data, "DELETE FROM audit WHERE seq > 6; "
                  "DELETE FROM checkpoints WHERE seq > 6")
        self.assertEqual(self.verify("--heads", self.heads, data=data), (
            1, "audit log NOT intact: entry 7: removed (truncated after the "
               "checkpoint of %s line 2)\n" % self.heads, ""))
        # only the checkpoint deleted: the line names it
        data = self.copy("no-checkpoint")
        sql(data, "DELETE FROM checkpoints WHERE seq = 12")
        self.assertEqual(self.verify("--heads", self.heads, data=data), (
            1, "audit log NOT intact: checkpoint at entry 12: removed from the "
               "store (%s line 2 holds it)\n" % self.heads, ""))

    def test_rewritten_chain_is_caught_by_the_heads(self):
        """Entry 4 changed, every hash after it recomputed and the
        store's checkpoints deleted: the chain holds, the heads do not."""
        self.cut_log()
        data = self.copy("rewritten")
        sql(data, "UPDATE audit SET target='eve' WHERE seq=4; "
                  "DELETE FROM checkpoints")
        rechain(data)
        self.assertEqual(self.verify(data=data), (0, INTACT % (14, 0), ""))
        self.assertEqual(self.verify("--heads", self.heads, data=data), (
            1, "audit log NOT intact: entry 6: changed since the checkpoint "
               "of %s line 1\n" % self.heads, ""))

    def test_a_forged_or_broken_heads_line_is_named(self):
        self.cut_log()
        lines = self.head_lines()
        forged = lines[1][:-10] + ("0" if lines[1][-10] != "0" else "1") + \
            lines[1][-9:]
        path = self.write("forged.log", lines[0] + forged)
        self.assertEqual(self.verify("--heads", path), (
            1, "audit log NOT intact: %s line 2: the signature of the "
               "checkpoint at entry 12 is not the hub's\n" % path, ""))
        # a head moved to another entry is not signed for it
        path = self.write("moved.log", "7" + lines[0][1:])
        self.assertEqual(self.verify("--heads", path), (
            1, "audit log NOT intact: %s line 1: the signature of the "
               "checkpoint at entry 7 is not the hub's\n" % path, ""))
        path = self.write("broken.log", lines[0] + "\n" + lines[1] +
                          "12 yesterday\n")
        self.assertEqual(self.verify("--heads", path), (
            1, "audit log NOT intact: %s line 4: not a checkpoint head "
               "(expected SEQ TIME HEAD SIGNATURE)\n" % path, ""))
        # lines copied from the syslog are heads too
        path = self.write("syslog.log", "".join(
            "Jan  1 00:00:00 hub vigil: audit checkpoint head: " + ln
            for ln in lines))
        self.assertEqual(self.verify("--heads", path),
                         (0, INTACT_HEADS % (14, 2, 2, path), ""))
        missing = os.path.join(self.tmp, "missing.log")
        self.assertEqual(self.verify("--heads", missing), (
            3, "", "vigil: cannot read '%s': No such file or directory\n"
                   % missing))

    def test_public_key_kept_elsewhere(self):
        ((pk,),) = store_sql(self.data,
                             "SELECT value FROM hub WHERE key='hub.sign_pk'")
        self.assertEqual(self.verify("--public-key", pk),
                         (0, INTACT % (2, 0), ""))
        other = "00" * 32
        self.assertEqual(self.verify("--public-key", other), (
            1, "audit log NOT intact: the hub's public key in the store is "
               "not the one given\n", ""))
        r = self.vigil("audit", "verify", "--public-key", "abc")
        self.assertEqual(r.code, 2)
        self.assertIn("--public-key 'abc' is not 64 hex digits", r.err)

    def test_signing_key_in_another_directory(self):
        keys = os.path.join(self.tmp, "keys")
        os.mkdir(keys, 0o700)
        key = os.path.join(keys, "hub.key")
        first, first_home = self.data, self.home
        data = store_location(self.tmp, "other")
        home = store_home(self.tmp, "other")
        r = self.vigil("init", "--signing-key", key, "--json", data=data,
                       check=0)
        out = r.json()
        self.assertEqual(out["signing_key"], key)
        self.assertRegex(out["public_key"], "^[0-9a-f]{64}$")
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        self.assertFalse(os.path.exists(os.path.join(home, "hub-signing.key")))
        with open(os.path.join(home, "vigil.conf")) as f:
            self.assertEqual(f.read(), "# the audit signing key, kept outside "
                             "the data directory (vigil init)\n"
                             "signing_key = %s\n" % key)
        # the key is the hub's: checkpoints by the CLI and by the server
        self.assertEqual(self.vigil("audit", "checkpoint", data=data,
                                    check=0).out,
                         "signed checkpoint at entry 2\n")
        self.data, self.heads = data, os.path.join(home, "audit-heads.log")
        self.key = self.vigil("key", "new", "--user", "admin", "--json",
                              check=0).json()["key"]               # 3
        self.serve("checkpoint_entries=3", "checkpoint_seconds=0")
        self.reads(2)                                              # 4, 5
        lines = self.wait_heads(2)                                 # 6
        self.assert_head(lines[1], 6)
        self.stop()
        self.assertEqual(self.verify("--heads", self.heads, "--public-key",
                                     out["public_key"], data=data),
                         (0, INTACT_HEADS % (6, 2, 2, self.heads), ""))
        # a key file that exists is never overwritten, and no hub is made
        with open(key) as f:
            before = f.read()
        third = store_location(self.tmp, "third")
        r = self.vigil("init", "--signing-key", key, data=third)
        self.assertEqual((r.code, r.out, r.err), (
            3, "", "vigil: cannot create the hub: cannot write the signing "
                   "key '%s': it exists already\n" % key))
        with open(key) as f:
            self.assertEqual(f.read(), before)
        self.assertFalse(os.path.exists(
            os.path.join(store_home(self.tmp, "third"), "vigil.conf")))
        # and another hub's key is not this one's
        env = dict(os.environ, VIGIL_KEY_DIR=first_home)
        p = subprocess.run([VIGIL, "--data", first, "audit", "checkpoint"],
                           env=env, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        env["VIGIL_SIGNING_KEY"] = key
        p = subprocess.run([VIGIL, "--data", first,
                            "audit", "checkpoint"], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (
            3, "", "vigil: the signing key '%s' is not this hub's (its public "
                   "key is not the store's)\n" % key))

    def test_a_key_open_to_others_is_refused(self):
        key = os.path.join(self.home, "hub-signing.key")
        for mode, what in ((0o644, "read"), (0o640, "read"),
                           (0o620, "changed"), (0o604, "read")):
            os.chmod(key, mode)
            msg = ("the hub's signing key '%s' may be %s by group or others "
                   "(mode %04o): chmod 600 it" % (key, what, mode))
            r = self.vigil("audit", "checkpoint")
            self.assertEqual((r.code, r.out, r.err), (3, "", "vigil: %s\n" % msg))
            # the server does not start with it
            p = subprocess.run([VIGIL, "--data", self.data, "serve", "--listen",
                                "127.0.0.1:0"], capture_output=True,
                               text=True, timeout=60)
            self.assertEqual((p.returncode, p.stdout, p.stderr),
                             (3, "", "vigil serve: %s\n" % msg))
        self.assertEqual(self.head_lines(), [])
        self.assertEqual(self.checkpoints(), [])
        os.chmod(key, 0o400)
        self.assertEqual(self.vigil("audit", "checkpoint", check=0).out,
                         "signed checkpoint at entry 3\n")

    def test_heads_file_that_cannot_be_written(self):
        bad = os.path.join(self.tmp, "no-such-dir", "heads.log")
        p = subprocess.run([VIGIL, "--data", self.data, "serve", "--listen",
                            "127.0.0.1:0", "--set", "checkpoint_heads=" + bad],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (
            3, "", "vigil serve: cannot append to the checkpoint heads file "
                   "'%s': No such file or directory\n" % bad))
        # the CLI signs, and says the head is not in the file, with the line
        env = dict(os.environ, VIGIL_CHECKPOINT_HEADS=bad)
        p = subprocess.run([VIGIL, "--data", self.data, "audit",
                            "checkpoint"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout), (3, ""))
        (line,) = [c for c in self.checkpoints()]
        self.assertRegex(p.stderr, "^vigil: checkpoint at entry 3 is signed, "
                         "but its head could not be appended to '%s' \\(No "
                         "such file or directory\\); the line is: 3 .{27} "
                         "%s %s\n$" % (re.escape(bad), line[1].lower(),
                                        line[3].lower()))
        # somewhere else, by the setting: no note about the data directory
        elsewhere = os.path.join(self.tmp, "heads.log")
        self.serve("checkpoint_heads=" + elsewhere)
        err = self.stop()
        self.assertNotIn("note:", err)
        self.assertTrue(os.path.exists(elsewhere))

    def test_settings_are_checked(self):
        for kv, msg in (
                ("checkpoint_entries=-1", "'checkpoint_entries': '-1' is not "
                 "a number from 0 to 1000000000"),
                ("checkpoint_seconds=86401", "'checkpoint_seconds': '86401' "
                 "is not a number from 0 to 86400"),
                ("checkpoint_syslog=maybe", "'checkpoint_syslog': 'maybe' is "
                 "not true or false")):
            r = self.vigil("serve", "--set", kv)
            self.assertEqual((r.code, r.err), (3, "vigil: --set: %s\n" % msg))
        # with both off, the server needs no key
        os.remove(os.path.join(self.home, "hub-signing.key"))
        self.serve("checkpoint_entries=0", "checkpoint_seconds=0")
        self.reads(1)
        self.stop()
        self.assertFalse(os.path.exists(self.heads))


if __name__ == "__main__":
    main()
