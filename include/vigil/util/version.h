/* vigil's version string. */
#ifndef VIGIL_VERSION_H
#define VIGIL_VERSION_H
const char *vg_version(void);
#endif
