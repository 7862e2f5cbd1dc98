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

/* Overseas numbers as French files write them (national form): each territory's country
 * code, whatever region the row's country gave (they share the French plan). The E.164
 * answers are libphonenumber's own for the international form. */
static void test_overseas(void **state)
{
	static const struct {
		const char *text, *e164, *region_of;
	} cases[] = {
		{"0262 41 00 00", "+262262410000", "RE"}, {"0263 00 00 00", "+262263000000", "RE"},
		{"0692 00 00 00", "+262692000000", "RE"}, {"0693 00 00 00", "+262693000000", "RE"},
		{"0269 00 00 00", "+262269000000", "YT"}, {"0639 00 00 00", "+262639000000", "YT"},
		{"0590 27 12 34", "+590590271234", "BL"}, {"0690 00 00 00", "+590690000000", "GP"},
		{"0691 22 08 14", "+590691220814", "GP"}, {"0594 00 00 00", "+594594000000", "GF"},
		{"0694 00 00 00", "+594694000000", "GF"}, {"0596 00 00 00", "+596596000000", "MQ"},
		{"0696 00 00 00", "+596696000000", "MQ"}, {"0697 27 09 99", "+596697270999", "MQ"},
		{"05 08 41 12 34", "+508411234", "PM"},
	};
	static const char *const regions[] = {"FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF"};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dots[32], of[3];

		for (size_t r = 0; r < sizeof(regions) / sizeof(regions[0]); r++)
			expect(cases[i].text, regions[r], cases[i].e164);
		/* Every written form: dots, no separators. */
		snprintf(dots, sizeof(dots), "%s", cases[i].text);
		for (char *p = dots; *p; p++)
			if (*p == ' ')
				*p = '.';
		expect(dots, "FR", cases[i].e164);
		assert_int_equal(phone_region_of(cases[i].e164, of), 0);
		assert_string_equal(of, cases[i].region_of);
	}
	/* The international forms stay as written: +262 is already La Réunion's. */
	expect("+262 262 41 00 00", "FR", "+262262410000");
	expect("+262 692 00 00 00", "FR", "+262692000000");
	/* A metropolitan number written nationally in a Réunion row is still metropolitan. */
	expect("01 42 68 53 00", "RE", "+33142685300");
	expect("06 12 34 56 78", "GP", "+33612345678");
	/* A range that no operator of the territory holds is no number. */
	expect_invalid("0691 00 00 00", "no such range");
	/* The fast path leaves every overseas prefix to the reference. */
	for (int prefix = 0; prefix < 1000; prefix++) {
		char nsn[10], text[16], out[PHONE_E164_MAX];

		snprintf(nsn, sizeof(nsn), "%03d000000", prefix);
		snprintf(text, sizeof(text), "0%s", nsn);
		if (phone_fr_overseas(nsn))
			assert_int_equal(phone_fast_fr(text, strlen(text), out), 0);
	}
	{
		char digits[11];

		assert_int_equal(phone_fr_national("+262262410000", digits), 0);
		assert_string_equal(digits, "0262410000");
		assert_int_equal(phone_fr_national("+508411234", digits), 0);
		assert_string_equal(digits, "0508411234");
		assert_int_equal(phone_fr_national("+33142685300", digits), 0);
		assert_string_equal(digits, "0142685300");
		assert_int_equal(phone_fr_national("+590690000000", digits), 0);
		assert_string_equal(digits, "0690000000");
		/* +262 with a Guadeloupe prefix, Belgium, nothing: not in the French plan. */
		assert_int_equal(phone_fr_national("+262590000000", digits), -1);
		assert_int_equal(phone_fr_national("+3225551212", digits), -1);
		assert_int_equal(phone_fr_national("+33", digits), -1);
		assert_int_equal(phone_fr_national("erased:1", digits), -1);
	}
	assert_string_equal(phone_fr_overseas("262410000"), "262");
	assert_string_equal(phone_fr_overseas("508411234"), "508");
	assert_null(phone_fr_overseas("142685300"));
	{
		char of[3];

		assert_int_equal(phone_region_of("+33142685300", of), 0);
		assert_string_equal(of, "FR");
		assert_int_equal(phone_region_of("not a number", of), -1);
	}
}

static void test_invalid(void **state)
{
	char out[PHONE_E164_MAX];

	(void)state;
	expect_invalid("04 78 00 00", "too short");
	expect_invalid("01 42 68 53 00 12 34 56", "too long");
	expect_invalid("hello", "not a phone number");
	expect_invalid("00 00 00 00 00", "not a valid number (no such range in its country's numbering plan)");
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
		cmocka_unit_test(test_overseas),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_fast_path_matches_libphonenumber),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
