/*
 * The memo (core/memo.h): what is kept is found under its key and only there, within its
 * bounds, the least recently used given back first; a key too long for its buffer is not
 * kept; each thread's JSON values are its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/memo.h"

static bool get_int(const char *key, int *v)
{
	void *data;
	size_t size;

	if (!memo_get(key, &data, &size))
		return false;
	assert_int_equal(size, sizeof(*v));
	memcpy(v, data, size);
	free(data);
	return true;
}

static void test_bytes(void **state)
{
	char key[32];
	int v = 0;

	(void)state;
	memo_clear();
	v = 7;
	memo_put("a", &v, sizeof(v));
	v = 8;
	memo_put("b", &v, sizeof(v));
	assert_true(get_int("a", &v));
	assert_int_equal(v, 7);
	assert_true(get_int("b", &v));
	assert_int_equal(v, 8);
	assert_false(get_int("c", &v));
	/* Replaced under the same key. */
	v = 9;
	memo_put("a", &v, sizeof(v));
	assert_true(get_int("a", &v));
	assert_int_equal(v, 9);

	/* Past MEMO_ENTRIES, the least recently used go: "a" was just used, "b" was not. */
	assert_true(get_int("a", &v));
	for (int i = 0; i < MEMO_ENTRIES - 1; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		memo_put(key, &i, sizeof(i));
		if (i % 64 == 0)
			assert_true(get_int("a", &v));
	}
	assert_false(get_int("b", &v));
	assert_true(get_int("a", &v));
	assert_int_equal(v, 9);
	/* Full again: one more gives back k0, now the least recently used. */
	memo_put("extra", &v, sizeof(v));
	assert_false(get_int("k0", &v));
	assert_true(get_int("k1", &v));
	assert_true(get_int("k510", &v));
	assert_int_equal(v, 510);
	assert_true(get_int("extra", &v));

	/* A result too large for the memo is not kept; the rest stays. */
	{
		size_t big = MEMO_BYTES / 4 + 1;
		char *blob = calloc(1, big);

		memo_put("big", blob, big);
		free(blob);
		{
			void *data;
			size_t size;

			assert_false(memo_get("big", &data, &size));
		}
		assert_true(get_int("a", &v));
	}
	memo_clear();
	assert_false(get_int("a", &v));
}

/* A newer generation of a scope gives back what the scope kept under the older one. */
static void test_generations(void **state)
{
	int v = 1;
	json_t *j = json_integer(1), *got;

	(void)state;
	memo_clear();
	memo_put("db|1" MEMO_GENERATION "5.0|totals", &v, sizeof(v));
	memo_put("db|1" MEMO_GENERATION "5.0|hours", &v, sizeof(v));
	memo_put("db|2" MEMO_GENERATION "5.0|totals", &v, sizeof(v));
	memo_put("db|1" MEMO_GENERATION "6.0|totals", &v, sizeof(v));
	assert_false(get_int("db|1" MEMO_GENERATION "5.0|totals", &v));
	assert_false(get_int("db|1" MEMO_GENERATION "5.0|hours", &v));
	assert_true(get_int("db|1" MEMO_GENERATION "6.0|totals", &v));
	assert_true(get_int("db|2" MEMO_GENERATION "5.0|totals", &v));     /* another scope */
	/* A settings revision is a generation too. */
	memo_put("db|2" MEMO_GENERATION "5.1|hours", &v, sizeof(v));
	assert_false(get_int("db|2" MEMO_GENERATION "5.0|totals", &v));
	memo_clear();

	memo_json_put("db|1" MEMO_GENERATION "5.0|kpi|hour", j, 1);
	memo_json_put("db|1" MEMO_GENERATION "50.0|kpi|hour", j, 1);    /* 5 is not a prefix of 50 */
	assert_null(memo_json_get("db|1" MEMO_GENERATION "5.0|kpi|hour"));
	got = memo_json_get("db|1" MEMO_GENERATION "50.0|kpi|hour");
	assert_non_null(got);
	json_decref(got);
	json_decref(j);
}

static void test_keys(void **state)
{
	char key[16] = "db|1|2.0";

	(void)state;
	memo_key_add(key, sizeof(key), "|%s", "kpi");
	assert_string_equal(key, "db|1|2.0|kpi");
	/* Cut, it would name another result: it becomes "", and stays "". */
	memo_key_add(key, sizeof(key), "|%d", 12345);
	assert_string_equal(key, "");
	memo_key_add(key, sizeof(key), "|x");
	assert_string_equal(key, "");
}

static void *other_thread(void *arg)
{
	json_t *v = memo_json_get((const char *)arg);

	return v;   /* NULL: the other thread's value is not this thread's */
}

static void test_thread_json(void **state)
{
	pthread_t t;
	void *seen = (void *)1;
	json_t *v = json_pack("{s:i}", "calls", 3), *got;
	char key[32];

	(void)state;
	memo_json_put("kpi", v, 1);
	json_decref(v);         /* the memo's reference keeps it */
	got = memo_json_get("kpi");
	assert_non_null(got);
	assert_int_equal(json_integer_value(json_object_get(got, "calls")), 3);
	json_decref(got);
	assert_null(memo_json_get("other"));
	assert_int_equal(pthread_create(&t, NULL, other_thread, "kpi"), 0);
	assert_int_equal(pthread_join(t, &seen), 0);
	assert_null(seen);

	/* Past MEMO_THREAD_ENTRIES the least recently used goes. */
	for (int i = 0; i < MEMO_THREAD_ENTRIES - 1; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		v = json_integer(i);
		memo_json_put(key, v, 1);
		json_decref(v);
	}
	got = memo_json_get("kpi");   /* used: kept */
	assert_non_null(got);
	json_decref(got);
	v = json_integer(99);
	memo_json_put("new", v, 1);
	json_decref(v);
	assert_null(memo_json_get("k0"));
	got = memo_json_get("kpi");
	assert_non_null(got);
	json_decref(got);
	got = memo_json_get("new");
	assert_int_equal(json_integer_value(got), 99);
	json_decref(got);

	/* Too heavy to keep; then the weight makes room by giving back the least recently used. */
	v = json_integer(1);
	memo_json_put("heavy", v, MEMO_THREAD_WEIGHT / 4 + 1);
	assert_null(memo_json_get("heavy"));
	memo_json_put("w1", v, MEMO_THREAD_WEIGHT / 4);
	memo_json_put("w2", v, MEMO_THREAD_WEIGHT / 4);
	memo_json_put("w3", v, MEMO_THREAD_WEIGHT / 4);
	got = memo_json_get("w1");
	assert_non_null(got);
	json_decref(got);
	/* Four quarters: the light ones, least recently used, go to make the weight. */
	memo_json_put("w4", v, MEMO_THREAD_WEIGHT / 4);
	assert_null(memo_json_get("new"));
	/* A fifth: w2 is now the least recently used. */
	memo_json_put("w5", v, MEMO_THREAD_WEIGHT / 4);
	json_decref(v);
	assert_null(memo_json_get("w2"));
	for (int i = 0; i < 4; i++) {
		const char *const kept[] = {"w1", "w3", "w4", "w5"};

		got = memo_json_get(kept[i]);
		assert_non_null(got);
		json_decref(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_thread_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
