"""bench/warn: the time from a POST's acknowledgement (its 202) to the
alert on the live stream, for one watch and N posts of one matching
observable each, one at a time. Usage: warn_sse.py BASE_URL KEY_POSTER
KEY_WATCHER COLLECTION N. Prints p50, p99 and the maximum (ms)."""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

base, poster, watcher, coll, n = sys.argv[1:6]
n = int(n)
u = urllib.parse.urlsplit(base)
NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
arrived = {}
ready = threading.Event()


def listen():
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request("GET", "/api/v1/alerts/stream",
              headers={"Authorization": "Bearer " + watcher})
    r = c.getresponse()
    assert r.status == 200, r.status
    ready.set()
    data = None
    while len(arrived) < n:
        line = r.fp.readline()
        if not line:
            break
        if line.startswith(b"data: "):
            data = json.loads(line[6:])
        elif line == b"\n" and data:
            arrived[data["object"]] = time.monotonic()
            data = None


t = threading.Thread(target=listen, daemon=True)
t.start()
ready.wait(10)
time.sleep(0.2)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
acked = {}
for i in range(n):
    value = "198.18.%d.%d" % (i // 250, 1 + i % 250)
    sid = "ipv4-addr--%s" % uuid.uuid5(NS, json.dumps(
        {"value": value}, separators=(",", ":")))
    body = json.dumps({"objects": [{"type": "ipv4-addr", "spec_version": "2.1",
                                    "id": sid, "value": value}]})
    c.request("POST", "/taxii2/hub/collections/%s/objects/" % coll, body=body,
              headers={"Authorization": "Bearer " + poster,
                       "Content-Type": "application/taxii+json;version=2.1",
                       "Accept": "application/taxii+json;version=2.1"})
    r = c.getresponse()
    r.read()
    acked[sid] = time.monotonic()
    assert r.status == 202, r.status
    time.sleep(0.01)
t.join(30)
lat = sorted(max(0.0, arrived[k] - acked[k]) * 1000 for k in acked
             if k in arrived)
before = sum(1 for k in acked if k in arrived and arrived[k] < acked[k])
print("POST acknowledged -> alert on the stream: %d/%d alerts, p50 %.2f ms, "
      "p99 %.2f ms, max %.2f ms (%d arrived before the 202 was read)" %
      (len(lat), n, lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1],
       lat[-1], before))
