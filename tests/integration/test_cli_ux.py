"""What a new user meets on the command line (issue 9, items 3, 5 and 6),
through the real binary: `make install`'s script (PREFIX, DESTDIR, the man
page), `vigil help`, global options after the command, and errors that
name the file, the cause and what to do, in one line."""
import os
import subprocess

from vigiltest import SHARED, VIGIL, VigilCase, main

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
COMMANDS = ["init", "serve", "import", "export", "get", "stats", "gen",
            "check", "org", "user", "key", "group", "audit", "watchlist",
            "screen", "match", "screening"]


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True,
                          timeout=300, **kw)


class TestInstall(VigilCase):
    """Item 3."""

    def test_install_to_a_prefix(self):
        prefix = os.path.join(self.tmp, "prefix")
        p = run("sh", os.path.join(REPO, "scripts", "install.sh"), VIGIL, "",
                prefix, env=dict(os.environ, PATH="/usr/bin:/bin"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines(), [
            "installed %s/bin/vigil and %s/share/man/man1/vigil.1"
            % (prefix, prefix),
            "note: %s/bin is not on your PATH: export PATH=\"%s/bin:$PATH\""
            % (prefix, prefix)])
        vigil = os.path.join(prefix, "bin", "vigil")
        self.assertTrue(os.access(vigil, os.X_OK))
        self.assertEqual(run(vigil, "--version").stdout,
                         run(VIGIL, "--version").stdout)
        with open(os.path.join(prefix, "share", "man", "man1", "vigil.1"),
                  encoding="utf-8") as f:
            page = f.read()
        self.assertTrue(page.startswith(".TH VIGIL 1 "))
        for c in COMMANDS:
            self.assertIn('.SH "vigil %s"\n' % c, page)
        # every help text is in it, escaped for troff
        self.assertIn("exit status: 0 no hit", page)
        self.assertNotIn("\n.Ex", page)

    def test_destdir(self):
        dest = os.path.join(self.tmp, "stage")
        p = run("sh", os.path.join(REPO, "scripts", "install.sh"), VIGIL, dest,
                "/usr")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.isfile(os.path.join(dest, "usr", "bin",
                                                    "vigil")))
        self.assertTrue(os.path.isfile(os.path.join(
            dest, "usr", "share", "man", "man1", "vigil.1")))

    def test_help(self):
        listed = self.vigil("--help").out
        for c in COMMANDS + ["help"]:
            self.assertRegex(listed, r"\n  %s +\S" % c)
        for c in COMMANDS:
            self.assertEqual(self.vigil("help", c, check=0).out,
                             self.vigil(c, "--help", check=0).out)
        r = self.vigil("help", "nope", check=2)
        self.assertEqual(r.err, "vigil: unknown command 'nope'; 'vigil help' "
                         "lists them\n")


class TestGlobalOptions(VigilCase):
    """Item 5: --data and --purpose before or after the command."""

    def test_after_the_command(self):
        other = os.path.join(self.tmp, "other")
        self.vigil("init", data=other, check=0)
        self.vigil("org", "add", "Only There", data=other, check=0)
        p = run(VIGIL, "org", "list", "--data", other)
        self.assertIn("Only There", p.stdout, p.stderr)
        p = run(VIGIL, "org", "list", "--data=" + other, "--purpose",
                "case 12")
        self.assertIn("Only There", p.stdout, p.stderr)
        audit = run(VIGIL, "audit", "show", "--json", "--data", other)
        self.assertIn('"purpose":"case 12"', audit.stdout)
        p = run(VIGIL, "stats", "--data")
        self.assertEqual((p.returncode, p.stderr), (
            2, "vigil: --data needs a value: vigil --data DIR COMMAND ...\n"))

    def test_one_line_option_errors(self):
        r = self.vigil("stats", "--bogus", check=2)
        self.assertEqual(r.err, "vigil stats: unknown option '--bogus', or "
                         "it needs a value (usage: 'vigil help stats')\n")
        r = self.vigil("screen", "--threshold", check=2)
        self.assertEqual(r.err, "vigil screen: unknown option '--threshold', "
                         "or it needs a value (usage: 'vigil help screen')\n")
        r = self.vigil("--bogus", "stats", check=2)
        self.assertEqual(r.err, "vigil: unknown option '--bogus' (the global "
                         "options are --data, --purpose, --version and "
                         "--help; a command's own options go after it)\n")


class TestErrors(VigilCase):
    """Item 6: the file, the cause, what to do."""

    def test_screen(self):
        missing = os.path.join(self.tmp, "manifest.edi")
        r = self.vigil("screen", missing, check=3)
        self.assertEqual(r.err, "vigil: cannot read '%s': No such file or "
                         "directory\n" % missing)
        r = self.vigil("screen", self.tmp, check=3)
        self.assertEqual(r.err, "vigil: cannot read '%s': Is a directory\n"
                         % self.tmp)
        csv = self.write("t.csv", "surname,given_names,date_of_birth,"
                         "nationalty\nDOE,Jane,1970,FR\n")
        r = self.vigil("screen", csv, check=3)
        self.assertEqual(r.err, "vigil: %s: line 1: unknown column "
                         "'nationalty' (did you mean 'nationality'?)\n" % csv)
        csv = self.write("u.csv", "surname,given_names,date_of_birth,colour\n")
        r = self.vigil("screen", csv, check=3)
        self.assertEqual(r.err, "vigil: %s: line 1: unknown column 'colour' "
                         "(the columns are surname, given_names, "
                         "date_of_birth, gender, nationality, document_type, "
                         "document_number, document_country, flight, date, "
                         "role, seat, booking_ref, place_of_birth)\n" % csv)

    def test_screen_without_a_list(self):
        # a hub with no watchlist says so, and screens nothing
        csv = self.write("v.csv", "surname,given_names,date_of_birth\n"
                         "DOE,Jane,1970\n")
        r = self.vigil("screen", csv, check=3)
        self.assertEqual(r.err, "vigil: no watchlist entries: import a list "
                         "with 'vigil watchlist import'\n")
        self.assertEqual(r.out, "")

    def test_watchlist_files(self):
        empty = self.write("empty.xml", "")
        r = self.vigil("watchlist", "import", "--format", "un", empty,
                       check=3)
        self.assertEqual(r.err, "vigil: '%s': line 1: Document is empty "
                         "(--format un takes the UN Security Council "
                         "consolidated list, XML)\n" % empty)
        ofac = os.path.join(SHARED, "data", "watchlists", "ofac")
        r = self.vigil("watchlist", "import", "--format", "ofac",
                       os.path.join(ofac, "sdn.csv"), "--json", check=0)
        self.assertEqual(r.json()["entries"], 8976)
        lonely = os.path.join(self.tmp, "lonely")
        os.mkdir(lonely)
        self.write("lonely/sdn.csv", "")
        r = self.vigil("watchlist", "import", "--format", "ofac",
                       os.path.join(lonely, "sdn.csv"), check=3)
        self.assertEqual(r.err, "vigil: cannot read '%s/alt.csv': No such "
                         "file or directory\n" % lonely)

    def test_serve_files(self):
        cert = os.path.join(self.tmp, "hub.crt")
        r = self.vigil("serve", "--listen", "127.0.0.1:0", "--tls-cert",
                       cert, "--tls-key", cert, check=3)
        self.assertEqual(r.err, "vigil serve: cannot read the TLS certificate "
                         "(tls_cert) '%s': No such file or directory\n"
                         % cert)
        self.write("hub.crt", "not a certificate")
        r = self.vigil("serve", "--listen", "127.0.0.1:0", "--tls-cert",
                       cert, "--tls-key", self.tmp, check=3)
        self.assertEqual(r.err, "vigil serve: cannot read the TLS key "
                         "(tls_key) '%s': Is a directory\n" % self.tmp)
        r = self.vigil("serve", "--listen", "nohost.invalid:0", check=3)
        self.assertEqual(r.err, "vigil serve: listen 'nohost.invalid:0' is "
                         "not HOST:PORT (an address or a host name that "
                         "resolves, IPv6 as [::1]:8080)\n")


if __name__ == "__main__":
    main()
