/* Seals (fed/seal.h): every leaf of trees of 1 to 70 leaves proves its
 * own root, and no other object, salt, position or root passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "vigil/fed/seal.h"
#include "vigil/util/error.h"

static cJSON *obj(int i)
{
	char text[200];
	snprintf(
	    text, sizeof(text),
	    "{\"type\":\"indicator\",\"id\":\"indicator--%08d-0000-4000-8000-"
	    "000000000000\",\"name\":\"n%d\",\"b\":[1,2.5,true]}",
	    i, i);
	return cJSON_Parse(text);
}

static void test_every_leaf_proves_its_root(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	static unsigned char leaves[70][VG_SEAL_HASH], salts[70][VG_SEAL_SALT];
	unsigned char root[VG_SEAL_HASH], sig[64];
	memset(sig, 7, sizeof(sig));
	for (size_t n = 1; n <= 70; n++) {
		for (size_t i = 0; i < n; i++) {
			cJSON *o = obj((int)i);
			randombytes_buf(salts[i], VG_SEAL_SALT);
			assert_int_equal(vg_seal_leaf(o, salts[i], leaves[i]),
			                 VG_OK);
			cJSON_Delete(o);
		}
		vg_seal_root((const unsigned char(*)[VG_SEAL_HASH])leaves, n,
		             root);
		struct vg_seal_tree t;
		assert_int_equal(
		    vg_seal_tree_build(
		        &t, (const unsigned char(*)[VG_SEAL_HASH])leaves, n),
		    VG_OK);
		assert_memory_equal(t.root, root, VG_SEAL_HASH);
		for (size_t i = 0; i < n; i++) {
			char text[VG_SEAL_TEXT];
			struct vg_seal_proof p;
			assert_int_equal(
			    vg_seal_text(&t, i, salts[i], sig, text), VG_OK);
			assert_int_equal(vg_seal_parse(text, &p), VG_OK);
			assert_memory_equal(p.root, root, VG_SEAL_HASH);
			assert_memory_equal(p.sig, sig, 64);
			cJSON *o = obj((int)i), *other = obj((int)i + 1000);
			assert_true(vg_seal_holds(o, &p));
			assert_false(vg_seal_holds(other, &p));
			/* another position, salt or root does not hold */
			struct vg_seal_proof q = p;
			if (n > 1) {
				q.index = (i + 1) % n;
				assert_false(vg_seal_holds(o, &q));
			}
			q = p;
			q.salt[0] ^= 1;
			assert_false(vg_seal_holds(o, &q));
			q = p;
			q.root[3] ^= 1;
			assert_false(vg_seal_holds(o, &q));
			/* the same object with its members in another order
			 * holds (JCS) */
			cJSON *moved = cJSON_Duplicate(o, 1);
			cJSON *nm = cJSON_DetachItemFromObject(moved, "name");
			cJSON_AddItemToObject(moved, "name", nm);
			assert_true(vg_seal_holds(moved, &p));
			cJSON_Delete(moved);
			cJSON_Delete(o);
			cJSON_Delete(other);
		}
		vg_seal_tree_release(&t);
	}
	struct vg_seal_proof p;
	assert_int_equal(vg_seal_parse("seal1:abc", &p), VG_EINVAL);
	assert_int_equal(vg_seal_parse("sig", &p), VG_EINVAL);
	assert_int_equal(vg_seal_parse(NULL, &p), VG_EINVAL);
}

/* The text's base64url is read as strictly as libsodium reads it: the
 * same bytes, and no other character, padding or leftover bit. */
static void test_text_strict(void **state)
{
	(void)state;
	unsigned char leaves[3][VG_SEAL_HASH], salt[VG_SEAL_SALT], sig[64];
	struct vg_seal_tree t;
	struct vg_seal_proof p;
	char text[VG_SEAL_TEXT], bad[VG_SEAL_TEXT + 2];
	memset(leaves, 7, sizeof(leaves));
	memset(salt, 0xfb, sizeof(salt)); /* '-' and '_' in the text */
	memset(sig, 0xff, sizeof(sig));
	assert_int_equal(
	    vg_seal_tree_build(&t, (const unsigned char(*)[VG_SEAL_HASH])leaves,
	                       3),
	    VG_OK);
	assert_int_equal(vg_seal_text(&t, 2, salt, sig, text), VG_OK);
	assert_int_equal(vg_seal_parse(text, &p), VG_OK);
	assert_memory_equal(p.salt, salt, VG_SEAL_SALT);
	assert_memory_equal(p.sig, sig, 64);
	assert_memory_equal(p.root, t.root, VG_SEAL_HASH);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.index, 2);
	size_t n = strlen(text);
	/* root || seal is 80 bytes: its text ends with 2 bits unused */
	const char *ends[] = {"+", "/", "=", "A", "AA", "A="};
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		snprintf(bad, sizeof(bad), "%s%s", text, ends[i]);
		assert_int_equal(vg_seal_parse(bad, &p), VG_EINVAL);
	}
	snprintf(bad, sizeof(bad), "%s", text);
	bad[n - 1] = bad[n - 1] == 'B' ? 'C' : 'B'; /* a leftover bit set */
	assert_int_equal(vg_seal_parse(bad, &p), VG_EINVAL);
	snprintf(bad, sizeof(bad), "%s", text);
	bad[8] = '+';
	assert_int_equal(vg_seal_parse(bad, &p), VG_EINVAL);
	vg_seal_tree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_leaf_proves_its_root),
	    cmocka_unit_test(test_text_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
