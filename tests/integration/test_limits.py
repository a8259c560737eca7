"""The limits that are always on, on a real server: body size (refused
before the body is read), idle and unfinished requests, URL length, header
size (what libmicrohttpd 0.9.75 does), connections per address; and where
settings come from (vigil.conf, then VIGIL_*, then flags)."""
import json
import os
import socket
import subprocess
import threading
import time

from vigiltest import (VIGIL, HubCase, Server, VigilCase, main, request,
                       store_home)

# libmicrohttpd's own answer when the request line or the headers do not
# fit in the connection's memory (max_header_bytes)
MHD_TOO_BIG = (b"<html><head><title>Request too big</title></head><body>Your "
               b"HTTP header was too big for the memory constraints of this "
               b"webserver.</body></html>")


class Raw:
    """A raw client socket to the server."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port),
                                             timeout=timeout)

    def send(self, data):
        self.sock.sendall(data)

    def read_all(self):
        """Everything until the server closes; b'' when it closed (or
        reset) without answering."""
        out = b""
        try:
            while True:
                b = self.sock.recv(65536)
                if not b:
                    break
                out += b
        except ConnectionResetError:
            pass
        return out

    def close(self):
        self.sock.close()


def split(response):
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), headers, body


class BodyLimit(HubCase):
    server_args = ("--set", "max_content_length=4096")

    def test_oversized_body_refused_before_it_is_read(self):
        cid = self.collection_id("community")
        path = "/taxii2/hub/collections/%s/objects/" % cid
        c = Raw(self.server.port)
        t0 = time.monotonic()
        c.send(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Authorization: Bearer %s\r\n"
                "Content-Type: application/taxii+json;version=2.1\r\n"
                "Content-Length: 100000000\r\n\r\n"
                % (path, self.admin_key)).encode())
        # meanwhile, another client is served
        r = request(self.server.root, key=self.admin_key)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["max_content_length"], 4096)
        # the answer comes without one byte of the body sent, and the
        # server closes the connection (the body is never read)
        status, headers, body = split(c.read_all())
        self.assertLess(time.monotonic() - t0, 5)
        c.close()
        self.assertEqual(status, 413)
        self.assertEqual(headers["connection"], "close")
        self.assertEqual(json.loads(body), {
            "title": "request too large",
            "description": "the body exceeds max_content_length",
            "http_status": "413"})

    def test_body_at_the_limit_is_taken_one_more_byte_is_not(self):
        url = self.server.root + "collections/community/objects/"
        body = '{"objects":[]}'
        r = request(url, "POST", key=self.admin_key,
                    body=body + " " * (4096 - len(body)))
        self.assertEqual(r.status, 202, r.body)
        r = request(url, "POST", key=self.admin_key,
                    body=body + " " * (4097 - len(body)))
        self.assertEqual(r.status, 413, r.body)

    def test_chunked_body_over_the_limit(self):
        """Without Content-Length the size is known only while reading: the
        server reads and discards, then answers 413."""
        c = Raw(self.server.port)
        chunk = b"x" * 1000
        c.send(("POST /taxii2/hub/collections/community/objects/ HTTP/1.1\r\n"
                "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/taxii+json;version=2.1\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % self.admin_key).encode())
        for _ in range(6):
            c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        c.send(b"0\r\n\r\n")
        c.sock.settimeout(10)
        status, _, body = split(c.sock.recv(65536))
        c.close()
        self.assertEqual(status, 413)
        self.assertEqual(json.loads(body)["title"], "request too large")


class IdleLimit(HubCase):
    server_args = ("--set", "idle_timeout=2")

    def test_unfinished_request_cut_after_idle_timeout(self):
        slow = []
        for partial in (b"GET /taxii2/ HT", b"GET /taxii2/ HTTP/1.1\r\nHost: a\r\n",
                        b"GET /taxii2/ HTTP/1.1\r\nX-Long: aaaa"):
            c = Raw(self.server.port)
            c.send(partial)
            slow.append(c)
        t0 = time.monotonic()
        # others are served meanwhile
        for _ in range(3):
            t = time.monotonic()
            r = request(self.server.root, key=self.admin_key)
            self.assertEqual(r.status, 200)
            self.assertLess(time.monotonic() - t, 1.5)
        for c in slow:
            self.assertEqual(c.read_all(), b"")  # closed, no answer
            c.close()
        took = time.monotonic() - t0
        self.assertGreater(took, 1.5)
        self.assertLess(took, 6)

    def test_headers_trickled_slowly_are_cut_too(self):
        """A client sending a byte every half second is never idle for 2 s;
        its headers must still be complete within idle_timeout."""
        c = Raw(self.server.port, timeout=0.5)
        msg = b"GET /taxii2/ HTTP/1.1\r\nHost: a\r\nX-Slow: " + b"x" * 100
        t0 = time.monotonic()
        cut = None
        for i in range(len(msg)):
            if time.monotonic() - t0 > 12:
                break
            try:
                c.send(msg[i:i + 1])
                if c.sock.recv(100) == b"":
                    cut = time.monotonic() - t0
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                cut = time.monotonic() - t0
                break
        c.close()
        self.assertIsNotNone(cut, "trickling headers were never cut")
        self.assertGreater(cut, 1.5)
        self.assertLess(cut, 6)
        # and the server still serves
        self.assertEqual(request(self.server.root,
                                 key=self.admin_key).status, 200)

    def test_idle_keep_alive_connection_is_closed(self):
        c = Raw(self.server.port)
        c.send(b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        c.sock.settimeout(10)
        first = c.sock.recv(65536)
        self.assertTrue(first.startswith(b"HTTP/1.1 200 "), first)
        t0 = time.monotonic()
        self.assertEqual(c.read_all(), b"")
        self.assertLess(time.monotonic() - t0, 6)
        c.close()


class UrlAndHeaderLimits(HubCase):
    server_args = ("--set", "max_url_length=256", "--set",
                   "max_header_bytes=4096")

    def test_url_over_max_url_length(self):
        ok = "/taxii2/hub/collections/" + "a" * (256 - 24) + "/"
        r = request(self.server.base + ok[:-1], key=self.admin_key)
        self.assertEqual(r.status, 404)  # 256 characters: looked up
        r = request(self.server.base + ok, key=self.admin_key)
        self.assertEqual(r.status, 414)
        self.assertEqual(r.json(), {
            "title": "URI too long",
            "description": "the request path is longer than allowed",
            "http_status": "414"})
        # the limit is on the path: a TAXII filter of 100 ids is a query
        # of some 6 KB; the query is bounded by max_header_bytes
        q = "?match[type]=" + ",".join(["indicator"] * 40)
        r = request(self.server.root + "collections/community/objects/" + q,
                    key=self.admin_key)
        self.assertEqual((r.status, len(q)), (200, 412))

    def test_request_line_beyond_header_memory(self):
        """A request line that does not fit in max_header_bytes gets
        libmicrohttpd's own 414, in HTML, and the connection is closed."""
        c = Raw(self.server.port)
        c.send(b"GET /" + b"a" * 8000 + b" HTTP/1.1\r\nHost: a\r\n\r\n")
        status, headers, body = split(c.read_all())
        c.close()
        self.assertEqual((status, headers["connection"], body),
                         (414, "close", MHD_TOO_BIG))

    def outcome(self, n):
        c = Raw(self.server.port)
        c.send(b"GET /taxii2/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
               b"X-Big: " + b"b" * n + b"\r\n\r\n")
        out = c.read_all()
        c.close()
        if not out:
            return "closed", None
        status, headers, body = split(out)
        return status, body

    def test_headers_over_max_header_bytes(self):
        """libmicrohttpd 0.9.75 keeps the request line and headers, and
        then the response headers, in one pool of max_header_bytes per
        connection. Growing one header, a client sees: served (here 401),
        then a narrow band where the request fits but the response does
        not and the connection is closed without an answer, then 431 with
        libmicrohttpd's HTML body. Never anything else."""
        seen = []
        for n in range(2048, 4096 + 512, 32):
            seen.append((n, self.outcome(n)))
        kinds = [o[0] for _, o in seen]
        self.assertEqual(kinds[0], 401)
        self.assertEqual(kinds[-1], 431)
        # monotone: 401... closed... 431...
        order = {401: 0, "closed": 1, 431: 2}
        ranks = [order[k] for k in kinds]
        self.assertEqual(ranks, sorted(ranks), seen)
        for n, (kind, body) in seen:
            if kind == 431:
                self.assertEqual(body, MHD_TOO_BIG)
        band = [n for n, (kind, _) in seen if kind == "closed"]
        self.assertLess(len(band) * 32, 512, band)
        # a header as long as max_header_bytes is always refused
        self.assertEqual(self.outcome(4096), (431, MHD_TOO_BIG))
        # many small headers count the same as one big one
        c = Raw(self.server.port)
        c.send(b"GET /taxii2/ HTTP/1.1\r\nHost: a\r\n" +
               b"X-A: 1234567890\r\n" * 400 + b"\r\n")
        status, _, body = split(c.read_all())
        c.close()
        self.assertEqual((status, body), (431, MHD_TOO_BIG))
        # the server is unharmed
        self.assertEqual(request(self.server.root,
                                 key=self.admin_key).status, 200)


class ConnectionsPerAddress(HubCase):
    server_args = ("--set", "per_ip_connection_limit=3")

    def get(self, c):
        c.send(b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        c.sock.settimeout(5)
        try:
            return c.sock.recv(65536)
        except ConnectionResetError:
            return b""

    def test_connections_beyond_the_limit_are_closed(self):
        time.sleep(0.3)  # the fixture's own connections are gone
        held = [Raw(self.server.port) for _ in range(3)]
        for c in held:
            self.assertTrue(self.get(c).startswith(b"HTTP/1.1 200 "))
        extra = Raw(self.server.port)
        self.assertEqual(self.get(extra), b"")  # accepted, then closed
        extra.close()
        # the allowed ones still work
        for c in held:
            self.assertTrue(self.get(c).startswith(b"HTTP/1.1 200 "))
        # one closes: a new one is taken
        held.pop().close()
        time.sleep(0.3)
        again = Raw(self.server.port)
        self.assertTrue(self.get(again).startswith(b"HTTP/1.1 200 "))
        again.close()
        for c in held:
            c.close()


class Settings(VigilCase):
    """vigil.conf, then VIGIL_<KEY>, then --set (and flags)."""

    def max_content_length(self, *args, env=None):
        e = dict(os.environ)
        e.update(env or {})
        s = Server(self.data, *args, env=e)
        try:
            r = request(s.root, key=self.key)
            self.assertEqual(r.status, 200, r.body)
            return r.json()["max_content_length"]
        finally:
            code, err = s.stop()
            self.assertEqual(code, 0, err)

    def setUp(self):
        super().setUp()
        self.key = self.vigil("key", "new", "--user", "admin", "--json",
                              check=0).json()["key"]
        self.conf = os.path.join(store_home(self.tmp), "vigil.conf")

    def serve_fails(self, *args, env=None):
        e = dict(os.environ)
        e.update(env or {})
        p = subprocess.run([VIGIL, "--data", self.data, "serve", "--listen",
                            "127.0.0.1:0", *args], capture_output=True,
                           text=True, env=e, timeout=30)
        return p.returncode, p.stdout, p.stderr

    def test_precedence(self):
        env = {"VIGIL_MAX_CONTENT_LENGTH": "6000"}
        self.assertEqual(self.max_content_length(), 16 << 20)  # default
        with open(self.conf, "w") as f:
            f.write("# the hub's settings\n\nmax_content_length = 5000\n"
                    "  idle_timeout=10  \n")
        self.assertEqual(self.max_content_length(), 5000)
        self.assertEqual(self.max_content_length(env=env), 6000)
        self.assertEqual(self.max_content_length(
            "--set", "max_content_length=7000", env=env), 7000)
        self.assertEqual(self.max_content_length(
            "--set", "max_content_length=7000"), 7000)
        # --config replaces vigil.conf
        other = self.write("other.conf", "max_content_length = 8000\n")
        self.assertEqual(self.max_content_length("--config", other), 8000)
        self.assertEqual(self.max_content_length("--config", other, env=env),
                         6000)

    def test_bad_settings_are_named(self):
        with open(self.conf, "w") as f:
            f.write("threads = 4\n# fine so far\nmax_url_length = lots\n")
        self.assertEqual(self.serve_fails(), (
            3, "", "vigil: %s: line 3: 'max_url_length': 'lots' is not a "
                   "number from 64 to 65536\n" % self.conf))
        with open(self.conf, "w") as f:
            f.write("threads = 4\nlisten\n")
        self.assertEqual(self.serve_fails()[2],
                         "vigil: %s: line 2: expected 'key = value'\n"
                         % self.conf)
        with open(self.conf, "w") as f:
            f.write("thread = 4\n")
        self.assertEqual(self.serve_fails()[2],
                         "vigil: %s: line 1: unknown setting 'thread'\n"
                         % self.conf)
        with open(self.conf, "w") as f:
            f.write("purpose_required = maybe\n")
        self.assertEqual(self.serve_fails()[2],
                         "vigil: %s: line 1: 'purpose_required': 'maybe' is "
                         "not true or false\n" % self.conf)
        os.remove(self.conf)
        self.assertEqual(self.serve_fails(env={"VIGIL_THREADS": "0"})[2],
                         "vigil: VIGIL_THREADS: 'threads': '0' is not a "
                         "number from 1 to 512\n")
        self.assertEqual(self.serve_fails("--set", "nope=1")[2],
                         "vigil: --set: unknown setting 'nope'\n")
        self.assertEqual(
            self.serve_fails("--set", "max_content_length=10")[2],
            "vigil: --set: 'max_content_length': '10' is not a number from "
            "1024 to 4294967296\n")
        code, _, err = self.serve_fails("--config",
                                        os.path.join(self.tmp, "missing"))
        self.assertEqual((code, err), (3, "vigil: cannot read the settings "
                                       "file '%s': No such file or "
                                       "directory\n"
                                       % os.path.join(self.tmp, "missing")))


if __name__ == "__main__":
    main()
