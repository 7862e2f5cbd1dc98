/* The rules of the trade (core/rules.c), each at its edges: table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

	if (copy.f.screened_at == FRESH)
		copy.f.screened_at = at - 86400;
	rules_check(set, at, &copy, r);
}

/* A consumer of a French campaign (Paris) living at country and postcode, with consent,
 * a fresh screening and no call yet. */
static struct rules_consumer consumer(const char *country, const char *postcode, const char *phone)
{
	struct rules_facts f;
	struct rules_consumer c;

	memset(&f, 0, sizeof(f));
	snprintf(f.country, sizeof(f.country), "%s", country ? country : "");
	snprintf(f.postcode, sizeof(f.postcode), "%s", postcode ? postcode : "");
	snprintf(f.phone, sizeof(f.phone), "%s", phone ? phone : "+33142685300");
	f.consent_at = 1;
	f.created_at = 1;
	f.screened_at = FRESH;
	rules_consumer_of(&f, "FR", "Europe/Paris", &c);
	return c;
}

/* The holiday at a postcode in France. */
static const char *holiday_at(int day, const char *postcode)
{
	struct place where;

	place_decide("FR", postcode, NULL, "FR", "Europe/Paris", &where);
	return rules_fr_holiday(day, &where);
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
		/* Each territory's own abolition day: Saint-Martin and Saint-Barthélemy are not
		 * Guadeloupe, though their postcodes are in 971. */
		{20270527, "97150", NULL}, {20270528, "97150", "Abolition of slavery (abolition de l'esclavage)"},
		{20270527, "97133", NULL}, {20271009, "97133", "Abolition of slavery (abolition de l'esclavage)"},
		{20270527, "97100", "Abolition of slavery (abolition de l'esclavage)"}, {20270528, "97100", NULL},
		{20270427, "97600", "Abolition of slavery (abolition de l'esclavage)"}, {20270427, "97400", NULL},
		{20270610, "97300", "Abolition of slavery (abolition de l'esclavage)"}, {20271009, "97100", NULL},
		/* Good Friday is Alsace-Moselle's, not La Réunion's (974 begins like no 97 département). */
		{20270326, "97400", NULL}, {20270326, "57000", "Good Friday in Alsace-Moselle (Vendredi saint)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = holiday_at(cases[i].day, cases[i].postcode);

		if (!cases[i].holiday ? got != NULL : !got || strcmp(got, cases[i].holiday) != 0)
			fail_msg("%d %s: expected %s, got %s", cases[i].day, cases[i].postcode ? cases[i].postcode : "-",
				cases[i].holiday ? cases[i].holiday : "a working day", got ? got : "a working day");
	}
}

/* Where the consumer lives, every way a file writes it: one decision for the zone, the
 * holidays and the phone's region. */
static void test_places(void **state)
{
	static const struct {
		const char *country, *postcode, *phone;
		const char *decided, *zone;
		bool disagree;
	} cases[] = {
		{"FR", "97400", NULL, "RE", "Indian/Reunion", false},
		{"France", "97400", NULL, "RE", "Indian/Reunion", false},
		{"FRANCE", "97410", NULL, "RE", "Indian/Reunion", false},
		{"RE", "97400", NULL, "RE", "Indian/Reunion", false},
		{"Réunion", "", NULL, "RE", "Indian/Reunion", false},
		{"La Réunion", NULL, NULL, "RE", "Indian/Reunion", false},
		{"REU", "", NULL, "RE", "Indian/Reunion", false},
		{"", "97400", NULL, "RE", "Indian/Reunion", false},
		{"France", "", "+262692000000", "RE", "Indian/Reunion", false},
		{"", "", "+262639000000", "YT", "Indian/Mayotte", false},
		{"Mayotte", "97600", NULL, "YT", "Indian/Mayotte", false},
		{"FR", "97110", NULL, "GP", "America/Guadeloupe", false},
		{"Guadeloupe", "", NULL, "GP", "America/Guadeloupe", false},
		{"GP", "97133", NULL, "BL", "America/St_Barthelemy", true},
		{"France", "97150", NULL, "MF", "America/Marigot", false},
		{"Saint-Martin", "", NULL, "MF", "America/Marigot", false},
		{"FR", "97200", NULL, "MQ", "America/Martinique", false},
		{"Guyane française", "", NULL, "GF", "America/Cayenne", false},
		{"FR", "97300", NULL, "GF", "America/Cayenne", false},
		{"Saint-Pierre-et-Miquelon", "", NULL, "PM", "America/Miquelon", false},
		{"", "97500", NULL, "PM", "America/Miquelon", false},
		{"FR", "98800", NULL, "NC", "Pacific/Noumea", false},
		/* The postcode wins over another French territory, and says so. */
		{"RE", "75001", NULL, "FR", "Europe/Paris", true},
		{"Guadeloupe", "97400", NULL, "RE", "Indian/Reunion", true},
		{"FR", "69001", NULL, "FR", "Europe/Paris", false},
		{"FR", NULL, NULL, "FR", "Europe/Paris", false},
		/* A foreign country is not read through French postcodes. */
		{"Belgique", "1000", NULL, "BE", "Europe/Brussels", false},
		{"DE", "97400", NULL, "DE", "Europe/Berlin", false},
		{"US", "97400", NULL, "US", "Europe/Paris", false},
		{"Atlantis", "97400", NULL, "", "Europe/Paris", false},
		{"Monaco", "98000", NULL, "MC", "Europe/Monaco", false},
		{"", "98000", NULL, "MC", "Europe/Monaco", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct place p;

		place_decide(cases[i].country, cases[i].postcode, cases[i].phone, "FR", "Europe/Paris", &p);
		if (strcmp(p.country, cases[i].decided) != 0 || strcmp(p.zone, cases[i].zone) != 0 ||
		    p.disagree != cases[i].disagree)
			fail_msg("%s / %s / %s: expected %s %s%s, got %s %s%s", cases[i].country ? cases[i].country : "-",
				cases[i].postcode ? cases[i].postcode : "-", cases[i].phone ? cases[i].phone : "-",
				cases[i].decided, cases[i].zone, cases[i].disagree ? " (disagree)" : "", p.country, p.zone,
				p.disagree ? " (disagree)" : "");
	}
	assert_string_equal(place_country_code("fra"), "FR");
	assert_string_equal(place_country_code(" Nouvelle-Calédonie "), "NC");
	assert_string_equal(place_country_code("SAINT BARTHELEMY"), "BL");
	assert_string_equal(place_country_code("Royaume-Uni"), "GB");
	assert_null(place_country_code(""));
	assert_null(place_country_code("Absurdistan"));
	{
		char dep[4];

		assert_string_equal(place_fr_territory("57000", dep), "FR");
		assert_string_equal(dep, "57");
		assert_string_equal(place_fr_territory("97411", dep), "RE");
		assert_string_equal(dep, "974");
		assert_string_equal(place_fr_territory("97133", dep), "BL");
		assert_string_equal(dep, "");
		assert_null(place_fr_territory("97900", dep));
		assert_null(place_fr_territory("ABCDE", dep));
		assert_null(place_fr_territory("7500", dep));
	}
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
		struct rules_consumer c = consumer("FR", cases[i].postcode, NULL);
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

/* A B2C consumer in each overseas territory, written the ways files write it, is called
 * only inside their own legal hours: every edge, winter and summer. The UTC instants come
 * from each territory's offset written here (not from the tz database the code reads). */
static void test_overseas(void **state)
{
	static const struct {
		const char *country, *postcode, *phone;
		int winter, summer;      /* UTC offset in hours in January and July */
		const char *zone;
	} who[] = {
		{"RE", "", NULL, 4, 4, "Indian/Reunion"}, {"France", "97400", NULL, 4, 4, "Indian/Reunion"},
		{"Réunion", "", NULL, 4, 4, "Indian/Reunion"}, {"", "", "+262692000000", 4, 4, "Indian/Reunion"},
		{"FR", "97600", NULL, 3, 3, "Indian/Mayotte"}, {"YT", "", "+262639000000", 3, 3, "Indian/Mayotte"},
		{"Guadeloupe", "", NULL, -4, -4, "America/Guadeloupe"}, {"FR", "97110", NULL, -4, -4, "America/Guadeloupe"},
		{"Martinique", "", NULL, -4, -4, "America/Martinique"}, {"FRA", "97200", NULL, -4, -4, "America/Martinique"},
		{"GF", "", NULL, -3, -3, "America/Cayenne"}, {"France", "97300", NULL, -3, -3, "America/Cayenne"},
		{"PM", "", NULL, -3, -2, "America/Miquelon"}, {"FR", "97500", NULL, -3, -2, "America/Miquelon"},
		{"BL", "", NULL, -4, -4, "America/St_Barthelemy"}, {"FR", "97133", NULL, -4, -4, "America/St_Barthelemy"},
		{"MF", "", NULL, -4, -4, "America/Marigot"}, {"FR", "97150", NULL, -4, -4, "America/Marigot"},
		{"FR", "75001", NULL, 1, 2, "Europe/Paris"},
	};
	static const struct {
		int h, mi;
		bool ok;
	} edges[] = {
		{9, 59, false}, {10, 0, true}, {12, 59, true}, {13, 0, false}, {13, 59, false}, {14, 0, true},
		{19, 59, true}, {20, 0, false}, {21, 30, false},
	};
	/* Wednesday 13 January and Wednesday 7 July 2027: working days everywhere. */
	static const struct {
		int y, mo, d;
		bool summer;
	} days[] = {{2027, 1, 13, false}, {2027, 7, 7, true}};

	(void)state;
	for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++) {
		struct rules_consumer c = consumer(who[w].country, who[w].postcode, who[w].phone);

		assert_string_equal(c.where.zone, who[w].zone);
		for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++)
			for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++) {
				int offset = days[d].summer ? who[w].summer : who[w].winter;
				int64_t at = tz_day_number(days[d].y * 10000 + days[d].mo * 100 + days[d].d) * 86400 +
					(edges[e].h - offset) * 3600 + edges[e].mi * 60;
				struct rules_result r;

				check(RULES_FR_B2C, at, &c, &r);
				if (r.callable != edges[e].ok)
					fail_msg("%s/%s %04d-%02d-%02d %02d:%02d local: expected %s", who[w].country,
						who[w].postcode, days[d].y, days[d].mo, days[d].d, edges[e].h, edges[e].mi,
						edges[e].ok ? "callable" : "not callable");
			}
	}
	{
		struct rules_consumer reunion = consumer("RE", "", NULL);
		struct rules_result r;

		/* 17:30 in Paris in winter is 20:30 in Réunion. */
		check(RULES_FR_B2C, paris(2026, 11, 23, 17, 30), &reunion, &r);
		assert_false(r.callable);
		assert_string_equal(verdict(&r, "fr.hours")->reason,
			"20:30 in Indian/Reunion: consumers are called 10:00-13:00 and 14:00-20:00 only");
		/* Monday 20 December 2027 in Réunion is the abolition of slavery, whatever the
		 * country column says. */
		check(RULES_FR_B2C, paris(2027, 12, 20, 10, 0), &reunion, &r);
		assert_false(verdict(&r, "fr.holidays")->ok);
		assert_string_equal(verdict(&r, "fr.holidays")->reason,
			"2027-12-20 is a public holiday where the consumer lives: Abolition of slavery (abolition de l'esclavage)");
	}
}

/* The periods of the law are calendar days in the consumer's zone (docs/RULES.md): the
 * day of the call, refusal or screening is not counted, a period ends at midnight. */
static void test_frequency_and_refusal(void **state)
{
	struct rules_consumer c = consumer("FR", "75001", NULL);
	struct rules_result r;
	int64_t at;

	(void)state;
	/* Four calls on 2026-10-26 (10:30), 11-01, 11-10, 11-20: the fifth waits for 11-26, the
	 * day after the 30 days that follow 10-26 (10-27 .. 11-25). */
	c.f.recent[0] = paris(2026, 11, 20, 11, 0);
	c.f.recent[1] = paris(2026, 11, 10, 11, 0);
	c.f.recent[2] = paris(2026, 11, 1, 11, 0);
	c.f.recent[3] = paris(2026, 10, 26, 10, 30);
	c.f.nrecent = 3;
	check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_true(r.callable);
	c.f.nrecent = 4;
	check(RULES_FR_B2C, paris(2026, 11, 25, 19, 59), &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.frequency")->reason, "4 calls or attempts to this number since 2026-10-26"
		" (at most 4 in 30 calendar days): the first day allowed is 2026-11-26");
	assert_int_equal(verdict(&r, "fr.frequency")->allowed_from, paris(2026, 11, 26, 0, 0));
	assert_string_equal(verdict(&r, "fr.frequency")->source, "Code de la consommation, art. D.223-9 (décret 2022-1313)");
	/* The reason as a message: its id and arguments say it again, in any language's words. */
	{
		const struct rule_verdict *v = verdict(&r, "fr.frequency");
		char text[256];

		assert_int_equal(v->nargs, 4);
		assert_string_equal(v->args[0], "4");
		assert_string_equal(v->args[3], "2026-11-26");
		rules_format(v->fmt, v, text, sizeof(text));
		assert_string_equal(text, v->reason);
		rules_format("%s appels depuis le %s (au plus %s) : premier jour, le %s", v, text, sizeof(text));
		assert_string_equal(text, "4 appels depuis le 2026-10-26 (au plus 4) : premier jour, le 2026-11-26");
		assert_string_equal(rules_label("fr.frequency"), "Calls in 30 days");
		assert_string_equal(rules_label("no.such"), "no.such");
	}
	/* At 10:30 on 11-25, 30 times 24 hours after the oldest: still refused (the old rule let it through). */
	check(RULES_FR_B2C, paris(2026, 11, 25, 10, 30), &c, &r);
	assert_false(verdict(&r, "fr.frequency")->ok);
	check(RULES_FR_B2C, paris(2026, 11, 26, 10, 0), &c, &r);
	assert_true(verdict(&r, "fr.frequency")->ok);
	assert_true(r.callable);
	/* Counted in the consumer's zone: 23:30 on 10-26 in Réunion is 20:30 in Paris. The same
	 * instant is 10-26 for both here, but a call at 22:30 UTC on 10-25 is 10-26 in Réunion
	 * (02:30) and 10-26 00:30 in Paris too; at 19:30 UTC on 10-26 it is 10-26 in Paris and
	 * 10-26 23:30 in Réunion: both wait for 11-26, local midnight. */
	{
		struct rules_consumer re = consumer("RE", "", NULL);
		int64_t reunion_midnight = tz_day_number(20261126) * 86400 - 4 * 3600;

		memcpy(re.f.recent, c.f.recent, sizeof(c.f.recent));
		re.f.nrecent = 4;
		re.f.recent[3] = tz_day_number(20261026) * 86400 + 19 * 3600 + 30 * 60;
		check(RULES_FR_B2C, reunion_midnight - 60, &re, &r);
		assert_false(verdict(&r, "fr.frequency")->ok);
		assert_int_equal(verdict(&r, "fr.frequency")->allowed_from, reunion_midnight);
		check(RULES_FR_B2C, reunion_midnight, &re, &r);
		assert_true(verdict(&r, "fr.frequency")->ok);
	}
	/* A refusal on 2026-09-24 at 15:00: nothing on 09-25 .. 11-23 (60 days); 11-24 is the
	 * first day allowed, from its midnight. */
	c.f.nrecent = 0;
	c.f.last_refusal = paris(2026, 9, 24, 15, 0);
	at = paris(2026, 11, 23, 19, 59);
	check(RULES_FR_B2C, at, &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.refusal")->reason, "refused during a call on 2026-09-24: none for 60 calendar"
		" days after a refusal: the first day allowed is 2026-11-24");
	assert_int_equal(verdict(&r, "fr.refusal")->allowed_from, paris(2026, 11, 24, 0, 0));
	/* 10:35 on 11-23 is 60 times 24 hours after the refusal: still refused. */
	check(RULES_FR_B2C, paris(2026, 11, 23, 15, 5), &c, &r);
	assert_false(verdict(&r, "fr.refusal")->ok);
	check(RULES_FR_B2C, paris(2026, 11, 24, 10, 0), &c, &r);
	assert_true(r.callable);
	assert_true(verdict(&r, "fr.refusal")->ok);
}

/* Consent is required from 11 August 2026 (loi 2025-594): a call the day before needs
 * none; from that midnight in Paris, one must be recorded. */
static void test_consent(void **state)
{
	struct rules_consumer c = consumer("FR", "75001", NULL);
	struct rules_result r;

	(void)state;
	c.f.consent_at = 0;
	check(RULES_FR_B2C, paris(2026, 8, 10, 23, 59), &c, &r);
	assert_true(verdict(&r, "fr.consent")->ok);
	check(RULES_FR_B2C, paris(2026, 8, 11, 0, 0), &c, &r);
	assert_false(verdict(&r, "fr.consent")->ok);
	assert_string_equal(verdict(&r, "fr.consent")->reason, "no recorded consent of this consumer to be called (required"
		" since 2026-08-11; import it with the file or record it at the desk)");
	check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_false(r.callable);
	c.f.consent_at = paris(2026, 9, 1, 0, 0);
	check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_true(r.callable);
	assert_int_equal(RULES_CONSENT_FROM, paris(2026, 8, 11, 0, 0));
}

/* Numbers are screened against Bloctel at most 30 days before the call, and after their
 * file came in: a screening on day S is good through S + 30, to its midnight. */
static void test_bloctel(void **state)
{
	struct rules_consumer c = consumer("FR", "75001", NULL);
	struct rules_result r;

	(void)state;
	c.f.created_at = paris(2026, 10, 1, 9, 0);
	c.f.screened_at = paris(2026, 10, 24, 10, 30);
	/* 11-23 is S + 30: good all day, even at 19:59, past 30 times 24 hours. */
	rules_check(RULES_FR_B2C, paris(2026, 11, 23, 19, 59), &c, &r);
	assert_true(r.callable);
	rules_check(RULES_FR_B2C, paris(2026, 11, 24, 10, 0), &c, &r);
	assert_false(r.callable);
	assert_string_equal(verdict(&r, "fr.bloctel")->reason, "the file was last screened against Bloctel on 2026-10-24,"
		" good through 2026-11-23 (30 calendar days): screen it again");
	c.f.screened_at = paris(2026, 11, 13, 10, 0);
	c.f.created_at = paris(2026, 11, 18, 10, 0);
	rules_check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_false(verdict(&r, "fr.bloctel")->ok);
	assert_string_equal(verdict(&r, "fr.bloctel")->reason, "the number was not screened against Bloctel since its file"
		" came in: telepro export screening, then telepro import dnc --source bloctel");
	c.f.screened_at = 0;
	rules_check(RULES_FR_B2C, paris(2026, 11, 23, 11, 0), &c, &r);
	assert_false(verdict(&r, "fr.bloctel")->ok);
}

static void test_sets(void **state)
{
	struct rules_consumer c = consumer("FR", "75001", NULL);
	struct rules_result r;

	(void)state;
	c.f.consent_at = c.f.screened_at = 0;
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
		cmocka_unit_test(test_easter_and_holidays), cmocka_unit_test(test_places),
		cmocka_unit_test(test_days_and_hours), cmocka_unit_test(test_overseas),
		cmocka_unit_test(test_frequency_and_refusal), cmocka_unit_test(test_consent), cmocka_unit_test(test_bloctel),
		cmocka_unit_test(test_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
