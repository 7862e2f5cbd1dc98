/* Phone normalisation: the French forms of the issue, other countries, invalid numbers,
 * and the differential property: the fast path always gives libphonenumber's answer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/phone.h"

static void expect(const char *in, const char *region, const char *e164)
{
	char out[PHONE_E164_MAX];
	const char *why = NULL;
	int rc = phone_normalize(in, strlen(in), region, out, &why);

	if (rc != PHONE_OK)
		fail_msg("'%s' (%s): expected %s, got status %d (%s)", in, region, e164, rc, why ? why : "");
	assert_string_equal(out, e164);
}

static void expect_invalid(const char *in, const char *reason_part)
{
	char out[PHONE_E164_MAX];
	const char *why = NULL;

	assert_int_equal(phone_normalize(in, strlen(in), "FR", out, &why), PHONE_INVALID);
	assert_non_null(why);
	if (!strstr(why, reason_part))
		fail_msg("'%s': reason '%s' lacks '%s'", in, why, reason_part);
}

static void test_french_forms(void **state)
{
	(void)state;
	expect("01 42 68 53 00", "FR", "+33142685300");
	expect("01.42.68.53.00", "FR", "+33142685300");
	expect("+33 1 42 68 53 00", "FR", "+33142685300");
	expect("+33 (0)1 42 68 53 00", "FR", "+33142685300");
	expect("0033142685300", "FR", "+33142685300");
	expect("0142685300", "FR", "+33142685300");
	expect("06-12-34-56-78", "FR", "+33612345678");
	expect("  07 81 22 33 44  ", "FR", "+33781223344");
	expect("09 70 12 34 56", "FR", "+33970123456");
}

static void test_other_countries(void **state)
{
	(void)state;
	expect("+41 22 345 67 89", "FR", "+41223456789");
	expect("+44 20 7946 0958", "FR", "+442079460958");
	expect("+1 650-253-0000", "FR", "+16502530000");
	expect("(650) 253-0000", "US", "+16502530000");
	expect("+32 2 555 12 12", "FR", "+3225551212");
}

static void test_invalid(void **state)
{
	char out[PHONE_E164_MAX];

	(void)state;
	expect_invalid("04 78 00 00", "too short");
	expect_invalid("01 42 68 53 00 12 34 56", "too long");
	expect_invalid("hello", "not a phone number");
	expect_invalid("00 00 00 00 00", "");
	assert_int_equal(phone_normalize("   ", 3, "FR", out, NULL), PHONE_EMPTY);
	assert_int_equal(phone_normalize("", 0, "FR", out, NULL), PHONE_EMPTY);
}

/* Formats the 9-digit NSN n in one of several written forms. */
static void write_form(char *buf, size_t size, const char *nsn, int form)
{
	switch (form % 7) {
	case 0: snprintf(buf, size, "0%s", nsn); break;
	case 1: snprintf(buf, size, "0%c %.2s %.2s %.2s %.2s", nsn[0], nsn + 1, nsn + 3, nsn + 5, nsn + 7); break;
	case 2: snprintf(buf, size, "0%c.%.2s.%.2s.%.2s.%.2s", nsn[0], nsn + 1, nsn + 3, nsn + 5, nsn + 7); break;
	case 3: snprintf(buf, size, "+33 %c %.2s %.2s %.2s %.2s", nsn[0], nsn + 1, nsn + 3, nsn + 5, nsn + 7); break;
	case 4: snprintf(buf, size, "+33 (0)%c %.2s %.2s %.2s %.2s", nsn[0], nsn + 1, nsn + 3, nsn + 5, nsn + 7); break;
	case 5: snprintf(buf, size, "0033%s", nsn); break;
	default: snprintf(buf, size, "0%c-%.2s-%.2s-%.2s-%.2s", nsn[0], nsn + 1, nsn + 3, nsn + 5, nsn + 7); break;
	}
}

static void test_fast_path_matches_libphonenumber(void **state)
{
	unsigned seed = 12345;
	long accepted = 0;

	(void)state;
	/* Every 3-digit prefix, many random completions, every written form. */
	for (int prefix = 0; prefix < 1000; prefix++) {
		for (int k = 0; k < 40; k++) {
			char nsn[16], text[48], fast[PHONE_E164_MAX], ref[PHONE_E164_MAX];
			const char *why;

			seed = seed * 1103515245u + 12345u;
			snprintf(nsn, sizeof(nsn), "%03d%06u", prefix, (seed >> 8) % 1000000u);
			write_form(text, sizeof(text), nsn, k);
			if (!phone_fast_fr(text, strlen(text), fast))
				continue;
			accepted++;
			if (phone_lpn_normalize(text, strlen(text), "FR", ref, &why) != PHONE_OK)
				fail_msg("fast path accepted '%s' as %s; libphonenumber rejects it (%s)", text, fast, why);
			if (strcmp(fast, ref) != 0)
				fail_msg("'%s': fast path %s, libphonenumber %s", text, fast, ref);
		}
	}
	/* The fast path must actually take the common forms, or it is no fast path. */
	assert_true(accepted > 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_french_forms),
		cmocka_unit_test(test_other_countries),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_fast_path_matches_libphonenumber),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
