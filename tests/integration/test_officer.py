"""The screening officer's daily workflow (issue 9, items 11-14) through the
real binary and the real server: `vigil screen`'s exit status, runs
listed with their hits by state, a run shown as a table, false-positive
dispositions remembered as suppressions (and withdrawn, and outdated by a
new entry version), the hits of one person on two lists grouped into one,
and the same over /api/v1/screen. Small lists of fictional people keep it
fast; test_screening.py does the same on the UN and OFAC lists."""
import json
import os
import re

from vigiltest import HubCase, VigilCase, main, request

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
BAD_CSV = os.path.join(DATA, "screen-bad.csv")


def person(ref, first, second, dob, doc=None, nat=None, alias=None):
    """One individual of a UN-format list."""
    extra = ""
    if alias:
        extra += ("<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>%s"
                  "</ALIAS_NAME></INDIVIDUAL_ALIAS>" % alias)
    if nat:
        extra += "<NATIONALITY><VALUE>%s</VALUE></NATIONALITY>" % nat
    if doc:
        extra += ("<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport"
                  "</TYPE_OF_DOCUMENT><NUMBER>%s</NUMBER>"
                  "</INDIVIDUAL_DOCUMENT>" % doc)
    return """
    <INDIVIDUAL>
      <DATAID>%d</DATAID>
      <FIRST_NAME>%s</FIRST_NAME>
      <SECOND_NAME>%s</SECOND_NAME>
      <UN_LIST_TYPE>Test</UN_LIST_TYPE>
      <REFERENCE_NUMBER>%s</REFERENCE_NUMBER>
      %s
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>
        <DATE>%s</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>""" % (800000 + ord(ref[1]) * 1000 + int(ref[-3:]), first,
                         second, ref, extra, dob)


def un_list(*people):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>'
            "<INDIVIDUALS>%s</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n"
            % "".join(people))


# two lists that know the same two people: by passport, and by name and
# date of birth; and one person only list one knows
LIST_A = un_list(
    person("TAi.901", "VALDIS", "KORSAKOV", "1979-05-14", doc="LV4410276"),
    person("TAi.902", "GRETA", "HALVORSEN", "1966-02-03"),
    person("TAi.903", "ORSON", "KETTLEWELL", "1958-09-30"))
LIST_B = un_list(
    person("TBi.101", "VALDIS", "KORSAKOVS", "1980-01-01", doc="LV 4410276"),
    person("TBi.102", "GRETA", "HALVORSEN", "1966-02-03"))

TRAVELLERS = ("surname,given_names,date_of_birth,document_number\n"
              "KORSAKOV,Valdis,1979-05-14,X9\n"
              "HALVORSEN,Greta,1966-02-03,N0112233\n"
              "LINDQVIST,Sofia,2001-09-09,S55\n")
NOBODY = "surname,given_names,date_of_birth\nLINDQVIST,Sofia,2001-09-09\n"
BAD_NOBODY = ("surname,given_names,date_of_birth\n"
              "LINDQVIST,Sofia,2001-13-09\n")


class Lists(VigilCase):
    def setUp(self):
        super().setUp()
        self.vigil("watchlist", "import", "--format", "un", "--list", "lista",
                   self.write("a.xml", LIST_A), check=0)
        self.vigil("watchlist", "import", "--format", "un", "--list", "listb",
                   self.write("b.xml", LIST_B), check=0)
        self.travellers = self.write("travellers.csv", TRAVELLERS)

    def screen(self, path, code=4):
        r = self.vigil("screen", "--json", path, check=code)
        return r.json()

    def audit(self, action):
        entries = self.vigil("audit", "show", "--json", check=0).json()
        return [e for e in entries["entries"] if e["action"] == action]


def refs(hit):
    return [hit["entry"]["reference_number"]] + [
        o["entry"]["reference_number"] for o in hit.get("same_person", [])]


class TestExitStatus(Lists):
    """Item 13: a documented code for hits, distinct from errors."""

    def test_codes(self):
        nobody = self.write("nobody.csv", NOBODY)
        bad = self.write("bad.csv", BAD_NOBODY)
        self.assertEqual(self.vigil("screen", nobody).code, 0)
        self.assertEqual(self.vigil("screen", bad).code, 1)
        self.assertEqual(self.vigil("screen", self.travellers).code, 4)
        both = self.write("both.csv", TRAVELLERS + "X,Y,1999-99-99,\n")
        self.assertEqual(self.vigil("screen", both).code, 5)
        self.assertEqual(self.vigil("screen").code, 2)
        r = self.vigil("screen", os.path.join(self.tmp, "missing.edi"))
        self.assertEqual(r.code, 3)
        self.assertEqual(r.err, "vigil: cannot read '%s': No such file or "
                         "directory\n" % os.path.join(self.tmp, "missing.edi"))
        r = self.vigil("screen", self.tmp)
        self.assertEqual((r.code, r.err), (3, "vigil: cannot read '%s': Is a "
                                           "directory\n" % self.tmp))
        self.assertIn("exit status: 0 no hit", self.vigil(
            "screen", "--help").out)


class TestSamePerson(Lists):
    """Item 14: one person on two lists is one hit with both entries."""

    def test_grouped(self):
        run = self.screen(self.travellers)
        self.assertEqual([(h["hit"], h["traveller"], refs(h))
                          for h in run["hits"]],
                         [(1, 0, ["TAi.901", "TBi.101"]),
                          (2, 1, ["TAi.902", "TBi.102"])])
        self.assertEqual([[o["because"] for o in h["same_person"]]
                          for h in run["hits"]],
                         [["document 'LV4410276'"],
                          ["name and date of birth"]])
        shown = self.vigil("screening", "show", run["run"], "--json",
                           check=0).json()
        self.assertEqual(shown["hits"], run["hits"])
        text = self.vigil("screen", self.travellers, check=4).out
        self.assertIn("same person: document 'LV4410276'", text)
        self.assertIn(" (csv), 2 hits at threshold 0.70; run", text)
        self.assertEqual(self.audit("screen.run")[-1]["detail"]["hits"], 2)


class TestSuppression(Lists):
    """Item 12: a false positive is not raised again for the same
    traveller and entry version; a new version raises it again."""

    def test_remembered_listed_withdrawn(self):
        first = self.screen(self.travellers)
        rid = first["run"]
        r = self.vigil("screening", "dispose", rid, "2", "false-positive",
                       "--note", "another Greta", check=0)
        self.assertEqual(r.out, "hit 2 of run %s: false-positive (remembered:"
                         " not raised again for this traveller and entry "
                         "version)\n" % rid)
        sups = self.vigil("screening", "suppressions", "--json",
                          check=0).json()["suppressions"]
        greta = first["hits"][1]
        entries = [greta["entry"]] + [o["entry"] for o in
                                      greta["same_person"]]
        # one for each entry of the person, at the version hit
        self.assertEqual([(s["entry"], s["entry_version"]) for s in sups],
                         [(e["id"], e["version"]) for e in entries])
        self.assertEqual([(s["traveller"], s["run"], s["hit"], s["note"])
                          for s in sups],
                         [({"document": "N0112233", "name": "greta halvorsen",
                            "date_of_birth": "1966-02-03"}, rid, 2,
                           "another Greta")] * 2)
        self.assertTrue(sups[0]["by"].startswith("local:"))

        # the same traveller again: shown, suppressed, not a hit
        again = self.screen(self.travellers)
        greta = again["hits"][1]
        self.assertEqual(refs(greta), ["TAi.902", "TBi.102"])
        self.assertEqual(greta["suppressed"]["suppression"],
                         sups[0]["suppression"])
        self.assertEqual(greta["suppressed"]["by"], sups[0]["by"])
        self.assertNotIn("suppressed", again["hits"][0])
        text = self.vigil("screen", self.travellers, check=4).out
        self.assertIn("     suppressed, disposed false positive on %s by %s"
                      % (sups[0]["created"][:10], sups[0]["by"]), text)
        self.assertIn("2 hits at threshold 0.70 (1 suppressed); run", text)
        self.assertEqual(self.audit("screen.run")[-1]["detail"]["suppressed"],
                         1)
        # only suppressed hits: nothing to act on, exit 0
        greta_only = self.write("greta.csv", "surname,given_names,date_of_"
                                "birth,document_number\nHALVORSEN,Greta,"
                                "1966-02-03,N0112233\n")
        self.assertEqual(self.vigil("screen", greta_only).code, 0)
        # another traveller of the same name (another passport) is raised
        other = self.write("other.csv", "surname,given_names,date_of_birth,"
                           "document_number\nHALVORSEN,Greta,1966-02-03,"
                           "Q7\n")
        run = self.screen(other)
        self.assertNotIn("suppressed", run["hits"][0])

        # the table says so too
        table = self.vigil("screening", "show", again["run"], check=0).out
        self.assertRegex(table, r"\n2 +Greta HALVORSEN +GRETA HALVORSEN +"
                         r"lista +TAi\.902 +[01]\.\d\d  suppressed, disposed "
                         r"false positive on \d{4}-\d\d-\d\d by local:")
        # withdrawn: raised again
        ids = [s["suppression"] for s in sups]
        for i in ids:
            r = self.vigil("screening", "withdraw", str(i), check=0)
            self.assertEqual(r.out, "suppression %d withdrawn: later runs "
                             "raise its hits again\n" % i)
        r = self.vigil("screening", "withdraw", str(ids[0]), check=3)
        self.assertEqual(r.err, "vigil: no suppression %d in force ('vigil "
                         "screening suppressions' lists them)\n" % ids[0])
        self.assertEqual(self.vigil("screening", "suppressions",
                                    check=0).out,
                         "no suppression in force: a hit disposed as "
                         "false-positive makes one\n")
        listed = self.vigil("screening", "suppressions", "--all", "--json",
                            check=0).json()["suppressions"]
        self.assertEqual([bool(s.get("withdrawn_at")) for s in listed],
                         [True, True])
        self.assertNotIn("suppressed", self.screen(self.travellers)["hits"][1])
        self.assertEqual([e["detail"] for e in self.audit("screen.withdraw")],
                         [{}, {}, {"refused": "no such suppression"}])

    def test_new_entry_version_raises_it_again(self):
        rid = self.screen(self.travellers)["run"]
        self.vigil("screening", "dispose", rid, "2", "false-positive",
                   check=0)
        self.assertIn("suppressed", self.screen(self.travellers)["hits"][1])
        # list A's Greta gets an alias: a new version of her entry
        changed = LIST_A.replace(
            "<SECOND_NAME>HALVORSEN</SECOND_NAME>",
            "<SECOND_NAME>HALVORSEN</SECOND_NAME><INDIVIDUAL_ALIAS><QUALITY>"
            "Good</QUALITY><ALIAS_NAME>Greta Halvorsen-Berg</ALIAS_NAME>"
            "</INDIVIDUAL_ALIAS>")
        r = self.vigil("watchlist", "import", "--format", "un", "--list",
                       "lista", self.write("a2.xml", changed), "--json",
                       check=0)
        self.assertEqual(r.json()["updated"], 1)
        greta = self.screen(self.travellers)["hits"][1]
        self.assertEqual(sorted(refs(greta)), ["TAi.902", "TBi.102"])
        self.assertNotIn("suppressed", greta)

    def test_another_disposition_withdraws(self):
        rid = self.screen(self.travellers)["run"]
        self.vigil("screening", "dispose", rid, "2", "false-positive",
                   check=0)
        self.vigil("screening", "dispose", "last", "2", "confirmed", check=0)
        self.assertEqual(self.vigil("screening", "suppressions", "--json",
                                    check=0).json(), {"suppressions": []})
        details = [e["detail"] for e in self.audit("screen.dispose")]
        self.assertEqual(details[1], {"hit": 2, "disposition": "confirmed",
                                      "withdrawn": details[0][
                                          "suppressions"]})


class TestRunList(Lists):
    """Item 11: runs newest first, with their hits by state, filtered."""

    def test_list_and_filters(self):
        nobody = self.write("nobody.csv", NOBODY)
        a = self.screen(self.travellers)["run"]
        b = self.screen(nobody, code=0)["run"]
        c = self.screen(self.travellers)["run"]
        self.vigil("screening", "dispose", c, "1", "needs-review", check=0)
        self.vigil("screening", "dispose", c, "2", "confirmed", check=0)

        def runs(*args):
            return [r["run"] for r in self.vigil(
                "screening", "list", "--json", *args, check=0).json()["runs"]]
        listed = self.vigil("screening", "list", "--json", check=0).json()
        self.assertEqual([r["run"] for r in listed["runs"]], [c, b, a])
        self.assertEqual(listed["runs"][0]["by_state"],
                         {"open": 0, "confirmed": 1, "false-positive": 0,
                          "needs-review": 1, "suppressed": 0})
        self.assertEqual((listed["runs"][0]["travellers"],
                          listed["runs"][0]["hits"],
                          listed["runs"][0]["source"]),
                         (3, 2, self.travellers))
        self.assertEqual(runs("--open"), [a])
        self.assertEqual(runs("--needs-review"), [c])
        self.assertEqual(runs("--source", "nobody"), [b])
        self.assertEqual(runs("--limit", "1"), [c])
        self.assertEqual(runs("--since", "2000-01-01", "--until",
                              "2000-01-02"), [])
        self.assertEqual(runs("--since", "2000-01-01"), [c, b, a])
        text = self.vigil("screening", "list", check=0).out.splitlines()
        self.assertEqual(text[0].split(), ["run", "created", "trav", "hits",
                                           "open", "review", "conf", "fp",
                                           "supp", "source"])
        self.assertEqual(text[1].split()[0::1][2:9],
                         ["3", "2", "0", "1", "1", "0", "0"])
        r = self.vigil("screening", "list", "--since", "yesterday", check=2)
        self.assertIn("--since 'yesterday' is not a date", r.err)
        self.assertEqual(self.audit("screen.list")[0]["detail"], {"count": 3})

    def test_show_last_table(self):
        self.vigil("screening", "show", "last", check=3)
        rid = self.screen(self.travellers)["run"]
        out = self.vigil("screening", "show", "last", check=0).out
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^run %s, made \d{4}-\d\d-\d\dT[0-9:.]+Z "
                         r"by local:" % rid)
        self.assertEqual(lines[1], "%s (csv): 3 travellers, 2 hits at "
                         "threshold 0.70" % self.travellers)
        self.assertEqual(lines[3].split(), ["hit", "traveller", "entry",
                                            "list", "reference", "score",
                                            "state"])
        self.assertRegex(lines[4], r"^1 +Valdis KORSAKOV +VALDIS KORSAKOV +"
                         r"lista +TAi\.901 +1\.00  open$")
        self.assertRegex(lines[5], r"^ +VALDIS KORSAKOVS +listb +TBi\.101 +"
                         r"[01]\.\d\d  same person: document 'LV4410276'$")


class TestApi(HubCase):
    """Items 11 and 12 over /api/v1/screen, for one organisation's users."""

    def setUp(self):
        super().setUp()
        for args in (("org", "add", "Alpha"), ("org", "add", "Bravo"),
                     ("user", "add", "alice", "--org", "Alpha", "--role",
                      "analyst"),
                     ("user", "add", "arthur", "--org", "Alpha", "--role",
                      "reader"),
                     ("user", "add", "bob", "--org", "Bravo", "--role",
                      "analyst")):
            self.vigil(*args, check=0)
        self.keys = {u: self.new_key(u) for u in ("alice", "arthur", "bob")}
        self.vigil("watchlist", "import", "--format", "un", "--list", "lista",
                   self.write("a.xml", LIST_A), check=0)
        self.vigil("watchlist", "import", "--format", "un", "--list", "listb",
                   self.write("b.xml", LIST_B), check=0)

    def call(self, user, path, method="GET", body=None):
        return request(self.server.base + path, method, key=self.keys[user],
                       body=body, headers={"Accept": "application/json",
                                           "Content-Type": "text/csv"})

    def test_runs_and_suppressions(self):
        run = self.call("alice", "/api/v1/screen", "POST", TRAVELLERS).json()
        self.assertEqual([refs(h) for h in run["hits"]],
                         [["TAi.901", "TBi.101"], ["TAi.902", "TBi.102"]])
        mine = self.call("arthur", "/api/v1/screen")
        self.assertEqual(mine.status, 200, mine.body)
        self.assertEqual([r["run"] for r in mine.json()["runs"]], [run["run"]])
        self.assertEqual(mine.json()["more"], False)
        self.assertEqual(self.call("bob", "/api/v1/screen").json(),
                         {"runs": [], "more": False})
        r = self.call("alice", "/api/v1/screen?open=maybe")
        self.assertEqual(r.status, 400, r.body)
        r = self.call("alice", "/api/v1/screen?colour=red")
        self.assertEqual(r.json()["description"],
                         "'colour' is not a parameter of this endpoint")
        r = self.call("alice", "/api/v1/screen/last")
        self.assertEqual(r.json()["run"], run["run"])

        d = self.call("alice", "/api/v1/screen/%s/hits/2" % run["run"],
                      "POST", '{"disposition":"false-positive"}')
        self.assertEqual(d.json(), {"run": run["run"], "hit": 2})
        sups = self.call("arthur", "/api/v1/screen/suppressions").json()[
            "suppressions"]
        self.assertEqual([(s["hit"], s["by"], s["traveller"]["name"])
                          for s in sups],
                         [(2, "alice", "greta halvorsen")] * 2)
        self.assertEqual(self.call("bob", "/api/v1/screen/suppressions")
                         .json(), {"suppressions": []})
        # Bravo's runs are Bravo's: Alpha's disposition holds nothing back
        bravo = self.call("bob", "/api/v1/screen", "POST", TRAVELLERS).json()
        self.assertNotIn("suppressed", bravo["hits"][1])
        again = self.call("alice", "/api/v1/screen", "POST",
                          TRAVELLERS).json()
        self.assertEqual(again["hits"][1]["suppressed"]["by"], "alice")
        listed = self.call("alice", "/api/v1/screen?limit=1").json()
        self.assertEqual(([r["run"] for r in listed["runs"]],
                          listed["runs"][0]["by_state"]["suppressed"],
                          listed["more"]), ([again["run"]], 1, True))

        sid = sups[0]["suppression"]
        r = self.call("arthur", "/api/v1/screen/suppressions/%d" % sid,
                      "DELETE")
        self.assertEqual(r.status, 403, r.body)  # a reader does not write
        r = self.call("bob", "/api/v1/screen/suppressions/%d" % sid, "DELETE")
        self.assertEqual(r.status, 404, r.body)  # nor another organisation
        r = self.call("alice", "/api/v1/screen/suppressions/%d" % sid,
                      "DELETE")
        self.assertEqual(r.json(), {"suppression": sid, "withdrawn": True})
        r = self.call("alice", "/api/v1/screen/suppressions/%d" % sid,
                      "DELETE")
        self.assertEqual(r.status, 404, r.body)
        acts = [(e["actor"], e["action"], e["target"], e["detail"])
                for e in self.vigil("audit", "show", "--json", check=0)
                .json()["entries"] if e["action"] in
                ("screen.withdraw", "screen.suppressions")]
        self.assertEqual(acts, [
            ("arthur", "screen.suppressions", "", {"count": 2}),
            ("bob", "screen.suppressions", "", {"count": 0}),
            ("bob", "screen.withdraw", str(sid),
             {"refused": "no such suppression"}),
            ("alice", "screen.withdraw", str(sid), {}),
            ("alice", "screen.withdraw", str(sid),
             {"refused": "no such suppression"})])


if __name__ == "__main__":
    main()
