/* Early warning's part of the HTTP front: the /api/v1 handlers of
 * warn_routes.c, the live alert stream (warn_sse.c) and the webhook
 * sender (webhook.c). Thin, as the rest of http/: every rule is the
 * service's (include/vigil/service/warn.h). */
#ifndef VIGIL_WARN_HTTP_H
#define VIGIL_WARN_HTTP_H

#include "http_int.h"

enum MHD_Result vg__h_correlations(struct req *r);
enum MHD_Result vg__h_watches_get(struct req *r);
enum MHD_Result vg__h_watches_post(struct req *r);
enum MHD_Result vg__h_watch_delete(struct req *r);
enum MHD_Result vg__h_alerts_get(struct req *r);
enum MHD_Result vg__h_alert_ack(struct req *r);
enum MHD_Result vg__h_alerts_stream(struct req *r);
enum MHD_Result vg__h_requests_get(struct req *r);
enum MHD_Result vg__h_requests_post(struct req *r);
enum MHD_Result vg__h_request_decide(struct req *r);
enum MHD_Result vg__h_grants_get(struct req *r);
enum MHD_Result vg__h_grant_delete(struct req *r);
enum MHD_Result vg__h_disclosure_post(struct req *r);
enum MHD_Result vg__h_exclusions_get(struct req *r);
enum MHD_Result vg__h_exclusions_post(struct req *r);
enum MHD_Result vg__h_graph(struct req *r);
enum MHD_Result vg__h_trends(struct req *r);
enum MHD_Result vg__h_signals(struct req *r);

/* The server stops: every stream ends (a suspended connection must not
 * outlive the daemon), the webhook sender finishes. */
void vg__sse_stop(struct vg_http *h);
/* The webhook sender: a thread posting due deliveries (libcurl). */
int vg__webhooks_start(struct vg_http *h);
void vg__webhooks_stop(void);

#endif
