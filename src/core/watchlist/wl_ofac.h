/* Between the OFAC list parser's files (not public API). */
#ifndef VIGIL_CORE_WL_OFAC_H
#define VIGIL_CORE_WL_OFAC_H

#include "wl_int.h"

/* Read the Remarks text of one entry into its person record (dates and
 * places of birth, nationalities, gender, documents, weak aliases).
 * VG_OK or VG_ENOMEM; parts in no known form are skipped. */
int vg__ofac_remarks(struct vg_person *p, const char *remarks);

#endif
