/* The PostgreSQL schema, as a list of migrations applied in order, each
 * in its own transaction; vigil_schema holds the number applied. Several
 * processes may open the store at once: the migration lock makes one of
 * them migrate and the others wait. Never edit a released migration:
 * append a new one. Texts are compared by bytes (COLLATE "C"), as SQLite
 * does, whatever the database's collation. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const migrations[] = {
    /* 1: the hub as SQLite's migrations 1 to 5 leave it */
    "CREATE TABLE objects ("
    " date_added bigint PRIMARY KEY," /* microseconds, unique, increasing */
    " id text COLLATE \"C\" NOT NULL,"
    " version text COLLATE \"C\" NOT NULL," /* normalised modified or created */
    " type text COLLATE \"C\" NOT NULL,"
    " created text, modified text, spec_version text COLLATE \"C\","
    " revoked integer NOT NULL DEFAULT 0,"
    " owner bigint NOT NULL DEFAULT 0,"
    " scope integer NOT NULL DEFAULT 0,"
    " tlp integer NOT NULL DEFAULT 0,"
    " classification integer NOT NULL DEFAULT 0,"
    " latest integer NOT NULL,"
    " collection text COLLATE \"C\" NOT NULL,"
    " grp bigint NOT NULL DEFAULT 0,"
    " copy integer NOT NULL DEFAULT 0,"
    " json text NOT NULL);"
    "CREATE UNIQUE INDEX objects_id ON objects(id, version, collection, owner);"
    "CREATE INDEX objects_collection ON objects(collection, date_added);"
    "CREATE TABLE hub (key text COLLATE \"C\" PRIMARY KEY, value text NOT "
    "NULL);"
    "CREATE TABLE orgs ("
    " id bigint PRIMARY KEY, name text COLLATE \"C\" NOT NULL UNIQUE,"
    " identity text COLLATE \"C\" NOT NULL UNIQUE, created bigint NOT NULL);"
    "CREATE TABLE users ("
    " id bigint PRIMARY KEY, name text COLLATE \"C\" NOT NULL UNIQUE,"
    " org bigint NOT NULL REFERENCES orgs(id),"
    " role integer NOT NULL, clearance integer NOT NULL DEFAULT 0,"
    " disabled integer NOT NULL DEFAULT 0, created bigint NOT NULL);"
    "CREATE TABLE keys ("
    " id text COLLATE \"C\" PRIMARY KEY,"
    " \"user\" bigint NOT NULL REFERENCES users(id),"
    " hash bytea NOT NULL, created bigint NOT NULL,"
    " expires bigint NOT NULL DEFAULT 0,"
    " revoked integer NOT NULL DEFAULT 0);"
    "CREATE TABLE groups ("
    " id bigint PRIMARY KEY, name text COLLATE \"C\" NOT NULL UNIQUE,"
    " created bigint NOT NULL);"
    "CREATE TABLE group_members ("
    " grp bigint NOT NULL REFERENCES groups(id),"
    " org bigint NOT NULL REFERENCES orgs(id), PRIMARY KEY (grp, org));"
    "CREATE TABLE collections ("
    " id text COLLATE \"C\" PRIMARY KEY,"
    " alias text COLLATE \"C\" NOT NULL UNIQUE, title text NOT NULL,"
    " description text NOT NULL, scope integer NOT NULL,"
    " org bigint NOT NULL DEFAULT 0, grp bigint NOT NULL DEFAULT 0,"
    " position integer NOT NULL);"
    "CREATE TABLE status ("
    " id text COLLATE \"C\" PRIMARY KEY, \"user\" bigint NOT NULL,"
    " created bigint NOT NULL, json text NOT NULL);"
    "CREATE INDEX status_created ON status(created);"
    "CREATE TABLE audit ("
    " seq bigint PRIMARY KEY, ts bigint NOT NULL, actor text NOT NULL,"
    " org bigint NOT NULL, action text NOT NULL, target text NOT NULL,"
    " detail text NOT NULL, source text NOT NULL, purpose text NOT NULL,"
    " prev bytea NOT NULL, hash bytea NOT NULL,"
    " auth text NOT NULL DEFAULT '');"
    "CREATE TABLE checkpoints ("
    " seq bigint PRIMARY KEY, head bytea NOT NULL, ts bigint NOT NULL,"
    " sig bytea NOT NULL);"
    "CREATE TABLE screen_runs ("
    " id text COLLATE \"C\" PRIMARY KEY, created bigint NOT NULL,"
    " actor text NOT NULL, org bigint NOT NULL, source text NOT NULL,"
    " format text NOT NULL, travellers bigint NOT NULL, hits bigint NOT NULL,"
    " threshold double precision NOT NULL, travellers_json text NOT NULL);"
    "CREATE TABLE screen_hits ("
    " run text COLLATE \"C\" NOT NULL REFERENCES screen_runs(id),"
    " n bigint NOT NULL, traveller bigint NOT NULL, entry text NOT NULL,"
    " list text NOT NULL, ref text NOT NULL,"
    " score double precision NOT NULL, explanation text NOT NULL,"
    " disposition integer NOT NULL DEFAULT 0, disposed_by text,"
    " disposed_at bigint, note text, PRIMARY KEY (run, n));"
    "CREATE TABLE owners (id text COLLATE \"C\" PRIMARY KEY,"
    " owner bigint NOT NULL);",

    /* 2: the screening officer's workflow, as SQLite's migration 6: each
     * hit's entry version and name, the traveller's key, the entries of
     * the same person, the suppression that held it back; the
     * suppressions; runs listed by organisation and time */
    "ALTER TABLE screen_hits"
    " ADD COLUMN entry_version text COLLATE \"C\" NOT NULL DEFAULT '',"
    " ADD COLUMN entry_name text COLLATE \"C\" NOT NULL DEFAULT '',"
    " ADD COLUMN key_doc text COLLATE \"C\" NOT NULL DEFAULT '',"
    " ADD COLUMN key_name text COLLATE \"C\" NOT NULL DEFAULT '',"
    " ADD COLUMN key_dob text COLLATE \"C\" NOT NULL DEFAULT '',"
    " ADD COLUMN same_person text COLLATE \"C\","
    " ADD COLUMN suppressed bigint NOT NULL DEFAULT 0;"
    "CREATE TABLE screen_suppressions ("
    " id bigint PRIMARY KEY, org bigint NOT NULL,"
    " entry text COLLATE \"C\" NOT NULL,"
    " entry_version text COLLATE \"C\" NOT NULL,"
    " doc text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL,"
    " dob text COLLATE \"C\" NOT NULL, run text COLLATE \"C\" NOT NULL,"
    " hit bigint NOT NULL, created bigint NOT NULL,"
    " \"by\" text COLLATE \"C\" NOT NULL, note text COLLATE \"C\","
    " withdrawn_at bigint NOT NULL DEFAULT 0,"
    " withdrawn_by text COLLATE \"C\");"
    "CREATE INDEX screen_suppressions_org ON screen_suppressions(org,"
    " withdrawn_at);"
    "CREATE INDEX screen_runs_created ON screen_runs(org, created);",

    /* 3: federation, as SQLite's migration 7: partner hubs, their
     * cursors, the per-partner quarantine, each received version's
     * provenance, and the tombstones of deletions by their origin */
    "CREATE TABLE sync_partners ("
    " id bigint PRIMARY KEY, name text COLLATE \"C\" NOT NULL UNIQUE,"
    " url text COLLATE \"C\" NOT NULL, direction integer NOT NULL,"
    " org bigint NOT NULL, hub_id text COLLATE \"C\" NOT NULL DEFAULT '',"
    " sign_pk text COLLATE \"C\" NOT NULL DEFAULT '',"
    " config text COLLATE \"C\" NOT NULL, secret bytea,"
    " state text COLLATE \"C\" NOT NULL DEFAULT '{}',"
    " created bigint NOT NULL);"
    "CREATE TABLE sync_cursors (partner bigint NOT NULL,"
    " key text COLLATE \"C\" NOT NULL, value text COLLATE \"C\" NOT NULL,"
    " PRIMARY KEY (partner, key));"
    "CREATE TABLE sync_quarantine ("
    " id bigint PRIMARY KEY, partner bigint NOT NULL,"
    " created bigint NOT NULL, collection text COLLATE \"C\" NOT NULL,"
    " object_id text COLLATE \"C\" NOT NULL,"
    " version text COLLATE \"C\" NOT NULL,"
    " reason text COLLATE \"C\" NOT NULL, json text COLLATE \"C\" NOT NULL,"
    " prov text COLLATE \"C\" NOT NULL);"
    "CREATE INDEX sync_quarantine_partner ON sync_quarantine(partner, id);"
    "CREATE TABLE sync_prov ("
    " date_added bigint PRIMARY KEY, origin text COLLATE \"C\" NOT NULL,"
    " path text COLLATE \"C\" NOT NULL, sig text COLLATE \"C\" NOT NULL,"
    " unsigned integer NOT NULL DEFAULT 0);"
    "CREATE TABLE sync_tombstones ("
    " seq bigint PRIMARY KEY, origin text COLLATE \"C\" NOT NULL,"
    " id text COLLATE \"C\" NOT NULL, version text COLLATE \"C\" NOT NULL,"
    " sig text COLLATE \"C\" NOT NULL, path text COLLATE \"C\" NOT NULL,"
    " scope integer NOT NULL, grp bigint NOT NULL, tlp integer NOT NULL,"
    " classification integer NOT NULL,"
    " collection text COLLATE \"C\" NOT NULL,"
    " type text COLLATE \"C\" NOT NULL, created bigint NOT NULL,"
    " UNIQUE (origin, id, version));",

    /* 4: early warning, as SQLite's migration 8: the key index of object
     * versions (warn_refs: references as a 63-bit hash of the key, found
     * by exact key only), watches, alerts and their webhook deliveries,
     * owners' hit / no-hit choices, access requests and grants, changes
     * to the shipped correlation exclusions */
    "CREATE TABLE warn_keys (key text COLLATE \"C\" NOT NULL,"
    " added bigint NOT NULL, PRIMARY KEY (key, added));"
    "CREATE TABLE warn_refs (h bigint NOT NULL, added bigint NOT NULL,"
    " PRIMARY KEY (h, added));"
    "CREATE TABLE warn_watches ("
    " id bigint PRIMARY KEY, name text COLLATE \"C\" NOT NULL,"
    " org bigint NOT NULL, \"user\" bigint NOT NULL,"
    " user_name text COLLATE \"C\" NOT NULL, shared integer NOT NULL,"
    " kind integer NOT NULL, term text COLLATE \"C\" NOT NULL,"
    " display text COLLATE \"C\" NOT NULL,"
    " threshold double precision NOT NULL, webhook text COLLATE \"C\","
    " secret text COLLATE \"C\", created bigint NOT NULL,"
    " disabled integer NOT NULL DEFAULT 0);"
    "CREATE TABLE warn_alerts ("
    " seq bigint PRIMARY KEY, watch bigint NOT NULL, org bigint NOT NULL,"
    " \"user\" bigint NOT NULL, created bigint NOT NULL,"
    " kind integer NOT NULL, retro integer NOT NULL, added bigint NOT NULL,"
    " object text COLLATE \"C\" NOT NULL,"
    " version text COLLATE \"C\" NOT NULL,"
    " key text COLLATE \"C\" NOT NULL, detail text COLLATE \"C\" NOT NULL,"
    " acked_by text COLLATE \"C\", acked_at bigint);"
    "CREATE INDEX warn_alerts_org ON warn_alerts(org, seq);"
    "CREATE TABLE warn_deliveries ("
    " alert bigint NOT NULL, watch bigint NOT NULL,"
    " attempts integer NOT NULL, next_at bigint NOT NULL,"
    " done integer NOT NULL, error text COLLATE \"C\","
    " PRIMARY KEY (alert, watch));"
    "CREATE INDEX warn_deliveries_due ON warn_deliveries(done, next_at);"
    "CREATE TABLE warn_disclosure (subject text COLLATE \"C\" NOT NULL,"
    " org bigint NOT NULL, choice integer NOT NULL,"
    " PRIMARY KEY (subject, org));"
    "CREATE TABLE warn_requests ("
    " id bigint PRIMARY KEY, created bigint NOT NULL,"
    " requester_org bigint NOT NULL, requester_user bigint NOT NULL,"
    " requester_name text COLLATE \"C\" NOT NULL,"
    " owner_org bigint NOT NULL, object text COLLATE \"C\" NOT NULL,"
    " reason text COLLATE \"C\" NOT NULL,"
    " items text COLLATE \"C\" NOT NULL, state integer NOT NULL,"
    " decided_by text COLLATE \"C\", decided_at bigint);"
    "CREATE TABLE warn_grants ("
    " id bigint PRIMARY KEY, org bigint NOT NULL, owner bigint NOT NULL,"
    " added bigint NOT NULL, object text COLLATE \"C\" NOT NULL,"
    " request bigint NOT NULL, granted_by text COLLATE \"C\" NOT NULL,"
    " created bigint NOT NULL, revoked integer NOT NULL DEFAULT 0,"
    " revoked_by text COLLATE \"C\", revoked_at bigint);"
    "CREATE INDEX warn_grants_org ON warn_grants(org, revoked);"
    "CREATE TABLE warn_exclusions (key text COLLATE \"C\" PRIMARY KEY,"
    " excluded integer NOT NULL);",
    /* 5: the generations of the read cache (store.h gens): moved by a
     * trigger after every statement that changes what a page of objects
     * or an authentication reads, in the same transaction, whoever
     * writes (vigil, or SQL typed by hand) */
    "CREATE TABLE vigil_gen (one integer PRIMARY KEY CHECK (one = 1),"
    " data bigint NOT NULL, auth bigint NOT NULL);"
    "INSERT INTO vigil_gen VALUES (1, 1, 1);"
    "CREATE FUNCTION vigil_gen_move() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN IF TG_ARGV[0] = 'auth' THEN"
    " UPDATE vigil_gen SET auth = auth + 1; ELSE"
    " UPDATE vigil_gen SET data = data + 1; END IF; RETURN NULL; END$$;"
    "CREATE TRIGGER objects_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON objects EXECUTE FUNCTION vigil_gen_move('data');"
    "CREATE TRIGGER collections_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON collections EXECUTE FUNCTION vigil_gen_move('data');"
    "CREATE TRIGGER keys_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON keys EXECUTE FUNCTION vigil_gen_move('auth');"
    "CREATE TRIGGER users_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON users EXECUTE FUNCTION vigil_gen_move('auth');"
    "CREATE TRIGGER orgs_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON orgs EXECUTE FUNCTION vigil_gen_move('auth');"
    "CREATE TRIGGER groups_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON groups EXECUTE FUNCTION vigil_gen_move('auth');"
    "CREATE TRIGGER group_members_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON group_members EXECUTE FUNCTION vigil_gen_move('auth');"
    "CREATE TRIGGER warn_grants_gen AFTER INSERT OR UPDATE OR DELETE OR"
    " TRUNCATE ON warn_grants EXECUTE FUNCTION vigil_gen_move('auth');",
};

int vg__pg_migrate(struct vg__pg *p)
{
	const int known = (int)(sizeof(migrations) / sizeof(migrations[0]));
	PGresult *r = NULL;
	int have = 0, rc;
	/* most opens find the schema current: one read, no lock */
	rc = vg__pg_run(p, &r, "SELECT to_regclass('vigil_schema') IS NOT NULL",
	                NULL);
	if (!rc && !strcmp(PQgetvalue(r, 0, 0), "t")) {
		PQclear(r);
		r = NULL;
		rc =
		    vg__pg_run(p, &r, "SELECT version FROM vigil_schema", NULL);
		if (!rc && PQntuples(r) == 1 && vg__pg_int(r, 0, 0) == known) {
			PQclear(r);
			return VG_OK;
		}
	}
	PQclear(r);
	r = NULL;
	if (rc)
		return rc;
	rc =
	    vg__pg_exec(p, "SELECT pg_advisory_lock(" VG__PG_MIGRATE_LOCK ");"
	                   " CREATE TABLE IF NOT EXISTS vigil_schema (version "
	                   "integer NOT NULL);"
	                   " INSERT INTO vigil_schema SELECT 0 WHERE NOT EXISTS"
	                   " (SELECT 1 FROM vigil_schema)");
	if (!rc)
		rc =
		    vg__pg_run(p, &r, "SELECT version FROM vigil_schema", NULL);
	if (!rc) {
		have = (int)vg__pg_int(r, 0, 0);
		if (have > known) {
			snprintf(p->err, sizeof(p->err),
			         "store schema version %d is newer than this "
			         "program's %d",
			         have, known);
			rc = VG_ESCHEMA;
		}
	}
	PQclear(r);
	for (int v = have; !rc && v < known; v++) {
		char set[80];
		snprintf(set, sizeof(set),
		         "UPDATE vigil_schema SET version = %d", v + 1);
		rc = vg__pg_exec(p, "BEGIN");
		if (!rc)
			rc = vg__pg_exec(p, migrations[v]);
		if (!rc)
			rc = vg__pg_exec(p, set);
		if (!rc)
			rc = vg__pg_exec(p, "COMMIT");
		if (rc) {
			char why[400];
			snprintf(why, sizeof(why), "%.390s", p->err);
			snprintf(p->err, sizeof(p->err), "migration %d: %.400s",
			         v + 1, why);
			vg__pg_exec(p, "ROLLBACK");
		}
	}
	/* a lost connection has dropped the lock with it */
	PQclear(PQexec(p->conn,
	               "SELECT pg_advisory_unlock(" VG__PG_MIGRATE_LOCK ")"));
	return rc;
}
