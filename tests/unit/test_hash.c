/* core/hash.c: the table of ids by hash that a first prospect import looks its rows up in
 * (several ids under one hash, growth past many doublings, absent hashes), and hashes that
 * tell apart what the import's keys need told apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/hash.h"

/* The ids under hash h, summed, and how many. */
static int64_t ids_under(const struct hashids *m, uint64_t h, int *n)
{
	size_t pos = 0;
	int64_t id, sum = 0;

	*n = 0;
	while (hashids_next(m, h, &pos, &id)) {
		sum += id;
		(*n)++;
	}
	return sum;
}

static void test_hashids(void **state)
{
	struct hashids m;
	int n;

	(void)state;
	hashids_init(&m);
	assert_int_equal(ids_under(&m, 42, &n), 0);
	assert_int_equal(n, 0);
	/* 100,000 hashes (every one also in the slot after another's: clusters), three ids
	 * under hash 7 added among them, one of them before every growth. */
	assert_true(hashids_add(&m, 7, 1000001));
	for (int64_t i = 1; i <= 100000; i++) {
		assert_true(hashids_add(&m, (uint64_t)i * 1024, i));
		if (i == 5000)
			assert_true(hashids_add(&m, 7, 1000002));
	}
	assert_true(hashids_add(&m, 7, 1000003));
	/* Ids from 1 to HASHIDS_ID_MAX only; a refused one is not stored. */
	assert_false(hashids_add(&m, 7, 0));
	assert_false(hashids_add(&m, 7, (int64_t)HASHIDS_ID_MAX + 1));
	assert_true(hashids_add(&m, 99, (int64_t)HASHIDS_ID_MAX));
	assert_int_equal(ids_under(&m, 99, &n), (int64_t)HASHIDS_ID_MAX);
	assert_int_equal(n, 1);
	/* Hashes alike in their low 32 bits are one to the table: both ids come back, for the
	 * caller to check. */
	assert_true(hashids_add(&m, 0x100000005ULL, 11));
	assert_true(hashids_add(&m, 0x200000005ULL, 12));
	assert_int_equal(ids_under(&m, 0x100000005ULL, &n), 23);
	assert_int_equal(n, 2);
	assert_int_equal(m.n, 100006);
	assert_true(m.cap >= 2 * m.n);
	assert_int_equal(ids_under(&m, 7, &n), 3000006);
	assert_int_equal(n, 3);
	for (int64_t i = 1; i <= 100000; i += 997) {
		assert_int_equal(ids_under(&m, (uint64_t)i * 1024, &n), i);
		assert_int_equal(n, 1);
	}
	assert_int_equal(ids_under(&m, 1024 * 100001, &n), 0);
	assert_int_equal(n, 0);
	hashids_free(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(ids_under(&m, 7, &n), 0);
}

static void test_hashes(void **state)
{
	int64_t a[2] = {1, 2}, b[2] = {2, 1};

	(void)state;
	/* A key's two parts are not one string: ("ab", "c") and ("a", "bc") differ. */
	assert_true(hash_str("c", hash_str("ab", 0)) != hash_str("bc", hash_str("a", 0)));
	assert_true(hash_str("+33142685300", 0) != hash_str("+33142685301", 0));
	assert_true(hash_bytes("abcdefgh", 8, 0) != hash_bytes("abcdefgh\0", 9, 0));
	assert_int_equal(hash_str(NULL, 5), hash_str("", 5));
	assert_true(hash_str("x", 1) != hash_str("x", 2));
	assert_true(hash_ints(a, 2, 0) != hash_ints(b, 2, 0));
	assert_int_equal(hash_ints(a, 2, 9), hash_ints(a, 2, 9));
}

/* Keys numbered in the order first met, told apart by their bytes (many keys, growth of
 * every buffer, an empty key, a key with a NUL), and nothing left after a free. */
static void test_hashkeys(void **state)
{
	struct hashkeys k;
	char key[32];
	bool added;

	(void)state;
	hashkeys_init(&k);
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(key, sizeof(key), "+3314268%04d", i);

		assert_int_equal(hashkeys_number(&k, key, (size_t)n, &added), i + 1);
		assert_true(added);
	}
	assert_int_equal(hashkeys_number(&k, "+33142680007", 12, &added), 8);
	assert_false(added);
	assert_int_equal(hashkeys_number(&k, "", 0, &added), 50001);
	assert_true(added);
	assert_int_equal(hashkeys_number(&k, "", 0, &added), 50001);
	assert_false(added);
	/* "a\0b" and "a": one is a prefix of the other, not the same key. */
	assert_int_equal(hashkeys_number(&k, "a\0b", 3, &added), 50002);
	assert_int_equal(hashkeys_number(&k, "a", 1, &added), 50003);
	assert_true(added);
	assert_int_equal(hashkeys_number(&k, "a\0b", 3, &added), 50002);
	assert_false(added);
	assert_int_equal(hashkeys_number(&k, "+33142689999", 12, &added), 10000);
	assert_false(added);
	hashkeys_free(&k);
	assert_int_equal(k.n, 0);
	hashkeys_init(&k);
	assert_int_equal(hashkeys_number(&k, "a", 1, &added), 1);
	assert_true(added);
	hashkeys_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashids),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_hashkeys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
