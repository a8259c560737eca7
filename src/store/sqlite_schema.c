/* The SQLite schema, as a list of migrations applied in order; the store's
 * user_version is the number applied. Never edit a released migration:
 * append a new one. */
#include "sqlite_int.h"

static const char *const migrations[] = {
	/* 1: object versions */
	"CREATE TABLE objects ("
	" date_added INTEGER PRIMARY KEY," /* microseconds, unique, increasing */
	" id TEXT NOT NULL,"
	" version TEXT NOT NULL,"          /* normalised modified or created */
	" type TEXT NOT NULL,"
	" created TEXT, modified TEXT, spec_version TEXT,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" owner INTEGER NOT NULL DEFAULT 0,"
	" scope INTEGER NOT NULL DEFAULT 0,"
	" tlp INTEGER NOT NULL DEFAULT 0,"
	" classification INTEGER NOT NULL DEFAULT 0,"
	" latest INTEGER NOT NULL,"   /* newest version of id in its collection */
	" collection TEXT NOT NULL,"     /* TAXII collection id, '' none */
	" grp INTEGER NOT NULL DEFAULT 0,"  /* sharing group of a group scope */
	/* another organisation stored this version in this collection first:
	 * reads show it only when they cannot see that earlier row */
	" copy INTEGER NOT NULL DEFAULT 0,"
	" json TEXT NOT NULL);"
	/* one index serves uniqueness and every lookup by id; a version
	 * re-posted by another organisation is that organisation's own copy,
	 * so "already present" never speaks of a row the poster cannot see */
	"CREATE UNIQUE INDEX objects_id ON objects(id, version, collection,"
	" owner);"
	"CREATE INDEX objects_collection ON objects(collection, date_added);",

	/* 2: the hub: organisations, users, keys, sharing groups, TAXII
	 * collections and status resources, the audit log and its signed
	 * checkpoints */
	"CREATE TABLE hub (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE orgs ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" identity TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);"
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" org INTEGER NOT NULL REFERENCES orgs(id),"
	" role INTEGER NOT NULL, clearance INTEGER NOT NULL DEFAULT 0,"
	" disabled INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
	"CREATE TABLE keys ("
	" id TEXT PRIMARY KEY, user INTEGER NOT NULL REFERENCES users(id),"
	" hash BLOB NOT NULL, created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL DEFAULT 0,"
	" revoked INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE groups ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE group_members ("
	" grp INTEGER NOT NULL REFERENCES groups(id),"
	" org INTEGER NOT NULL REFERENCES orgs(id), PRIMARY KEY (grp, org));"
	"CREATE TABLE collections ("
	" id TEXT PRIMARY KEY, alias TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	" description TEXT NOT NULL, scope INTEGER NOT NULL,"
	" org INTEGER NOT NULL DEFAULT 0, grp INTEGER NOT NULL DEFAULT 0,"
	" position INTEGER NOT NULL);"
	"CREATE TABLE status ("
	" id TEXT PRIMARY KEY, user INTEGER NOT NULL, created INTEGER NOT NULL,"
	" json TEXT NOT NULL);"
	"CREATE INDEX status_created ON status(created);"
	"CREATE TABLE audit ("
	" seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL,"
	" org INTEGER NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
	" detail TEXT NOT NULL, source TEXT NOT NULL, purpose TEXT NOT NULL,"
	" prev BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE TABLE checkpoints ("
	" seq INTEGER PRIMARY KEY, head BLOB NOT NULL, ts INTEGER NOT NULL,"
	" sig BLOB NOT NULL);",

	/* 3: screening runs, their travellers and hits with dispositions */
	"CREATE TABLE screen_runs ("
	" id TEXT PRIMARY KEY, created INTEGER NOT NULL, actor TEXT NOT NULL,"
	" org INTEGER NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL,"
	" travellers INTEGER NOT NULL, hits INTEGER NOT NULL,"
	" threshold REAL NOT NULL, travellers_json TEXT NOT NULL);"
	"CREATE TABLE screen_hits ("
	" run TEXT NOT NULL REFERENCES screen_runs(id), n INTEGER NOT NULL,"
	" traveller INTEGER NOT NULL, entry TEXT NOT NULL, list TEXT NOT NULL,"
	" ref TEXT NOT NULL, score REAL NOT NULL, explanation TEXT NOT NULL,"
	" disposition INTEGER NOT NULL DEFAULT 0, disposed_by TEXT,"
	" disposed_at INTEGER, note TEXT, PRIMARY KEY (run, n));",

	/* 4: the credential of each audited request, in its own entry (one
	 * entry per read instead of "auth.ok" and the read) */
	"ALTER TABLE audit ADD COLUMN auth TEXT NOT NULL DEFAULT '';",

	/* 5: the organisation each owned id belongs to, kept after its rows
	 * are deleted (ids stored before are registered when next written) */
	"CREATE TABLE owners (id TEXT PRIMARY KEY, owner INTEGER NOT NULL)"
	" WITHOUT ROWID;",

	/* the screening officer's workflow: each hit's entry version and
	 * name, the traveller's key for suppressions, the entries of the
	 * same person, the suppression that held it back; the suppressions
	 * (false-positive dispositions remembered); runs listed by
	 * organisation and time */
	"ALTER TABLE screen_hits ADD COLUMN entry_version TEXT NOT NULL"
	" DEFAULT '';"
	"ALTER TABLE screen_hits ADD COLUMN entry_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE screen_hits ADD COLUMN key_doc TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE screen_hits ADD COLUMN key_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE screen_hits ADD COLUMN key_dob TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE screen_hits ADD COLUMN same_person TEXT;"
	"ALTER TABLE screen_hits ADD COLUMN suppressed INTEGER NOT NULL"
	" DEFAULT 0;"
	"CREATE TABLE screen_suppressions ("
	" id INTEGER PRIMARY KEY, org INTEGER NOT NULL, entry TEXT NOT NULL,"
	" entry_version TEXT NOT NULL, doc TEXT NOT NULL, name TEXT NOT NULL,"
	" dob TEXT NOT NULL, run TEXT NOT NULL, hit INTEGER NOT NULL,"
	" created INTEGER NOT NULL, by TEXT NOT NULL, note TEXT,"
	" withdrawn_at INTEGER NOT NULL DEFAULT 0, withdrawn_by TEXT);"
	"CREATE INDEX screen_suppressions_org ON screen_suppressions(org,"
	" withdrawn_at);"
	"CREATE INDEX screen_runs_created ON screen_runs(org, created);",

	/* federation: partner hubs, their cursors (committed with the objects
	 * they cover), the per-partner quarantine, and each received
	 * version's provenance (origin hub, hubs crossed, signature) */
	"CREATE TABLE sync_partners ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,"
	" direction INTEGER NOT NULL, org INTEGER NOT NULL,"
	" hub_id TEXT NOT NULL DEFAULT '', sign_pk TEXT NOT NULL DEFAULT '',"
	" config TEXT NOT NULL, secret BLOB, state TEXT NOT NULL DEFAULT '{}',"
	" created INTEGER NOT NULL);"
	"CREATE TABLE sync_cursors (partner INTEGER NOT NULL, key TEXT NOT NULL,"
	" value TEXT NOT NULL, PRIMARY KEY (partner, key)) WITHOUT ROWID;"
	"CREATE TABLE sync_quarantine ("
	" id INTEGER PRIMARY KEY, partner INTEGER NOT NULL,"
	" created INTEGER NOT NULL, collection TEXT NOT NULL,"
	" object_id TEXT NOT NULL, version TEXT NOT NULL, reason TEXT NOT NULL,"
	" json TEXT NOT NULL, prov TEXT NOT NULL);"
	"CREATE INDEX sync_quarantine_partner ON sync_quarantine(partner, id);"
	"CREATE TABLE sync_prov ("
	" date_added INTEGER PRIMARY KEY, origin TEXT NOT NULL,"
	" path TEXT NOT NULL, sig TEXT NOT NULL,"
	" unsigned INTEGER NOT NULL DEFAULT 0);"
	/* deletions by their origin, signed, relayed like versions */
	"CREATE TABLE sync_tombstones ("
	" seq INTEGER PRIMARY KEY, origin TEXT NOT NULL, id TEXT NOT NULL,"
	" version TEXT NOT NULL, sig TEXT NOT NULL, path TEXT NOT NULL,"
	" scope INTEGER NOT NULL, grp INTEGER NOT NULL, tlp INTEGER NOT NULL,"
	" classification INTEGER NOT NULL, collection TEXT NOT NULL,"
	" type TEXT NOT NULL, created INTEGER NOT NULL,"
	" UNIQUE (origin, id, version));",
	/* early warning: the key index of object versions (no pair is ever
	 * stored: related versions share a key), watches, alerts and their
	 * webhook deliveries, owners' hit / no-hit choices, access requests
	 * and grants, changes to the shipped correlation exclusions */
	"CREATE TABLE warn_keys (key TEXT NOT NULL, added INTEGER NOT NULL,"
	" PRIMARY KEY (key, added)) WITHOUT ROWID;"
	/* references, found by exact key only: a 63-bit hash of the key,
	 * which inserts about twice as fast as the text */
	"CREATE TABLE warn_refs (h INTEGER NOT NULL, added INTEGER NOT NULL,"
	" PRIMARY KEY (h, added)) WITHOUT ROWID;"
	"CREATE TABLE warn_watches ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, org INTEGER NOT NULL,"
	" user INTEGER NOT NULL, user_name TEXT NOT NULL, shared INTEGER NOT NULL,"
	" kind INTEGER NOT NULL, term TEXT NOT NULL, display TEXT NOT NULL,"
	" threshold REAL NOT NULL, webhook TEXT, secret TEXT,"
	" created INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE warn_alerts ("
	" seq INTEGER PRIMARY KEY, watch INTEGER NOT NULL, org INTEGER NOT NULL,"
	" user INTEGER NOT NULL, created INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" retro INTEGER NOT NULL, added INTEGER NOT NULL, object TEXT NOT NULL,"
	" version TEXT NOT NULL, key TEXT NOT NULL, detail TEXT NOT NULL,"
	" acked_by TEXT, acked_at INTEGER);"
	"CREATE INDEX warn_alerts_org ON warn_alerts(org, seq);"
	"CREATE TABLE warn_deliveries ("
	" alert INTEGER NOT NULL, watch INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL, next_at INTEGER NOT NULL,"
	" done INTEGER NOT NULL, error TEXT, PRIMARY KEY (alert, watch));"
	"CREATE INDEX warn_deliveries_due ON warn_deliveries(done, next_at);"
	"CREATE TABLE warn_disclosure (subject TEXT NOT NULL,"
	" org INTEGER NOT NULL, choice INTEGER NOT NULL,"
	" PRIMARY KEY (subject, org)) WITHOUT ROWID;"
	"CREATE TABLE warn_requests ("
	" id INTEGER PRIMARY KEY, created INTEGER NOT NULL,"
	" requester_org INTEGER NOT NULL, requester_user INTEGER NOT NULL,"
	" requester_name TEXT NOT NULL, owner_org INTEGER NOT NULL,"
	" object TEXT NOT NULL, reason TEXT NOT NULL, items TEXT NOT NULL,"
	" state INTEGER NOT NULL, decided_by TEXT, decided_at INTEGER);"
	"CREATE TABLE warn_grants ("
	" id INTEGER PRIMARY KEY, org INTEGER NOT NULL, owner INTEGER NOT NULL,"
	" added INTEGER NOT NULL, object TEXT NOT NULL, request INTEGER NOT NULL,"
	" granted_by TEXT NOT NULL, created INTEGER NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0, revoked_by TEXT, revoked_at INTEGER);"
	"CREATE INDEX warn_grants_org ON warn_grants(org, revoked);"
	"CREATE TABLE warn_exclusions (key TEXT PRIMARY KEY,"
	" excluded INTEGER NOT NULL) WITHOUT ROWID;",
};

int vg__sqlite_migrate(sqlite3 *db, char *err, size_t errlen)
{
	const int known = (int)(sizeof(migrations) / sizeof(migrations[0]));
	sqlite3_stmt *st = NULL;
	int have = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return VG_ESTORE;
	}
	have = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (have > known) {
		snprintf(err, errlen,
			 "store schema version %d is newer than this program's %d",
			 have, known);
		return VG_ESCHEMA;
	}
	for (int v = have; v < known; v++) {
		char *msg = NULL;
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d;", v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) ||
		    sqlite3_exec(db, migrations[v], NULL, NULL, &msg) ||
		    sqlite3_exec(db, pragma, NULL, NULL, &msg) ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg)) {
			snprintf(err, errlen, "migration %d: %s", v + 1,
				 msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return VG_ESTORE;
		}
	}
	return VG_OK;
}
