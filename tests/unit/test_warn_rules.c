/* Unit tests of early warning's pure rules (warn/rules.h): where a
 * webhook may go, and the signature a receiver checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vigil/warn/rules.h"

static void webhook_hosts(void **state)
{
	(void)state;
	const char *list = "hooks.example.org, 10.0.0.5:8443,[fd00::7]:9000";
	assert_true(vg_webhook_hosts_valid(list));
	assert_true(vg_webhook_allowed("https://hooks.example.org/a?b#c", list));
	assert_true(vg_webhook_allowed("http://HOOKS.Example.ORG:81/", list));
	assert_true(vg_webhook_allowed("https://10.0.0.5:8443/x", list));
	assert_true(vg_webhook_allowed("http://[fd00::7]:9000/", list));
	static const char *const refused[] = {
		"https://10.0.0.5/x",            /* 443, not 8443 */
		"http://10.0.0.5:8444/",
		"http://[fd00::7]/",             /* port 80 */
		"http://hooks.example.org.evil.example/",
		"http://evil.example/hooks.example.org",
		"http://hooks.example.org@169.254.169.254/",
		"http://x@hooks.example.org/",   /* no user name at all */
		"ftp://hooks.example.org/",
		"hooks.example.org",
		"http://hooks.example.org:0/",
		"http://hooks.example.org:99999/",
		"http://hooks.example.org:/",
		"http:///x",
		"",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (vg_webhook_allowed(refused[i], list))
			fail_msg("allowed: %s", refused[i]);
	/* none by default; "*" for any */
	assert_true(vg_webhook_hosts_valid(""));
	assert_false(vg_webhook_allowed("https://hooks.example.org/", ""));
	assert_true(vg_webhook_allowed("https://anything.example:1/", "*"));
	assert_false(vg_webhook_allowed("https://u:p@anything.example/", "*"));
	assert_false(vg_webhook_allowed(NULL, "*"));
	assert_false(vg_webhook_hosts_valid("a b"));
	assert_false(vg_webhook_hosts_valid("host:port"));
	assert_false(vg_webhook_hosts_valid("host:70000"));
	assert_false(vg_webhook_hosts_valid("[fd00::1"));
	assert_false(vg_webhook_hosts_valid("http://host/"));
	char big[1100];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(vg_webhook_hosts_valid(big));
}

static void signature(void **state)
{
	(void)state;
	/* HMAC-SHA256("key", "1.body"), computed with Python's hmac module */
	char out[65];
	vg_warn_sign((const unsigned char *)"key", 3, "1", "body", 4, out);
	assert_string_equal(
	    out,
	    "91b5374b153842ad05b2c4eab9349b8321b14703165bd3fb8b034dfb8be98ae5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(webhook_hosts),
		cmocka_unit_test(signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
