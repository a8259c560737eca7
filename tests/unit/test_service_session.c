/* The console's sessions in the service (session.h), on the in-memory
 * store: sign-in with a user's key, a session that is that key's
 * principal, the CSRF token on every change, idle and absolute expiry, a
 * revoked key ending its sessions, sign-out, the purpose; every step's
 * audit entry exactly. */
#include "svc_fixture.h"

#include <time.h>
#include <unistd.h>

#include "vigil/service/session.h"

static struct hub H;
static char key_a[VG_KEY_TEXT_LEN], id_a[17];
static char key_b[VG_KEY_TEXT_LEN];

/* The hub again, with these session limits and purpose rule. */
static void reopen(int64_t idle_us, int64_t max_us, int purpose)
{
	char err[200] = "";
	vg_service_close(H.svc);
	struct vg_service_conf c = {
	    .location = H.location,
	    .purpose_required = purpose,
	    .session_idle_us = idle_us,
	    .session_max_us = max_us,
	};
	assert_int_equal(vg_service_open(&c, &H.svc, err, sizeof(err)), VG_OK);
}

static int setup(void **state)
{
	(void)state;
	hub_open(&H, "session", 0);
	org_add(&H, "Alpha");
	user_add(&H, "ana", "Alpha", "analyst", NULL, key_a, id_a);
	user_add(&H, "bob", "Alpha", "reader", NULL, key_b, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hub_close(&H);
	return 0;
}

static void web(struct vg_ctx *c)
{
	vg_ctx_init(c, H.svc, VG_CHANNEL_HTTP, USER_SOURCE);
}

static int open_as(const char *user, const char *key, const char *purpose,
                   struct vg_session_info *si, enum vg_auth_result *res)
{
	struct vg_ctx c;
	web(&c);
	int rc = vg_session_open(&c, user, key, purpose, si, res);
	vg_ctx_release(&c);
	return rc;
}

static int auth(const char *sid, int write, const char *csrf,
                enum vg_auth_result *res, struct vg_ctx *keep)
{
	struct vg_ctx c;
	struct vg_session_info si;
	web(&c);
	int rc = vg_session_authenticate(&c, sid, write, csrf, "/api/v1/x", &si,
	                                 res);
	if (keep)
		*keep = c;
	else
		vg_ctx_release(&c);
	return rc;
}

static void test_sign_in_is_the_key(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	struct log l = {0};
	char want[64];
	reopen(0, 0, 0);
	log_read(&H, &l);
	size_t before = vg_session_count(H.svc);
	assert_int_equal(open_as("ana", key_b, NULL, &si, &res), VG_OK);
	assert_int_equal(res, VG_AUTH_WRONG_USER);
	assert_int_equal(open_as("ana", "vgk_nope", NULL, &si, &res), VG_OK);
	assert_int_equal(res, VG_AUTH_MALFORMED);
	assert_int_equal(vg_session_count(H.svc), before);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_OK);
	assert_int_equal(res, VG_AUTH_OK);
	assert_int_equal(strlen(si.id), 43);
	assert_int_equal(strlen(si.csrf), 43);
	assert_string_not_equal(si.id, si.csrf);
	assert_int_equal(si.idle_us, 30LL * 60 * 1000000);
	assert_int_equal(si.expires - si.created, 12LL * 3600 * 1000000);
	assert_int_equal(vg_session_count(H.svc), before + 1);
	log_read(&H, &l);
	log_count(&l, 3);
	entry_is(
	    &l, 0, "auth.fail", "ana",
	    "{\"reason\":\"key of another user\",\"path\":\"/api/v1/session\"}",
	    "-", 0, "");
	entry_is(&l, 1, "auth.fail", "ana",
	         "{\"reason\":\"malformed key\",\"path\":\"/api/v1/session\"}",
	         "-", 0, "");
	snprintf(want, sizeof(want), "session:%s", id_a);
	entry_is(&l, 2, "session.open", "ana",
	         "{\"idle_seconds\":1800,\"lifetime_seconds\":43200}", "ana",
	         l.v[2].org, want);
	/* a request in the session is ana's, with the session's credential */
	struct vg_ctx c;
	assert_int_equal(auth(si.id, 0, NULL, &res, &c), VG_OK);
	assert_int_equal(res, VG_AUTH_OK);
	assert_true(c.authenticated);
	assert_string_equal(c.user, "ana");
	assert_string_equal(c.auth, want);
	assert_int_equal(c.channel, VG_CHANNEL_WEB);
	assert_int_equal(c.p.role, VG_ROLE_ANALYST);
	const char *names[6];
	assert_int_equal(vg_ctx_actions(&c, names), 3);
	assert_string_equal(names[1], "write");
	vg_ctx_release(&c);
	log_free(&l);
}

static void test_csrf_on_changes(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	struct log l = {0};
	reopen(0, 0, 0);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_OK);
	log_read(&H, &l);
	char wrong[44];
	snprintf(wrong, sizeof(wrong), "%s", si.csrf);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	assert_int_equal(auth(si.id, 1, NULL, &res, NULL), VG_EDENIED);
	assert_int_equal(auth(si.id, 1, wrong, &res, NULL), VG_EDENIED);
	assert_int_equal(auth(si.id, 1, "", &res, NULL), VG_EDENIED);
	assert_int_equal(auth(si.id, 1, si.id, &res, NULL), VG_EDENIED);
	assert_int_equal(auth(si.id, 1, si.csrf, &res, NULL), VG_OK);
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	log_read(&H, &l);
	log_count(&l, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(
		    l.v[i].detail,
		    "{\"needs\":\"csrf-token\",\"role\":\"analyst\"}");
	log_free(&l);
}

static void test_unknown_and_ended_sessions(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	struct log l = {0};
	reopen(0, 0, 0);
	assert_int_equal(auth("short", 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_SESSION_UNKNOWN);
	assert_int_equal(auth("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0,
	                      NULL, &res, NULL),
	                 VG_OK);
	assert_int_equal(res, VG_AUTH_SESSION_UNKNOWN);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_OK);
	struct vg_ctx c;
	assert_int_equal(auth(si.id, 1, si.csrf, &res, &c), VG_OK);
	log_read(&H, &l);
	assert_int_equal(vg_session_close(&c, si.id), VG_OK);
	vg_ctx_release(&c);
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_SESSION_UNKNOWN);
	log_read(&H, &l);
	log_count(&l, 2);
	assert_string_equal(l.v[0].action, "session.close");
	entry_is(&l, 1, "auth.fail", "",
	         "{\"reason\":\"unknown session\",\"path\":\"/api/v1/x\"}", "-",
	         0, "");
	/* a key context cannot close a session */
	struct vg_ctx k;
	ctx_key(&H, &k, key_a);
	assert_int_equal(vg_session_close(&k, si.id), VG_EDENIED);
	vg_ctx_release(&k);
	log_free(&l);
}

static void test_idle_and_absolute_expiry(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	struct log l = {0};
	/* idle: 400 ms without a request (wide margins: a loaded machine
	 * sleeps longer than asked) */
	reopen(400000, 0, 0);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_OK);
	usleep(20000);
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_OK);
	usleep(600000);
	log_read(&H, &l);
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_SESSION_EXPIRED);
	assert_int_equal(vg_session_count(H.svc), 0);
	log_read(&H, &l);
	entry_is(&l, 0, "auth.fail", "",
	         "{\"reason\":\"expired session\",\"path\":\"/api/v1/x\"}", "-",
	         0, "");
	/* absolute: 300 ms whatever happens, though it is used all along */
	reopen(10000000, 300000, 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_OK);
	for (int i = 0; i < 400; i++) {
		usleep(5000);
		assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
		if (res != VG_AUTH_OK)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	          (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_int_equal(res, VG_AUTH_SESSION_EXPIRED);
	assert_true(ms >= 300);
	log_free(&l);
}

static void test_a_revoked_key_ends_its_sessions(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	char err[200];
	char key[VG_KEY_TEXT_LEN], id[17];
	reopen(0, 0, 0);
	user_add(&H, "cara", "Alpha", "analyst", NULL, key, id);
	assert_int_equal(open_as("cara", key, NULL, &si, &res), VG_OK);
	struct vg_ctx op;
	ctx_operator(&H, &op);
	assert_int_equal(vg_key_revoke(&op, id, err, sizeof(err)), VG_OK);
	vg_ctx_release(&op);
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_REVOKED);
	/* and it is gone: the next try does not find it */
	assert_int_equal(auth(si.id, 0, NULL, &res, NULL), VG_OK);
	assert_int_equal(res, VG_AUTH_SESSION_UNKNOWN);
}

static void test_purpose(void **state)
{
	(void)state;
	struct vg_session_info si;
	enum vg_auth_result res;
	struct log l = {0};
	char big[VG_PURPOSE_MAX + 2];
	reopen(0, 0, 1);
	size_t n = vg_session_count(H.svc);
	assert_int_equal(open_as("ana", key_a, NULL, &si, &res), VG_EPURPOSE);
	assert_int_equal(open_as("ana", key_a, "", &si, &res), VG_EPURPOSE);
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(open_as("ana", key_a, big, &si, &res), VG_EINVAL);
	assert_int_equal(vg_session_count(H.svc), n);
	assert_int_equal(open_as("ana", key_a, "case 7", &si, &res), VG_OK);
	assert_string_equal(si.purpose, "case 7");
	struct vg_ctx c;
	assert_int_equal(auth(si.id, 1, si.csrf, &res, &c), VG_OK);
	struct vg_session_info now;
	assert_int_equal(vg_session_set_purpose(&c, si.id, "", &now),
	                 VG_EPURPOSE);
	log_read(&H, &l);
	assert_int_equal(vg_session_set_purpose(&c, si.id, "case 8", &now),
	                 VG_OK);
	assert_string_equal(now.purpose, "case 8");
	vg_ctx_release(&c);
	log_read(&H, &l);
	log_count(&l, 1);
	assert_string_equal(l.v[0].action, "session.purpose");
	assert_string_equal(l.v[0].purpose, "case 8");
	struct vg_ctx d;
	struct vg_session_info again;
	web(&d);
	assert_int_equal(
	    vg_session_authenticate(&d, si.id, 0, NULL, "/", &again, &res),
	    VG_OK);
	assert_string_equal(again.purpose, "case 8");
	vg_ctx_release(&d);
	log_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sign_in_is_the_key),
	    cmocka_unit_test(test_csrf_on_changes),
	    cmocka_unit_test(test_unknown_and_ended_sessions),
	    cmocka_unit_test(test_idle_and_absolute_expiry),
	    cmocka_unit_test(test_a_revoked_key_ends_its_sessions),
	    cmocka_unit_test(test_purpose),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
