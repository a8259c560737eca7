"""POST a bundle's objects to vigil servers in envelopes of 1,000 from 4
clients (client i to server i % servers), into each server's community
collection; count the objects acknowledged in status resources that say
"complete" and print the rate. Used by bench/serve.sh and bench/pg.sh.
usage: post.py LABEL WIDTH KEY BUNDLE BASE..."""
import http.client
import json
import sys
import threading
import time
import urllib.parse

label, width, key, path, *bases = sys.argv[1:]
objs = json.load(open(path))["objects"]
envs = [json.dumps({"objects": objs[i:i + 1000]}, separators=(",", ":"),
                   ensure_ascii=False).encode()
        for i in range(0, len(objs), 1000)]
h = {"Authorization": "Bearer " + key,
     "Accept": "application/taxii+json;version=2.1",
     "Content-Type": "application/taxii+json;version=2.1"}
acked, errors, lock = [0], [], threading.Lock()


def connect(base, timeout):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def cid_of(base):
    c = connect(base, 60)
    c.request("GET", "/taxii2/hub/collections/community/", headers=h)
    return json.loads(c.getresponse().read())["id"]


def client(base, cid, mine):
    conn = connect(base, 300)
    url = "/taxii2/hub/collections/%s/objects/" % cid
    for body in mine:
        conn.request("POST", url, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        st = json.loads(data) if r.status == 202 else {}
        with lock:
            if st.get("status") == "complete":
                acked[0] += st["success_count"]
            else:
                errors.append((r.status, data[:200]))
    conn.close()


cids = [cid_of(b) for b in bases]
threads = [threading.Thread(target=client, args=(
    bases[i % len(bases)], cids[i % len(bases)], envs[i::4]))
    for i in range(4)]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
secs = time.monotonic() - t0
print("%-*s %9.0f objects/s  %d objects in %d envelopes, %.2f s" % (
      int(width), label, acked[0] / secs, acked[0], len(envs), secs))
if errors or acked[0] != len(objs):
    print("bench/post: %d errors, %d of %d acknowledged: %r" % (
          len(errors), acked[0], len(objs), errors[:3]), file=sys.stderr)
    sys.exit(1)
