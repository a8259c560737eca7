"""The server starts, answers TAXII discovery with a key, refuses without
one, takes a POST and stops cleanly on SIGTERM with an intact audit log."""
import os

from vigiltest import STIX, HubCase, main, request


class Smoke(HubCase):
    def test_discovery_post_page_and_clean_stop(self):
        r = request(self.server.base + "/taxii2/")
        self.assertEqual(r.status, 401)
        self.assertIn("Bearer", r.headers["www-authenticate"])
        r = request(self.server.base + "/taxii2/", key=self.admin_key)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["api_roots"], [self.server.root])
        cid = self.collection_id("community")
        with open(os.path.join(STIX, "oasis-apt1.json")) as f:
            body = f.read()
        url = self.server.root + "collections/%s/objects/" % cid
        r = request(url, "POST", key=self.admin_key, body=body)
        self.assertEqual(r.status, 202, r.body)
        st = r.json()
        self.assertEqual((st["status"], st["success_count"], st["failure_count"]),
                         ("complete", 76, 0))
        r = request(url + "?match[type]=report", key=self.admin_key)
        self.assertEqual(r.status, 200)
        self.assertEqual([o["type"] for o in r.json()["objects"]], ["report"])
        code, err = self.server.stop()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.vigil("audit", "verify").code, 0)


if __name__ == "__main__":
    main()
