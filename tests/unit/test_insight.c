/* Which differences between slots are real, on plain counts (core/insight.h): ranking,
 * pairs and their q-values, trials needed, and the finding in French and English. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/insight.h"

static void test_two_hours_and_a_thin_one(void **state)
{
	/* 15 h: 300 contacts of 1,000 calls; 9 h: 200 of 1,000; 18 h: 5 of 12. */
	const struct insight_slot s[] = {
		{"09", 0, 9, 0, 0, 200, 1000}, {"15", 0, 15, 0, 0, 300, 1000}, {"18", 0, 18, 0, 0, 5, 12},
	};
	struct insight_comparison c;
	char fr[256], en[256];

	(void)state;
	insight_compare(s, 3, &c);
	assert_int_equal(c.nranked, 2);
	assert_int_equal(c.npairs, 1);
	assert_int_equal(c.pairs[0].a, 1);          /* the better first */
	assert_int_equal(c.pairs[0].b, 0);
	assert_true(c.pairs[0].ratio > 1.49 && c.pairs[0].ratio < 1.51);
	assert_true(c.pairs[0].significant);
	assert_int_equal(c.best, 0);
	assert_int_equal(c.blur, -1);
	insight_summary(s, &c, "le taux de contact", true, fr, sizeof(fr));
	assert_string_equal(fr, "15 h : 1,5× le taux de contact de 9 h — significatif (q < 0,001)");
	insight_summary(s, &c, "the contact rate", false, en, sizeof(en));
	assert_string_equal(en, "15:00: 1.5× the contact rate of 09:00 — significant (q < 0.001)");
	/* The thin slot: what ranking takes at least, more to see a 25 % lift on 25 %. */
	assert_true(insight_trials_needed(&s[2], 0.25) >= 30 - 12);
	assert_int_equal(insight_trials_needed(&s[0], 0.25), 0);
	insight_comparison_release(&c);
}

static void test_nothing_to_say_yet(void **state)
{
	const struct insight_slot few[] = {{"mon", 1, -1, 0, 0, 3, 10}, {"tue", 2, -1, 0, 0, 2, 10}};
	const struct insight_slot same[] = {{"mon", 1, -1, 0, 0, 100, 400}, {"fri", 5, -1, 0, 0, 104, 400}};
	struct insight_comparison c;
	char buf[256];

	(void)state;
	insight_compare(few, 2, &c);
	insight_summary(few, &c, "le taux de contact", true, buf, sizeof(buf));
	assert_string_equal(buf, "Trop peu d'appels pour comparer les créneaux : au moins 30 par créneau.");
	insight_comparison_release(&c);
	insight_compare(same, 2, &c);
	assert_int_equal(c.best, -1);
	assert_int_equal(c.blur, 0);
	insight_summary(same, &c, "the contact rate", false, buf, sizeof(buf));
	assert_non_null(strstr(buf, "No difference shown between the slots for the contact rate yet"));
	insight_comparison_release(&c);
}

static void test_words(void **state)
{
	char buf[64];

	(void)state;
	insight_slot_words(&(struct insight_slot){"wed 14", 3, 14, 0, 0, 0, 0}, true, buf, sizeof(buf));
	assert_string_equal(buf, "mercredi 14 h");
	insight_slot_words(&(struct insight_slot){"wed 14", 3, 14, 0, 0, 0, 0}, false, buf, sizeof(buf));
	assert_string_equal(buf, "wed 14:00");
	insight_slot_words(&(struct insight_slot){"may", 0, -1, 5, 0, 0, 0}, true, buf, sizeof(buf));
	assert_string_equal(buf, "mai");
	insight_slot_words(&(struct insight_slot){"outside", 0, -1, 0, 2, 0, 0}, true, buf, sizeof(buf));
	assert_string_equal(buf, "hors des créneaux");
	assert_string_equal(insight_decimal(1.25, 1, true, buf, sizeof(buf)), "1,2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_hours_and_a_thin_one),
		cmocka_unit_test(test_nothing_to_say_yet),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
