/* The console's files, embedded at build time (web/build.mjs generates
 * the table from web/src): each as it is and gzipped. */
#ifndef VIGIL_HTTP_UI_ASSETS_H
#define VIGIL_HTTP_UI_ASSETS_H

#include <stddef.h>

struct vg_ui_asset {
	const char *name; /* "index.html", "app-HASH.js", ... */
	const char *type; /* the Content-Type */
	const unsigned char *data;
	size_t len;
	const unsigned char *gz; /* the same, gzipped */
	size_t gz_len;
	const char *etag; /* quoted */
	int immutable;    /* the name carries the content's hash */
};

extern const struct vg_ui_asset vg_ui_assets[];
extern const size_t vg_ui_n_assets;

#endif
