/* Moving a hub to another store (vigil migrate): SQLite to PostgreSQL and
 * back. Everything is copied as it is stored (object versions with their
 * date_added, organisations, users, keys, groups, collections, the audit
 * log with its chain and checkpoints, screening runs), then every table
 * is read back from both stores and compared, and the copy's audit log is
 * verified. */
#ifndef VIGIL_SERVICE_MIGRATE_H
#define VIGIL_SERVICE_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

struct vg_migrate {
	const char *from, *to; /* store locations (store.h) */
	/* the signing key's directory of a store that has no directory of
	 * its own (PostgreSQL); a directory store's is the directory */
	const char *from_key_dir, *to_key_dir;
	const char *login; /* the operator, for the audit entry */
};

struct vg_migrate_result {
	size_t tables;
	int64_t rows;
	int64_t entries, checkpoints; /* the copy's verified audit log */
};

/* Copy the hub at m->from into m->to, which holds no hub (made when
 * missing), verify the copy, and record "hub.migrate" in the copy's log.
 * The source's writers wait while it is read. VG_ENOTFOUND (no hub at
 * from), VG_EDUPLICATE (a hub at to), VG_EUNSUPPORTED (a backend that
 * cannot copy), VG_ESTORE (the copy differs, or a store failed); err
 * says which. */
int vg_hub_migrate(const struct vg_migrate *m, struct vg_migrate_result *out,
                   char *err, size_t errlen);

#endif
