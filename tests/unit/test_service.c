/* The service's rules on the in-memory store, through the use cases the
 * fronts call: ownership and versioning (vg_taxii_add and its status),
 * deletes, what readers of each organisation see, and what each role may
 * do, each with the exact audit entries it leaves. No SQLite, no HTTP. */
#include "svc_fixture.h"

/* A memory hub outlives the handle that created it, until it is dropped:
 * vg_hub_create closes its handle, and the service opens the hub after. */
static void test_memory_hub(void **state)
{
	(void)state;
	struct hub h;
	char key[VG_KEY_TEXT_LEN], err[200] = "";
	struct vg_hub_init in = {0};
	hub_open(&h, "memory-hub", 0);
	assert_string_equal(vg_service_hub_name(h.svc), "test hub");
	/* a second handle sees the same store: the hub exists */
	assert_int_equal(vg_hub_create(h.location, &in, OP_LOGIN, key, err,
				       sizeof(err)),
			 VG_EDUPLICATE);
	vg_service_close(h.svc);
	/* closed, still there */
	struct vg_service_conf c = {.location = h.location};
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)), VG_OK);
	vg_service_close(h.svc);
	vg_store_memory_drop(h.name);
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)),
			 VG_ENOTFOUND);
	assert_string_equal(err, "no store 'memory:memory-hub'");
	/* dropped while open: gone when the last handle closes */
	hub_open(&h, "memory-hub", 0);
	vg_store_memory_drop(h.name);
	struct vg_ctx op;
	char got[100];
	ctx_operator(&h, &op);
	assert_int_equal(page(&op, "community", VG_PAGE_OBJECTS, NULL, NULL, got,
			      sizeof(got), err, sizeof(err)),
			 VG_OK);
	assert_string_equal(got, "");
	vg_service_close(h.svc);
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)),
			 VG_ENOTFOUND);
	vg_store_memory_drop(h.name); /* unknown: nothing happens */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_hub),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
