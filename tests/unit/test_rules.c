/* The rules of the trade (core/rules.c), each at its edges: table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/rules.h"
#include "core/tz.h"

/* "Screened against Bloctel the day before the call" (check() fills it in). */
#define FRESH (-1)

/* rules_check with FRESH screenings made concrete. */
static void check(int set, int64_t at, const struct rules_consumer *c, struct rules_result *r)
{
	struct rules_consumer copy = *c;

	if (copy.screened_at == FRESH)
		copy.screened_at = at - 86400;
	rules_check(set, at, &copy, r);
}

static int64_t paris(int y, int mo, int d, int h, int mi)
{
	return tz_utc("Europe/Paris", y, mo, d, h, mi, 0);
}

/* The verdict of one rule in a result. */
static const struct rule_verdict *verdict(const struct rules_result *r, const char *rule)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].rule, rule) == 0)
			return &r->v[i];
	fail_msg("no rule %s", rule);
	return NULL;
}

static void test_easter_and_holidays(void **state)
{
	static const struct {
		int day;
		const char *postcode;
		const char *holiday;   /* NULL: a working day */
	} cases[] = {
		{20240401, "75001", "Easter Monday (lundi de Pâques)"}, {20250421, "75001", "Easter Monday (lundi de Pâques)"},
		{20260406, "75001", "Easter Monday (lundi de Pâques)"}, {20270329, "75001", "Easter Monday (lundi de Pâques)"},
		{20380426, "75001", "Easter Monday (lundi de Pâques)"}, {20260405, "75001", NULL},
		{20260514, "69001", "Ascension Day (Ascension)"}, {20260525, "69001", "Whit Monday (lundi de Pentecôte)"},
		{20261111, "69001", "Armistice Day (11 novembre)"}, {20261110, "69001", NULL},
		{20260403, "67000", "Good Friday in Alsace-Moselle (Vendredi saint)"}, {20260403, "75001", NULL},
		{20260403, "68100", "Good Friday in Alsace-Moselle (Vendredi saint)"},
		{20251226, "57000", "St Stephen's Day in Alsace-Moselle (26 décembre)"}, {20251226, "75001", NULL},
		{20271220, "97400", "Abolition of slavery (abolition de l'esclavage)"}, {20271220, "75001", NULL},
		{20260527, "97110", "Abolition of slavery (abolition de l'esclavage)"}, {20260527, "97200", NULL},
		{20260522, "97200", "Abolition of slavery (abolition de l'esclavage)"},
		{20260714, "", "Bastille Day (14 juillet)"}, {20260501, NULL, "Labour Day (1er mai)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = rules_fr_holiday(cases[i].day, cases[i].postcode);

		if (!cases[i].holiday ? got != NULL : !got || strcmp(got, cases[i].holiday) != 0)
			fail_msg("%d %s: expected %s, got %s", cases[i].day, cases[i].postcode ? cases[i].postcode : "-",
				cases[i].holiday ? cases[i].holiday : "a working day", got ? got : "a working day");
	}
}

static void test_zones(void **state)
{
	(void)state;
	assert_string_equal(rules_consumer_zone("FR", "97400", "Europe/Paris"), "Indian/Reunion");
	assert_string_equal(rules_consumer_zone("FR", "97110", "Europe/Paris"), "America/Guadeloupe");
	assert_string_equal(rules_consumer_zone("FR", "98800", "Europe/Paris"), "Pacific/Noumea");
	assert_string_equal(rules_consumer_zone("FR", "69001", "America/Guadeloupe"), "Europe/Paris");
	assert_string_equal(rules_consumer_zone("FR", NULL, "America/Guadeloupe"), "Europe/Paris");
	assert_string_equal(rules_consumer_zone("BE", "1000", "Europe/Paris"), "Europe/Paris");
	assert_string_equal(rules_consumer_zone("US", "97400", "America/New_York"), "America/New_York");
	assert_string_equal(rules_consumer_zone(NULL, "97400", "Europe/Paris"), "Europe/Paris");
}

static void test_days_and_hours(void **state)
{
	static const struct {
		int y, mo, d, h, mi;
		const char *zone, *postcode;
		bool days, hours, holidays;
	} cases[] = {
		/* Monday 23 November 2026, Paris */
		{2026, 11, 23, 9, 59, "Europe/Paris", "75001", true, false, true},
		{2026, 11, 23, 10, 0, "Europe/Paris", "75001", true, true, true},
		{2026, 11, 23, 12, 59, "Europe/Paris", "75001", true, true, true},
		{2026, 11, 23, 13, 0, "Europe/Paris", "75001", true, false, true},
		{2026, 11, 23, 13, 59, "Europe/Paris", "75001", true, false, true},
		{2026, 11, 23, 14, 0, "Europe/Paris", "75001", true, true, true},
		{2026, 11, 23, 19, 59, "Europe/Paris", "75001", true, true, true},
		{2026, 11, 23, 20, 0, "Europe/Paris", "75001", true, false, true},
		/* Friday evening to Monday */
		{2026, 11, 27, 19, 59, "Europe/Paris", "75001", true, true, true},
		{2026, 11, 28, 11, 0, "Europe/Paris", "75001", false, true, true},
		{2026, 11, 29, 11, 0, "Europe/Paris", "75001", false, true, true},
		{2026, 11, 30, 10, 0, "Europe/Paris", "75001", true, true, true},
		/* 11 November 2026 is a Wednesday: a holiday */
		{2026, 11, 11, 11, 0, "Europe/Paris", "69001", true, true, false},
		/* Good Friday 2026 in Strasbourg, not in Paris */
		{2026, 4, 3, 11, 0, "Europe/Paris", "67000", true, true, false},
		{2026, 4, 3, 11, 0, "Europe/Paris", "75001", true, true, true},
		/* The days after the changes of time: 10:00 local is 08:00 UTC in summer, 09:00 in winter */
		{2026, 3, 30, 9, 59, "Europe/Paris", "75001", true, false, true},
		{2026, 3, 30, 10, 0, "Europe/Paris", "75001", true, true, true},
		{2026, 10, 26, 10, 0, "Europe/Paris", "75001", true, true, true},
		{2026, 10, 26, 19, 59, "Europe/Paris", "75001", true, true, true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rules_consumer c = {cases[i].zone, cases[i].postcode, 0, 0, 0, 1, 1, FRESH};
		struct rules_result r;

		check(RULES_FR_B2C, tz_utc(cases[i].zone, cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, 0),
			&c, &r);
		if (verdict(&r, "fr.days")->ok != cases[i].days || verdict(&r, "fr.hours")->ok != cases[i].hours ||
		    verdict(&r, "fr.holidays")->ok != cases[i].holidays ||
		    r.callable != (cases[i].days && cases[i].hours && cases[i].holidays))
			fail_msg("case %zu (%04d-%02d-%02d %02d:%02d %s): days %d hours %d holidays %d callable %d", i,
				cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, cases[i].postcode,
				verdict(&r, "fr.days")->ok, verdict(&r, "fr.hours")->ok, verdict(&r, "fr.holidays")->ok, r.callable);
	}
	/* The UTC instants of the DST cases are what the law means: 10:00 on the wall. */
	assert_int_equal(paris(2026, 3, 30, 10, 0) % 86400, 8 * 3600);
	assert_int_equal(paris(2026, 10, 26, 10, 0) % 86400, 9 * 3600);
}

static void test_overseas(void **state)
{
	struct rules_result r;
	/* 16:30 in Paris is 19:30 in Réunion (UTC+4): callable; 17:30 is 20:30 there: not. */
	struct rules_consumer reunion = {rules_consumer_zone("FR", "97400", "Europe/Paris"), "97400", 0, 0, 0, 1, 1, FRESH};
	/* 15:30 in Paris is 10:30 in Guadeloupe (UTC-4); 14:30 is 09:30 there. */
	struct rules_consumer guadeloupe = {rules_consumer_zone("FR", "97110", "Europe/Paris"), "97110", 0, 0, 0, 1, 1, FRESH};

	(void)state;
	check(RULES_FR_B2C, paris(2026, 11, 23, 16, 30), &reunion, &r);
	assert_true(r.callable);
	check(RULES_FR_B2C, paris(2026, 11, 23, 17, 30), &reunion, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.hours")->reason,
		"20:30 in Indian/Reunion: consumers are called 10:00-13:00 and 14:00-20:00 only");
	check(RULES_FR_B2C, paris(2026, 11, 23, 15, 30), &guadeloupe, &r);
	assert_true(r.callable);
	check(RULES_FR_B2C, paris(2026, 11, 23, 14, 30), &guadeloupe, &r);
	assert_false(r.callable);
	/* Monday 20 December 2027 in Réunion is the abolition of slavery. */
	check(RULES_FR_B2C, paris(2027, 12, 20, 10, 0), &reunion, &r);
	assert_false(verdict(&r, "fr.holidays")->ok);
	assert_string_equal(verdict(&r, "fr.holidays")->reason,
		"2027-12-20 is a public holiday where the consumer lives: Abolition of slavery (abolition de l'esclavage)");
}

static void test_frequency_and_refusal(void **state)
{
	int64_t at = paris(2026, 11, 23, 11, 0), oldest = at - 20 * 86400;
	struct rules_consumer c = {"Europe/Paris", "75001", 3, oldest, 0, 1, 1, FRESH};
	struct rules_result r;

	(void)state;
	/* The 4th call is allowed, the 5th is not, until the oldest of the four is 30 days old. */
	check(RULES_FR_B2C, at, &c, &r);
	assert_true(r.callable);
	c.calls_30d = 4;
	check(RULES_FR_B2C, at, &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.frequency")->reason,
		"4 calls or attempts to this number in the last 30 days (at most 4)");
	assert_int_equal(verdict(&r, "fr.frequency")->allowed_from, oldest + 30 * 86400);
	assert_string_equal(verdict(&r, "fr.frequency")->source, "Code de la consommation, art. D.223-9 (décret 2022-1313)");
	/* Day 59 after a refusal: not yet; day 60: again. */
	c.calls_30d = 0;
	c.last_refusal = at - 59 * 86400;
	check(RULES_FR_B2C, at, &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.refusal")->reason,
		"refused during a call 59 days ago: none for 60 days after a refusal");
	c.last_refusal = at - 60 * 86400;
	check(RULES_FR_B2C, at, &c, &r);
	assert_true(r.callable);
	assert_true(verdict(&r, "fr.refusal")->ok);
}

/* Consent is required from 11 August 2026 (loi 2025-594): a call the day before needs
 * none; from that midnight in Paris, one must be recorded. */
static void test_consent(void **state)
{
	struct rules_consumer c = {"Europe/Paris", "75001", 0, 0, 0, 0, 1, FRESH};
	struct rules_result r;

	(void)state;
	check(RULES_FR_B2C, paris(2026, 8, 10, 23, 59), &c, &r);
	assert_true(verdict(&r, "fr.consent")->ok);
	check(RULES_FR_B2C, paris(2026, 8, 11, 0, 0), &c, &r);
	assert_false(verdict(&r, "fr.consent")->ok);
	assert_string_equal(verdict(&r, "fr.consent")->reason, "no recorded consent of this consumer to be called (required"
		" since 2026-08-11; import it with the file or record it at the desk)");
	check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_false(r.callable);
	c.consent_at = paris(2026, 9, 1, 0, 0);
	check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_true(r.callable);
	assert_int_equal(RULES_CONSENT_FROM, paris(2026, 8, 11, 0, 0));
}

/* Numbers are screened against Bloctel at most 30 days before the call, and after their
 * file came in. */
static void test_bloctel(void **state)
{
	int64_t at = paris(2026, 11, 23, 11, 0);
	struct rules_consumer c = {"Europe/Paris", "75001", 0, 0, 0, 1, at - 40 * 86400, at - 30 * 86400};
	struct rules_result r;

	(void)state;
	rules_check(RULES_FR_B2C, at, &c, &r);
	assert_true(r.callable);
	c.screened_at = at - 30 * 86400 - 60;
	rules_check(RULES_FR_B2C, at, &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.bloctel")->reason,
		"the file was last screened against Bloctel 30 days ago (at most 30): screen it again");
	c.screened_at = at - 10 * 86400;
	c.lead_created_at = at - 5 * 86400;
	rules_check(RULES_FR_B2C, at, &c, &r);
	assert_false(verdict(&r, "fr.bloctel")->ok);
	assert_string_equal(verdict(&r, "fr.bloctel")->reason, "the number was not screened against Bloctel since its file"
		" came in: telepro export screening, then telepro import dnc --source bloctel");
	c.screened_at = 0;
	rules_check(RULES_FR_B2C, at, &c, &r);
	assert_false(verdict(&r, "fr.bloctel")->ok);
}

static void test_sets(void **state)
{
	struct rules_consumer c = {"Europe/Paris", "75001", 9, 1, 0, 0, 0, 0};
	struct rules_result r;

	(void)state;
	/* No rule set: nothing is checked (a B2B campaign keeps its own windows only). */
	check(RULES_NONE, paris(2026, 11, 28, 23, 0), &c, &r);
	assert_true(r.callable);
	assert_int_equal(r.n, 0);
	assert_int_equal(rules_set_of("fr-b2c"), RULES_FR_B2C);
	assert_int_equal(rules_set_of("none"), RULES_NONE);
	assert_int_equal(rules_set_of("us"), -1);
	assert_int_equal(rules_default_for("b2c", "FR"), RULES_FR_B2C);
	assert_int_equal(rules_default_for("b2c", "PT"), RULES_NONE);
	assert_int_equal(rules_default_for("b2b", "FR"), RULES_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter_and_holidays), cmocka_unit_test(test_zones),
		cmocka_unit_test(test_days_and_hours), cmocka_unit_test(test_overseas),
		cmocka_unit_test(test_frequency_and_refusal), cmocka_unit_test(test_consent), cmocka_unit_test(test_bloctel),
		cmocka_unit_test(test_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
