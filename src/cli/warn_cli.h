/* Shared by the early-warning commands (cmd_watch.c, cmd_alerts.c,
 * cmd_access.c, cmd_graph.c, cmd_trends.c): opening the hub as the
 * operator or, with --as USER, as that user; printing answers. */
#ifndef VIGIL_WARN_CLI_H
#define VIGIL_WARN_CLI_H

#include <cjson/cJSON.h>

#include "cli.h"
#include "vigil/util/buf.h"

/* vg_cli_open, then (as not NULL) act as user as; prints the reason and
 * returns the exit code on failure, else 0. */
int vg__cli_open_as(struct vg_cli *cli, const char *as, struct vg_service **svc,
                    struct vg_ctx *ctx);
/* Print JSON text indented (or as it is with compact). */
void vg__cli_print_json(const char *json, int compact);
/* A string member of o, "" when absent. */
const char *vg__cli_str(const cJSON *o, const char *k);
/* A number member of o as a long long, 0 when absent. */
long long vg__cli_num(const cJSON *o, const char *k);

#endif
