"""Screening end to end with the real binary and the real server: the UN
and OFAC lists imported as STIX identities (exact counts, re-import,
versioning and revocation), `vigil watchlist list`, `vigil match`,
`vigil screen` on CSV and PAXLST (exact hits, bad records), stored runs and
dispositions with their audit entries, and POST /api/v1/screen with the
access rule: a hit is only ever on an entry the caller may read.

The counts of the lists are those of tests/unit/test_watchlist.c (computed
apart from the C code by tests/unit/data/wl_counts.py); the hits of the
travel files in tests/integration/data/ were checked by hand: each listed
traveller is spelled differently from the list, and the fictional ones are
nobody's name on either list."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import uuid

from vigiltest import (SHARED, VIGIL, Server, main, raw_objects, request,
                       store_location)

UN_XML = os.path.join(SHARED, "data", "watchlists", "un",
                      "consolidated-2026-02-27.xml")
OFAC_DIR = os.path.join(SHARED, "data", "watchlists", "ofac")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
CSV = os.path.join(DATA, "screen-travellers.csv")
PAXLST = os.path.join(DATA, "screen-manifest.edi")
BAD_CSV = os.path.join(DATA, "screen-bad.csv")
PRIVATE_XML = os.path.join(DATA, "alpha-private-list.xml")
EXT = "extension-definition--6e1f1c8e-3b0a-5f21-9d4c-7a1b2c3d4e5f"

UN_RESULT = {"list": "un", "entries": 1003, "individuals": 730,
             "entities": 273, "others": 0, "added": 1003, "updated": 0,
             "unchanged": 0, "revoked": 0, "kept_revoked": 0}
OFAC_RESULT = {"list": "ofac", "entries": 8976, "individuals": 4620,
               "entities": 3673, "others": 683, "added": 8976, "updated": 0,
               "unchanged": 0, "revoked": 0, "kept_revoked": 0}

# (traveller index, list, reference number, score) of each file's hits
CSV_HITS = [
    (0, "un", "QDi.020", 1.0),      # AL-AHDAL, Muhammad Hamdi Mohamed Sadiq
    (0, "ofac", "6939", 0.907),    # the same man on the OFAC list
    (2, "un", "CDi.001", 0.9883),   # BADEGE, Erik (listed as Eric)
    (2, "ofac", "15718", 0.9583),
    (4, "un", "IQi.056", 1.0),      # TILFAH, Sajeda Khairallah
    (4, "ofac", "8198", 1.0),
]
PAXLST_HITS = [
    (0, "un", "QDi.184", 0.9592),   # ALFADHLI:MOHSIN:FADIL
    (0, "ofac", "8860", 0.9292),
    (2, "un", "TAi.118", 1.0),      # AKHUND:HAMEEDULLAH
]
BAD_HITS = [
    (1, "un", "IQi.056", 0.8967),   # TILFAH, Sajida (a bad date)
    (1, "ofac", "8198", 0.8967),
    (2, "un", "CDi.001", 1.0),      # BADEGE, Eric (a bad nationality)
    (2, "ofac", "15718", 1.0),
]
BAD_ERRORS = [
    "line 3, column 'date_of_birth': '1937-13-01' is not a date",
    "line 4: 3 fields, the header has 4",
    "line 5, column 'nationality': 'XX' is not a country",
]


def hit_keys(hits):
    """Every entry hit, the entries of one person (same_person) after the
    hit they belong to."""
    out = []
    for h in hits:
        out.append((h["traveller"], h["entry"]["list"],
                    h["entry"]["reference_number"], h["score"]))
        out += [(h["traveller"], o["entry"]["list"],
                 o["entry"]["reference_number"], o["score"])
                for o in h.get("same_person", [])]
    return out


def people(hits):
    """Each hit as the references of its entries, and why they are one
    person."""
    return [([h["entry"]["reference_number"]] +
             [o["entry"]["reference_number"] for o in h.get("same_person", [])],
             [o["because"] for o in h.get("same_person", [])]) for h in hits]


# issue 9, item 14: one person on two lists is one hit with both entries
CSV_PEOPLE = [(["QDi.020"], []), (["6939"], []),
              (["CDi.001", "15718"], ["name and date of birth"]),
              (["IQi.056", "8198"], ["name and date of birth"])]


def wl_ext(obj):
    return obj.get("extensions", {}).get(EXT)


def run_vigil(data, *args, stdin=None):
    return subprocess.run([VIGIL, "--data", data, *args], input=stdin,
                          capture_output=True, text=True, timeout=600)


class ListsCase(unittest.TestCase):
    """One hub for the class with the UN list and then the OFAC list
    imported; tests that change the store make their own."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-screening-")
        cls.data = store_location(cls.tmp)
        try:
            cls.check(run_vigil(cls.data, "init"))
            cls.un_out = cls.check(run_vigil(
                cls.data, "watchlist", "import", "--format", "un", UN_XML))
            cls.ofac_out = cls.check(run_vigil(
                cls.data, "watchlist", "import", "--format", "ofac",
                OFAC_DIR, "--json"))
        except BaseException:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def check(p, code=0):
        if p.returncode != code:
            raise AssertionError("exit %d, expected %d: %s%s" % (
                p.returncode, code, p.stdout, p.stderr))
        return p.stdout

    def vigil(self, *args, code=0, stdin=None):
        p = run_vigil(self.data, *args, stdin=stdin)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p

    def identities(self):
        out = self.vigil("export", "--type", "identity").stdout
        return json.loads(out)["objects"]

    def audit(self):
        return json.loads(self.vigil("audit", "show", "--json").stdout)[
            "entries"]


class TestImport(ListsCase):
    def test_import_output(self):
        self.assertEqual(self.un_out, "un: 1003 entries (730 individuals, 273 "
                         "entities, 0 other): added 1003, updated 0, "
                         "unchanged 0, revoked 0\n")
        self.assertEqual(json.loads(self.ofac_out), OFAC_RESULT)

    def test_identity_counts(self):
        """Every entry is an identity with the extension; names by quality,
        dates of birth and documents as tests/unit/test_watchlist.c."""
        want = {
            "un": {"entries": 1003, "individual": 730, "entity": 273,
                   "class individual": 730, "class organization": 273,
                   "primary": 1003, "good": 2137, "low": 615,
                   "original": 378, "dobs": 888, "docs": 448},
            "ofac": {"entries": 8976, "individual": 4620, "entity": 3673,
                     "vessel": 406, "aircraft": 277,
                     "class individual": 4620, "class organization": 3673,
                     "class unspecified": 683, "primary": 8976,
                     "good": 11910, "low": 2441, "dobs": 5124,
                     "docs": 3086},
        }
        got = {"un": {}, "ofac": {}}
        others = []
        for o in self.identities():
            x = wl_ext(o)
            if not x:
                others.append(o["name"])
                continue
            c = got[x["list"]]
            self.assertEqual(x["extension_type"], "property-extension")
            self.assertEqual(o["name"], x["names"][0]["full"])
            self.assertEqual(x["names"][0]["quality"], "primary")
            for k in ("entries", x["kind"], "class " + o["identity_class"]):
                c[k] = c.get(k, 0) + 1
            for n in x["names"]:
                c[n["quality"]] = c.get(n["quality"], 0) + 1
            c["dobs"] = c.get("dobs", 0) + len(x.get("dates_of_birth", []))
            c["docs"] = c.get("docs", 0) + len(x.get("documents", []))
        self.assertEqual(got, want)
        # the hub's own identity and the extension's definer
        self.assertEqual(sorted(others), ["hub", "vigil"])

    def test_one_entry_exact(self):
        objs = [o for o in self.identities()
                if (wl_ext(o) or {}).get("reference_number") == "QDi.184"]
        self.assertEqual(len(objs), 1)
        x = wl_ext(objs[0])
        self.assertEqual(x["list"], "un")
        self.assertEqual(x["kind"], "individual")
        self.assertEqual([(n["full"], n["quality"]) for n in x["names"]], [
            ("MUHSIN FADHIL AYED ASHOUR AL-FADHLI", "primary"),
            ("\u0645\u062d\u0633\u0646 \u0641\u0627\u0636\u0644 "
             "\u0639\u0627\u064a\u062f \u0639\u0627\u0634\u0648\u0631 "
             "\u0627\u0644\u0641\u0636\u0644\u064a", "original"),
            ("Muhsin Fadhil \u2018Ayyid al Fadhli", "good"),
            ("Muhsin Fadil Ayid Ashur al Fadhli", "good"),
            ("Abu Majid Samiyah", "good"),
            ("Abu Samia", "good")])
        self.assertEqual(x["dates_of_birth"],
                         [{"kind": "exact", "date": "1981-04-24"}])
        self.assertEqual(x["nationalities"], ["KW"])

    def test_watchlist_list_json(self):
        updated = {}
        for o in self.identities():
            x = wl_ext(o)
            if x:
                updated[x["list"]] = max(updated.get(x["list"], ""),
                                         o["modified"])
        out = self.vigil("watchlist", "list", "--json").stdout
        self.assertEqual(json.loads(out), {"lists": [
            {"list": "ofac", "entries": 8976, "individuals": 4620,
             "entities": 3673, "others": 683, "revoked": 0,
             "updated": updated["ofac"]},
            {"list": "un", "entries": 1003, "individuals": 730,
             "entities": 273, "others": 0, "revoked": 0,
             "updated": updated["un"]}]})
        text = self.vigil("watchlist", "list").stdout.splitlines()
        self.assertEqual(text[0].split(), ["list", "entries", "individuals",
                                           "entities", "other", "revoked",
                                           "updated"])
        self.assertEqual([l.split() for l in text[1:]], [
            ["ofac", "8976", "4620", "3673", "683", "0", updated["ofac"]],
            ["un", "1003", "730", "273", "0", "0", updated["un"]]])

    def test_import_audited(self):
        entries = [e for e in self.audit()
                   if e["action"] == "watchlist.import"]
        self.assertEqual([(e["target"], e["detail"]) for e in entries], [
            (UN_XML, {"list": "un", "format": "un", "entries": 1003,
                      "added": 1003, "updated": 0, "unchanged": 0,
                      "revoked": 0}),
            (OFAC_DIR, {"list": "ofac", "format": "ofac", "entries": 8976,
                        "added": 8976, "updated": 0, "unchanged": 0,
                        "revoked": 0})])


class TestMatch(ListsCase):
    def match(self, name, *args):
        return json.loads(self.vigil("match", name, "--json", *args).stdout)

    def test_primary_name(self):
        hits = self.match("MOHAMMAD HAMDI MOHAMMAD SADIQ AL-AHDAL")["hits"]
        self.assertEqual(hits[0]["entry"]["list"], "un")
        self.assertEqual(hits[0]["entry"]["reference_number"], "QDi.020")
        self.assertEqual(hits[0]["score"], 1.0)
        ex = hits[0]["explanation"]
        self.assertEqual(ex["entry_name_quality"], "primary")
        self.assertEqual([(p["query"], p["entry"], p["how"])
                          for p in ex["parts"]],
                         [("mohammad", "mohammad", "exact"),
                          ("hamdi", "hamdi", "exact"),
                          ("mohammad", "mohammad", "exact"),
                          ("sadiq", "sadiq", "exact"),
                          ("ahdal", "ahdal", "exact")])
        self.assertEqual(hits[0]["entry"]["names"][0],
                         "MOHAMMAD HAMDI MOHAMMAD SADIQ AL-AHDAL")

    def test_alias(self):
        hits = self.match("Abu Majid Samiyah")["hits"]
        self.assertEqual([(h["entry"]["list"], h["entry"]["reference_number"],
                           h["score"], h["explanation"]["entry_name"],
                           h["explanation"]["entry_name_quality"])
                          for h in hits[:2]],
                         [("un", "QDi.184", 1.0, "Abu Majid Samiyah", "good"),
                          ("ofac", "8860", 1.0, "ABU MAJID SAMIYAH", "good")])

    def test_original_script(self):
        name = ("\u0633\u0627\u062c\u062f\u0629 \u062e\u064a\u0631 "
                "\u0627\u0644\u0644\u0647 \u0637\u0644\u0641\u0627\u062d")
        hits = self.match(name)["hits"]
        self.assertEqual(hits[0]["entry"]["list"], "un")
        self.assertEqual(hits[0]["entry"]["reference_number"], "IQi.056")
        self.assertEqual(hits[0]["score"], 1.0)
        self.assertEqual(hits[0]["explanation"]["entry_name_quality"],
                         "original")
        # the OFAC entry has no Arabic script: matched on the skeletons
        self.assertEqual((hits[1]["entry"]["list"],
                          hits[1]["entry"]["reference_number"]),
                         ("ofac", "8198"))
        self.assertIn("skeleton", [p["how"] for p in
                                   hits[1]["explanation"]["parts"]])

    def test_spelling_variant_with_dob(self):
        hits = self.match("Mohsin Fadil Al-Fadhli", "--dob", "1981-04-24",
                          "--nationality", "Kuwait")["hits"]
        self.assertEqual((hits[0]["entry"]["list"],
                          hits[0]["entry"]["reference_number"]),
                         ("un", "QDi.184"))
        kinds = [q["kind"] for q in hits[0]["explanation"]["qualifiers"]]
        self.assertEqual(kinds, ["dob", "nationality"])

    def test_particle_not_a_miss(self):
        # issue 9, item 2: "bin" counted as an unmatched word and the
        # Taliban leader (UN TAi.004, MOHAMMED OMAR GHULAM NABI, born 1960)
        # was not found; the particle is now ignored, and said to be
        hits = self.match("Mohamed bin Omar", "--dob", "1960",
                          "--nationality", "AF")["hits"]
        self.assertEqual((hits[0]["entry"]["list"],
                          hits[0]["entry"]["reference_number"]),
                         ("un", "TAi.004"))
        self.assertEqual(hits[0]["score"], 0.7767)
        self.assertIn(("bin", "", "ignored"),
                      [(p["query"], p["entry"], p["how"])
                       for p in hits[0]["explanation"]["parts"]])

    def test_fictional_name(self):
        self.assertEqual(self.match("Ingrid Vasquez Tolberg"), {"hits": []})
        out = self.vigil("match", "Ingrid Vasquez Tolberg").stdout
        self.assertEqual(out, "no hit at threshold 0.70 among 9979 entries\n")

    def test_match_audited(self):
        self.match("Abu Samia")
        e = [e for e in self.audit() if e["action"] == "screen.match"][-1]
        self.assertEqual(e["target"], "Abu Samia")
        self.assertEqual(e["actor"], "local:root")


class TestScreen(ListsCase):
    def screen(self, path, code=4):
        p = self.vigil("screen", "--json", path, code=code)
        return json.loads(p.stdout)

    def test_csv(self):
        run = self.screen(CSV)
        self.assertEqual(run["format"], "csv")
        self.assertEqual(run["errors"], [])
        self.assertEqual([t["name"] for t in run["travellers"]], [
            "Muhammad Hamdi Mohamed Sadiq AL-AHDAL", "Margaret Ann HARTLEY",
            "Erik BADEGE", "Chidi Emmanuel OKONKWO",
            "Sajeda Khairallah TILFAH", "Sofia LINDQVIST"])
        self.assertEqual(hit_keys(run["hits"]), CSV_HITS)
        self.assertEqual(people(run["hits"]), CSV_PEOPLE)
        self.assertEqual([h["hit"] for h in run["hits"]], [1, 2, 3, 4])
        self.assertEqual({h["disposition"] for h in run["hits"]}, {"open"})
        ex = run["hits"][0]["explanation"]
        self.assertEqual([(q["kind"], q["detail"]) for q in ex["qualifiers"]],
                         [("dob", "same date 1971-11-19"),
                          ("nationality", "shared nationality YE")])

    def test_paxlst(self):
        run = self.screen(PAXLST)
        self.assertEqual(run["format"], "paxlst")
        self.assertEqual(run["errors"], [])
        self.assertEqual([(t["line"], t["name"], t["flight"])
                          for t in run["travellers"]],
                         [(9, "MOHSIN FADIL ALFADHLI", "CD456"),
                          (15, "CAMILLE DUBOIS", "CD456"),
                          (21, "HAMEEDULLAH AKHUND", "CD456"),
                          (25, "HIROSHI TANAKA", "CD456")])
        self.assertEqual(hit_keys(run["hits"]), PAXLST_HITS)
        # the UN and OFAC entries list the same passport
        self.assertEqual(people(run["hits"]),
                         [(["QDi.184", "8860"], ["document '106261543'"]),
                          (["TAi.118"], [])])

    def test_text_output(self):
        p = self.vigil("screen", PAXLST, code=4)
        lines = p.stdout.splitlines()
        run = re.search(r"; run ([0-9a-f-]{36})$", lines[-1]).group(1)
        self.assertEqual(lines[-1], "%s: 4 travellers screened against 9979 "
                         "entries (paxlst), 2 hits at threshold 0.70; run %s"
                         % (PAXLST, run))
        self.assertEqual(lines[0].split()[:2], ["1", "MOHSIN"])
        self.assertIn("QDi.184", lines[0])

    def test_bad_record(self):
        """A bad value keeps the record (screened by name), a record that
        cannot be read is dropped; the run says so and exits 1."""
        run = self.screen(BAD_CSV, code=5)
        self.assertEqual(run["errors"], BAD_ERRORS)
        self.assertEqual([(t["name"], t["errors"]) for t in run["travellers"]],
                         [("Sofia LINDQVIST", 0), ("Sajida TILFAH", 1),
                          ("Eric BADEGE", 1)])
        self.assertEqual(hit_keys(run["hits"]), BAD_HITS)
        p = self.vigil("screen", BAD_CSV, code=5)
        self.assertEqual(p.stdout.splitlines()[:3],
                         ["  error: " + e for e in BAD_ERRORS])
        self.assertIn("3 travellers screened against 9979 entries (csv), "
                      "2 hits at threshold 0.70", p.stdout)

    def test_threshold_and_list(self):
        run = self.screen_args("--list", "un")
        self.assertEqual(hit_keys(run["hits"]),
                         [h for h in CSV_HITS if h[1] == "un"])
        run = self.screen_args("--threshold", "0.95")
        self.assertEqual(hit_keys(run["hits"]),
                         [h for h in CSV_HITS if h[3] >= 0.95])

    def screen_args(self, *args):
        return json.loads(self.vigil("screen", "--json", *args, CSV,
                                     code=4).stdout)

    def test_not_travel_data(self):
        path = os.path.join(self.tmp, "notes.txt")
        with open(path, "w") as f:
            f.write("hello\n")
        p = self.vigil("screen", path, code=3)
        self.assertEqual(p.stderr, "vigil: " + path + ": the input is not "
                         "PAXLST (UNA/UNB), "
                         "CSV with the travel header, or JSON lines\n")

    def test_show_dispose_audit(self):
        run = self.screen(CSV)
        rid = run["run"]
        shown = json.loads(self.vigil("screening", "show", rid,
                                      "--json").stdout)
        self.assertEqual(shown["run"], rid)
        self.assertEqual((shown["actor"], shown["source"], shown["format"],
                          shown["threshold"]),
                         ("local:root", CSV, "csv", 0.7))
        self.assertEqual(shown["travellers"], run["travellers"])
        self.assertEqual(hit_keys(shown["hits"]), CSV_HITS)
        self.assertEqual([h["explanation"] for h in shown["hits"]],
                         [h["explanation"] for h in run["hits"]])
        self.assertEqual([h.get("same_person") for h in shown["hits"]],
                         [h.get("same_person") for h in run["hits"]])
        self.assertEqual([h["entry"] for h in shown["hits"]],
                         [h["entry"] for h in run["hits"]])

        p = self.vigil("screening", "dispose", rid, "1", "confirmed",
                       "--note", "passport seen at the gate")
        self.assertEqual(p.stdout, "hit 1 of run %s: confirmed\n" % rid)
        self.vigil("screening", "dispose", rid, "4", "false-positive")
        shown = json.loads(self.vigil("screening", "show", rid,
                                      "--json").stdout)
        self.assertEqual([h["disposition"] for h in shown["hits"]],
                         ["confirmed", "open", "open", "false-positive"])
        self.assertEqual(shown["hits"][0]["note"], "passport seen at the gate")
        self.assertEqual(shown["hits"][0]["disposed_by"], "local:root")
        self.assertNotIn("note", shown["hits"][3])

        p = self.vigil("screening", "dispose", rid, "7", "confirmed", code=3)
        self.assertEqual(p.stderr, "vigil: no hit 7 of run '%s'\n" % rid)
        # issue 9, item 6: a run that does not exist is named as such
        p = self.vigil("screening", "dispose", "no-such-run", "1",
                       "confirmed", code=3)
        self.assertEqual(p.stderr, "vigil: no run 'no-such-run'\n")
        p = self.vigil("screening", "dispose", rid, "1", "maybe", code=2)
        p = self.vigil("screening", "show", "no-such-run", code=3)
        self.assertEqual(p.stderr, "vigil: no run 'no-such-run' ('vigil "
                         "screening list' lists the runs)\n")

        mine = [e for e in self.audit()
                if rid in (e["target"], e["detail"].get("run"))]
        sups = [e["detail"] for e in mine if e["action"] == "screen.dispose"
                and e["detail"].get("disposition") == "false-positive"][0][
                    "suppressions"]
        self.assertEqual(len(sups), 2)
        self.assertEqual([(e["action"], e["target"], e["detail"])
                          for e in mine], [
            ("screen.run", CSV, {"run": rid, "format": "csv",
                                 "travellers": 6, "hits": 4,
                                 "threshold": 0.7}),
            ("screen.read", rid, {"found": True}),
            ("screen.dispose", rid, {"hit": 1, "disposition": "confirmed"}),
            # a false positive is remembered for both entries of the person
            ("screen.dispose", rid, {"hit": 4,
                                     "disposition": "false-positive",
                                     "suppressions": sups}),
            ("screen.read", rid, {"found": True}),
            # the operator's refused disposition is on record, as the API's
            ("screen.dispose", rid, {"refused": "no such hit"})])


class TestReimport(unittest.TestCase):
    """Each test on its own hub with the UN list imported once."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-screening-")
        self.data = store_location(self.tmp)
        self.vigil("init")
        self.vigil("watchlist", "import", "--format", "un", UN_XML)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def vigil(self, *args, code=0):
        p = run_vigil(self.data, *args)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p

    def import_un(self, path):
        return json.loads(self.vigil("watchlist", "import", "--format", "un",
                                     path, "--json").stdout)

    def all_versions(self):
        """Every stored version's exact text (the bundle id is new on
        every export)."""
        return raw_objects(self.vigil("export", "--all-versions").stdout)

    def entry(self, ref):
        out = self.vigil("export", "--type", "identity").stdout
        for text in raw_objects(out):
            o = json.loads(text)
            if (wl_ext(o) or {}).get("reference_number") == ref:
                return o, text
        self.fail("no entry " + ref)

    def test_same_file_changes_nothing(self):
        before = self.all_versions()
        stats = self.vigil("stats", "--json").stdout
        r = self.import_un(UN_XML)
        self.assertEqual(r, dict(UN_RESULT, added=0, unchanged=1003))
        self.assertEqual(self.all_versions(), before)
        self.assertEqual(self.vigil("stats", "--json").stdout, stats)

    def test_changed_and_removed_entries(self):
        with open(UN_XML, encoding="utf-8") as f:
            xml = f.read()
        # CDi.001 gets a new name; CDi.002 leaves the list
        self.assertEqual(xml.count("<SECOND_NAME>BADEGE</SECOND_NAME>"), 1)
        xml = xml.replace("<SECOND_NAME>BADEGE</SECOND_NAME>",
                          "<SECOND_NAME>BADEGE MUNYAKAZI</SECOND_NAME>")
        at = xml.index("<REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER>")
        start = xml.rindex("<INDIVIDUAL>", 0, at)
        end = xml.index("</INDIVIDUAL>", at) + len("</INDIVIDUAL>")
        xml = xml[:start] + xml[end:]
        path = os.path.join(self.tmp, "modified.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml)

        changed, changed_text = self.entry("CDi.001")
        removed, removed_text = self.entry("CDi.002")
        r = self.import_un(path)
        self.assertEqual(r, {"list": "un", "entries": 1002,
                             "individuals": 729, "entities": 273,
                             "others": 0, "added": 0, "updated": 1,
                             "unchanged": 1001, "revoked": 1,
                             "kept_revoked": 0})

        new, _ = self.entry("CDi.001")
        self.assertEqual(new["id"], changed["id"])
        self.assertEqual(new["created"], changed["created"])
        self.assertGreater(new["modified"], changed["modified"])
        self.assertEqual(new["name"], "ERIC BADEGE MUNYAKAZI")
        self.assertEqual(wl_ext(new)["names"],
                         [{"full": "ERIC BADEGE MUNYAKAZI",
                           "quality": "primary"}])

        versions = self.vigil("get", "--all-versions",
                              removed["id"]).stdout.splitlines()
        self.assertEqual(len(versions), 2)
        self.assertEqual(versions[0], removed_text)
        last = json.loads(versions[1])
        self.assertTrue(last["revoked"])
        self.assertGreater(last["modified"], removed["modified"])
        del last["revoked"]
        last["modified"] = removed["modified"]
        self.assertEqual(last, removed)
        latest = json.loads(self.vigil("get", removed["id"]).stdout)
        self.assertTrue(latest["revoked"])

        lists = json.loads(self.vigil("watchlist", "list", "--json").stdout)
        self.assertEqual([(l["list"], l["entries"], l["individuals"],
                           l["revoked"]) for l in lists["lists"]],
                         [("un", 1002, 729, 1)])
        # a revoked entry is no longer screened; the changed one is
        out = json.loads(self.vigil("match", "Frank Kakolele Bwambale",
                                    "--json").stdout)
        self.assertEqual(out, {"hits": []})
        out = json.loads(self.vigil("match", "Eric Badege Munyakazi",
                                    "--json").stdout)
        self.assertEqual([(h["entry"]["reference_number"], h["score"])
                          for h in out["hits"]], [("CDi.001", 1.0)])

        # the same modified file again: nothing changes
        self.assertEqual(self.import_un(path),
                         {"list": "un", "entries": 1002, "individuals": 729,
                          "entities": 273, "others": 0, "added": 0,
                          "updated": 0, "unchanged": 1002, "revoked": 0,
                          "kept_revoked": 0})

    def test_other_organisations_entries_refused(self):
        """An organisation cannot add versions to entries that another one
        imported first: the import fails as a whole, and says which object
        and why."""
        self.vigil("org", "add", "Alpha")
        before = self.all_versions()
        p = self.vigil("watchlist", "import", "--format", "un", UN_XML,
                       "--collection", "org-alpha", code=3)
        first, _ = self.entry("CDi.001")
        self.assertEqual(p.stderr, "vigil: object '%s': $.id: belongs to "
                         "another organisation; only its owner may add "
                         "versions\n" % first["id"])
        self.assertEqual(self.all_versions(), before)


# ---- the server ------------------------------------------------------------

class ServerCase(unittest.TestCase):
    """A hub with organisations Alpha and Bravo, the UN and OFAC lists in
    the community collection and a list of Alpha's own in Alpha's private
    collection; users of both and a server, once for the class."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-screening-api-")
        cls.data = store_location(cls.tmp)
        cls.server = None
        try:
            cls.make_hub()
            cls.server = Server(cls.data)
            cls.base = cls.server.base
        except BaseException:
            if cls.server:
                cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def make_hub(cls):
        def run(*args):
            p = run_vigil(cls.data, *args)
            if p.returncode:
                raise RuntimeError("vigil %s: %s%s" % (args, p.stdout,
                                                       p.stderr))
            return p.stdout
        cls.cli = staticmethod(run)
        cls.admin_key = json.loads(run("init", "--json"))["key"]
        run("org", "add", "Alpha")
        run("org", "add", "Bravo")
        cls.keys = {}
        for user, org, role in [("alice", "Alpha", "analyst"),
                                ("arthur", "Alpha", "reader"),
                                ("audrey", "Alpha", "auditor"),
                                ("bob", "Bravo", "analyst")]:
            run("user", "add", user, "--org", org, "--role", role)
            cls.keys[user] = json.loads(run("key", "new", "--user", user,
                                            "--json"))["key"]
        run("watchlist", "import", "--format", "un", UN_XML)
        run("watchlist", "import", "--format", "ofac", OFAC_DIR)
        cls.private = json.loads(run(
            "watchlist", "import", "--format", "un", PRIVATE_XML,
            "--list", "alpha-watch", "--collection", "org-alpha", "--json"))

    @classmethod
    def tearDownClass(cls):
        code, err = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code:
            raise AssertionError("server exit %d: %s" % (code, err))

    def post(self, user, body, query="", purpose=None):
        if isinstance(body, str) and os.path.exists(body):
            with open(body, encoding="utf-8") as f:
                body = f.read()
        return request(self.base + "/api/v1/screen" + query, "POST",
                       key=self.keys[user], body=body,
                       headers={"Content-Type": "text/plain",
                                "Accept": "application/json",
                                "X-Vigil-Purpose": purpose})

    def get(self, user, path):
        return request(self.base + path, key=self.keys[user],
                       headers={"Accept": "application/json"})

    def audit(self):
        return json.loads(self.cli("audit", "show", "--json"))["entries"]


class TestScreenApi(ServerCase):
    def test_private_list_imported(self):
        self.assertEqual(self.private,
                         {"list": "alpha-watch", "entries": 1,
                          "individuals": 1, "entities": 0, "others": 0,
                          "added": 1, "updated": 0, "unchanged": 0,
                          "revoked": 0, "kept_revoked": 0})

    def test_same_hits_as_cli(self):
        for path in (CSV, PAXLST, BAD_CSV):
            r = self.post("alice", path, purpose="manifest check")
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.headers["content-type"], "application/json")
            api = r.json()
            p = run_vigil(self.data, "screen", "--json", path)
            self.assertEqual(p.returncode, 5 if path == BAD_CSV else 4,
                             p.stderr)
            cli = json.loads(p.stdout)
            self.assertNotEqual(api["run"], cli["run"])
            for k in ("format", "travellers", "errors", "hits"):
                self.assertEqual(api[k], cli[k], (path, k))
        self.assertEqual(hit_keys(api["hits"]), BAD_HITS)

    def test_run_audited_with_purpose(self):
        r = self.post("alice", CSV, purpose="flight CD456 arrival")
        self.assertEqual(r.status, 200, r.body)
        rid = r.json()["run"]
        e = [e for e in self.audit() if e["action"] == "screen.run"
             and e["detail"].get("run") == rid]
        self.assertEqual(len(e), 1)
        self.assertEqual((e[0]["actor"], e[0]["org"] > 0, e[0]["target"],
                          e[0]["purpose"], e[0]["detail"]),
                         ("alice", True, "api", "flight CD456 arrival",
                          {"run": rid, "format": "csv", "travellers": 6,
                           "hits": 4, "threshold": 0.7}))

    def test_query_parameters(self):
        r = self.post("alice", CSV, "?list=un&threshold=0.95")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(hit_keys(r.json()["hits"]),
                         [h for h in CSV_HITS
                          if h[1] == "un" and h[3] >= 0.95])
        r = self.post("alice", CSV, "?threshold=2")
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.json()["description"],
                         "'list' names a list (at most 32) and 'threshold' "
                         "is a number from 0 to 1")

    def test_no_entries_is_not_no_hit(self):
        # bob (Bravo) cannot read Alpha's private list: for him it holds
        # no entry, and a screening against it is refused, never "no hit"
        r = self.post("bob", CSV, "?list=alpha-watch")
        self.assertEqual(r.status, 409, r.body)
        self.assertEqual(r.json(), {
            "title": "no watchlist",
            "description": "no watchlist entries in the lists named: import "
                           "a list with 'vigil watchlist import'",
            "http_status": "409"})
        e = [e for e in self.audit() if e["action"] == "screen.run"][-1]
        self.assertEqual((e["actor"], e["target"], e["detail"]),
                         ("bob", "api", {"refused": "no watchlist entries"}))

    def test_auditor_refused(self):
        r = self.post("audrey", CSV)
        self.assertEqual(r.status, 403, r.body)
        self.assertEqual(r.json(), {"title": "forbidden",
                                    "description": "the role does not allow "
                                    "this", "http_status": "403"})

    def test_auditor_reads_no_run(self):
        """An auditor reads the audit log only: not the travellers and hits
        of its organisation's runs."""
        rid = self.post("alice", CSV).json()["run"]
        r = self.get("audrey", "/api/v1/screen/" + rid)
        self.assertEqual(r.status, 403, r.body)
        self.assertEqual(r.json(), {"title": "forbidden",
                                    "description": "the role does not allow "
                                    "this", "http_status": "403"})
        self.assertNotIn("AL-AHDAL", r.body)

    def test_not_travel_data(self):
        r = self.post("alice", '{"type":"bundle"')
        self.assertEqual(r.status, 200, r.body)  # JSON lines: a bad line
        self.assertEqual(r.json()["errors"], ["line 1: malformed JSON"])
        r = self.post("alice", "hello, world\n")
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(r.json(), {
            "title": "not travel data",
            "description": "the input is not PAXLST (UNA/UNB), CSV with the "
                           "travel header, or JSON lines",
            "http_status": "422"})
        r = self.post("alice", "surname,given_names\nDOE,Jane\n")
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(r.json()["description"],
                         "line 1: missing required column 'date_of_birth'")

    def test_access_rule(self):
        """Alpha's private entry is a hit for Alpha's users only; the same
        request by Bravo's user gets the community hits and nothing
        else."""
        body = ("surname,given_names,date_of_birth\n"
                "KORSAKOVS,Valdis,1979-05-14\n"
                "BADEGE,Eric,1971\n")
        alice = self.post("alice", body)
        arthur = self.post("arthur", body)
        bob = self.post("bob", body)
        for r in (alice, arthur, bob):
            self.assertEqual(r.status, 200, r.body)
        self.assertEqual([k[:3] for k in hit_keys(alice.json()["hits"])],
                         [(0, "alpha-watch", "ALi.001"), (1, "un", "CDi.001"),
                          (1, "ofac", "15718")])
        self.assertEqual(hit_keys(arthur.json()["hits"]),
                         hit_keys(alice.json()["hits"]))
        self.assertEqual([k[:3] for k in hit_keys(bob.json()["hits"])],
                         [(1, "un", "CDi.001"), (1, "ofac", "15718")])
        self.assertNotIn("ALi.001", bob.body)
        self.assertNotIn("KORSAKOV ", bob.body.upper().replace(
            "KORSAKOVS", ""))

    def test_run_of_another_organisation(self):
        r = self.post("alice", CSV)
        rid = r.json()["run"]
        mine = self.get("alice", "/api/v1/screen/" + rid)
        self.assertEqual(mine.status, 200, mine.body)
        shown = mine.json()
        self.assertEqual((shown["run"], shown["actor"], shown["source"]),
                         (rid, "alice", "api"))
        self.assertEqual(hit_keys(shown["hits"]), CSV_HITS)
        # the reader of the same organisation sees it too
        self.assertEqual(self.get("arthur", "/api/v1/screen/" + rid).status,
                         200)
        other = self.get("bob", "/api/v1/screen/" + rid)
        missing = self.get("bob", "/api/v1/screen/" + str(uuid.uuid4()))
        self.assertEqual(other.status, 404, other.body)
        self.assertEqual(other.body, missing.body)
        self.assertEqual(other.json()["description"], "no such run or hit")

        # dispositions: not by another organisation, not by a reader
        d = json.dumps({"disposition": "confirmed", "note": "seen"})
        r = request(self.base + "/api/v1/screen/%s/hits/1" % rid, "POST",
                    key=self.keys["bob"], body=d,
                    headers={"Accept": "application/json"})
        self.assertEqual(r.status, 404, r.body)
        r = request(self.base + "/api/v1/screen/%s/hits/1" % rid, "POST",
                    key=self.keys["arthur"], body=d,
                    headers={"Accept": "application/json"})
        self.assertEqual(r.status, 403, r.body)
        r = request(self.base + "/api/v1/screen/%s/hits/1" % rid, "POST",
                    key=self.keys["alice"], body='{"disposition":"maybe"}',
                    headers={"Accept": "application/json"})
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.json()["description"],
                         'the body must be {"disposition": "confirmed"|'
                         '"false-positive"|"needs-review", "note": text up '
                         'to 2000 characters}')
        r = request(self.base + "/api/v1/screen/%s/hits/9" % rid, "POST",
                    key=self.keys["alice"], body=d,
                    headers={"Accept": "application/json"})
        self.assertEqual(r.status, 404, r.body)
        r = request(self.base + "/api/v1/screen/%s/hits/1" % rid, "POST",
                    key=self.keys["alice"], body=d,
                    headers={"Accept": "application/json"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json(), {"run": rid, "hit": 1})
        shown = self.get("alice", "/api/v1/screen/" + rid).json()
        self.assertEqual([h["disposition"] for h in shown["hits"]],
                         ["confirmed"] + ["open"] * 3)
        self.assertEqual((shown["hits"][0]["disposed_by"],
                          shown["hits"][0]["note"]), ("alice", "seen"))
        acts = [(e["actor"], e["action"], e["detail"]) for e in self.audit()
                if e["target"] == rid]
        self.assertEqual(acts, [
            ("alice", "screen.read", {"found": True}),
            ("arthur", "screen.read", {"found": True}),
            ("bob", "screen.read", {"found": False}),
            ("bob", "screen.dispose", {"refused": "no such run"}),
            ("alice", "screen.dispose", {"refused": "no such hit"}),
            ("alice", "screen.dispose", {"hit": 1,
                                         "disposition": "confirmed"}),
            ("alice", "screen.read", {"found": True})])


class TestPurposeRequired(ServerCase):
    """With purpose_required, screening is a read like any other: the
    travellers are consulted against the watchlists and hits come back."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-screening-api-")
        cls.data = store_location(cls.tmp)
        cls.server = None
        try:
            p = run_vigil(cls.data, "init")
            assert p.returncode == 0, p.stderr
            for args in (("org", "add", "Alpha"),
                         ("user", "add", "alice", "--org", "Alpha",
                          "--role", "analyst"),
                         ("watchlist", "import", "--format", "un",
                          UN_XML)):
                p = run_vigil(cls.data, *args)
                assert p.returncode == 0, p.stderr
            p = run_vigil(cls.data, "key", "new", "--user", "alice",
                          "--json")
            cls.keys = {"alice": json.loads(p.stdout)["key"]}
            cls.server = Server(cls.data, "--set", "purpose_required=true")
            cls.base = cls.server.base
        except BaseException:
            if cls.server:
                cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    def test_screening_needs_a_purpose(self):
        r = self.post("alice", CSV)
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.json()["title"], "purpose required")
        r = self.post("alice", CSV, purpose="flight AB123 arrival")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(hit_keys(r.json()["hits"]),
                         [h for h in CSV_HITS if h[1] == "un"])
        # a disposition is a write, as a POST of objects is
        rid = r.json()["run"]
        d = request(self.base + "/api/v1/screen/%s/hits/1" % rid, "POST",
                    key=self.keys["alice"], body='{"disposition":"confirmed"}',
                    headers={"Accept": "application/json"})
        self.assertEqual(d.status, 200, d.body)


def private_list(n, name, dob):
    """A UN-format list of n individuals all called name, born on dob."""
    first, second = name.split()
    people = "".join("""
    <INDIVIDUAL>
      <DATAID>%d</DATAID>
      <FIRST_NAME>%s</FIRST_NAME>
      <SECOND_NAME>%s</SECOND_NAME>
      <UN_LIST_TYPE>Alpha watch</UN_LIST_TYPE>
      <REFERENCE_NUMBER>ALi.%03d</REFERENCE_NUMBER>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>
        <DATE>%s</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>""" % (900000 + i, first, second, i, dob)
                     for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>'
            "<INDIVIDUALS>%s</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n"
            % people)


class TestHiddenEntries(ServerCase):
    """Entries the caller may not read never take the place of hits it may
    see: twelve private entries of Alpha that match a traveller better
    than the UN entry does must not leave Bravo's user without the UN
    hit."""

    @classmethod
    def make_hub(cls):
        def run(*args):
            p = run_vigil(cls.data, *args)
            if p.returncode:
                raise RuntimeError("vigil %s: %s%s" % (args, p.stdout,
                                                       p.stderr))
            return p.stdout
        cls.cli = staticmethod(run)
        run("init")
        run("org", "add", "Alpha")
        run("org", "add", "Bravo")
        cls.keys = {}
        for user, org in [("alice", "Alpha"), ("bob", "Bravo")]:
            run("user", "add", user, "--org", org, "--role", "analyst")
            cls.keys[user] = json.loads(run("key", "new", "--user", user,
                                            "--json"))["key"]
        run("watchlist", "import", "--format", "un", UN_XML)
        path = os.path.join(cls.tmp, "alpha.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(private_list(12, "ERIK BADEGE", "1971-05-05"))
        run("watchlist", "import", "--format", "un", path, "--list",
            "alpha-watch", "--collection", "org-alpha")

    def test_hidden_entries_do_not_crowd_out_visible_hits(self):
        body = "surname,given_names,date_of_birth\nBADEGE,Erik,1971-05-05\n"
        bob = self.post("bob", body)
        self.assertEqual(bob.status, 200, bob.body)
        self.assertEqual([k[:3] for k in hit_keys(bob.json()["hits"])],
                         [(0, "un", "CDi.001")])
        alice = self.post("alice", body)
        keys = [k[1:3] for k in hit_keys(alice.json()["hits"])]
        # at most ten hits a traveller, the best first: Alpha's own twelve
        # exact ones before the UN entry
        self.assertEqual(keys, [("alpha-watch", "ALi.%03d" % i)
                                for i in range(1, 11)])


if __name__ == "__main__":
    main()
