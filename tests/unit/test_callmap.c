/* Call-history mapping files and rows (core/callmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/callmap.h"

static const char bank[] =
	"# a comment\n"
	"[columns]\n"
	"Durée = talk_seconds\n"
	"month = month\n"
	"day = day\n"
	"y = outcome\n"
	"\n"
	"[values outcome]\n"
	"yes = sale\n"
	"no = refused\r\n"
	"[fixed]\n"
	"result = conversation\n"
	"agent = bank\n"
	"year = 2008 increasing\n";

static void test_parse(void **state)
{
	struct callmap m;
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(callmap_parse(&m, "bank.mapping", bank, strlen(bank), &err), 0);
	assert_int_equal(m.ncolumns, 4);
	assert_int_equal(callmap_column(&m, "DUREE", NULL), CM_TALK);
	assert_int_equal(callmap_column(&m, "Month", NULL), CM_MONTH);
	assert_int_equal(callmap_column(&m, "balance", NULL), -1);
	assert_int_equal(m.nvalues, 2);
	assert_string_equal(callmap_value(&m, CM_OUTCOME, "yes"), "sale");
	assert_string_equal(callmap_value(&m, CM_OUTCOME, "no"), "refused");
	assert_string_equal(callmap_value(&m, CM_OUTCOME, "maybe"), "maybe");
	assert_string_equal(callmap_value(&m, CM_RESULT, "yes"), "yes");
	assert_string_equal(m.fixed[CM_AGENT], "bank");
	assert_string_equal(m.fixed[CM_YEAR], "2008");
	assert_true(m.year_increasing);
	assert_null(m.fixed[CM_PHONE]);
	callmap_release(&m);
}

/* Each refusal names the file and line, and says what was wrong. */
static void test_refusals(void **state)
{
	static const struct {
		const char *text;
		long line;
		const char *reason;
	} cases[] = {
		{"agent = agent\n", 1, "expected a section first: [columns]"},
		{"[columns]\n# fine\nagent\n", 3, "expected LEFT = RIGHT"},
		{"[columns]\nx = colour\n", 2, "unknown target 'colour'"},
		{"[fixed]\nignore = 1\n", 2, "unknown target 'ignore'"},
		{"[colonnes]\n", 1, "unknown section [colonnes]"},
		{"[values moon]\n", 1, "unknown section [values moon]"},
		{"[columns\n", 1, "a section is written [columns], [values TARGET] or [fixed]"},
		{"[columns]\n = agent\n", 2, "nothing left of '='"},
		{"[columns]\nagent = agent\0x\n", 2, "NUL byte in a mapping file"},
		/* What the file does not say is not made up by a constant. */
		{"[fixed]\nagent = a\nday = 1\n", 3, "[fixed] day: the same day of the month for every call would be made up"},
		{"[fixed]\ntime = 12:00\n", 2, "[fixed] time: the same time of day for every call would be made up"},
		{"[fixed]\nweekday = mon\n", 2, "[fixed] weekday: the same weekday for every call would be made up"},
		{"[fixed]\nappointment_at = 2026-01-05 10:00\n", 2, "map the column that has it"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct callmap m;
		struct tp_error err;
		size_t len = strlen(cases[i].text);

		if (strstr(cases[i].reason, "NUL"))
			len = sizeof("[columns]\nagent = agent\0x\n") - 1;
		tp_error_clear(&err);
		assert_int_equal(callmap_parse(&m, "h.mapping", cases[i].text, len, &err), TP_EUSAGE);
		assert_string_equal(err.file, "h.mapping");
		assert_int_equal(err.line, cases[i].line);
		assert_non_null(strstr(err.reason, cases[i].reason));
	}
}

static int row(const struct callmap *m, const char *const v[CM_COUNT], int *year, int *month, struct call_parts *p,
	struct tp_error *err)
{
	struct call_row r;

	memcpy(r.v, v, sizeof(r.v));
	return callmap_row(m, &r, year, month, p, err);
}

/* Rows: values translated, constants filled in, the year going up when the month goes
 * back, impossible dates refused naming the field. */
static void test_rows(void **state)
{
	struct callmap m;
	struct call_parts p;
	struct tp_error err;
	const char *v[CM_COUNT] = {0};
	int year = 0, month = 0;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(callmap_parse(&m, "bank.mapping", bank, strlen(bank), &err), 0);
	v[CM_TALK] = "261";
	v[CM_MONTH] = "may";
	v[CM_DAY] = "5";
	v[CM_OUTCOME] = "yes";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.year * 10000 + p.month * 100 + p.day, 20080505);
	/* No time of day in the file: none made up. */
	assert_int_equal(p.known, WHEN_DAY);
	assert_int_equal(p.hour * 100 + p.minute, 0);
	assert_int_equal(p.weekday, 1);
	assert_int_equal(p.talk_seconds, 261);
	assert_string_equal(p.outcome, "sale");
	assert_string_equal(p.result, "conversation");
	assert_string_equal(p.agent, "bank");
	/* The month went back: 2009, which has no 29 February. */
	v[CM_MONTH] = "feb";
	v[CM_DAY] = "29";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "day");
	assert_string_equal(err.reason, "29/02/2009: there is no such day in that month");
	v[CM_DAY] = "28";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.year * 10000 + p.month * 100 + p.day, 20090228);
	v[CM_TALK] = "4 min";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "talk_seconds");
	callmap_release(&m);
}

static void test_datetime_rows(void **state)
{
	static const char text[] = "[columns]\nwhen = datetime\nwho = agent\nres = result\n";
	struct callmap m;
	struct call_parts p;
	struct tp_error err;
	const char *v[CM_COUNT] = {0};
	int year = 0, month = 0;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(callmap_parse(&m, "h.mapping", text, strlen(text), &err), 0);
	v[CM_AGENT] = "zoe";
	v[CM_RESULT] = "busy";
	v[CM_DATETIME] = "2026-12-03 10:00:30";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.year * 10000 + p.month * 100 + p.day, 20261203);
	assert_int_equal(p.hour * 10000 + p.minute * 100 + p.second, 100030);
	v[CM_DATETIME] = "2026-02-31 10:00";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "datetime");
	assert_string_equal(err.reason, "'2026-02-31 10:00': there is no such day in that month");
	v[CM_DATETIME] = "2026-12-03 25:00";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'2026-12-03 25:00': there is no such time of day");
	v[CM_DATETIME] = "2026-12-03 10:00";
	v[CM_RESULT] = "hung_up";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "result");
	v[CM_RESULT] = "busy";
	v[CM_AGENT] = NULL;
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "agent");
	callmap_release(&m);
}

/* A month and a weekday, or a month only: the call keeps what its row says. */
static void test_weekday_rows(void **state)
{
	static const char text[] = "[columns]\nmois = month\njour = weekday\nquantieme = day\n[values weekday]\n"
		"seg = mon\n[fixed]\nagent = a\nresult = conversation\nyear = 2008 increasing\n";
	struct callmap m;
	struct call_parts p;
	struct tp_error err;
	const char *v[CM_COUNT] = {0};
	int year = 0, month = 0;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(callmap_parse(&m, "w.mapping", text, strlen(text), &err), 0);
	v[CM_MONTH] = "mai";
	v[CM_WEEKDAY] = "Vendredi";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.known, WHEN_WEEKDAY);
	assert_int_equal(p.year * 100 + p.month, 200805);
	assert_int_equal(p.day, 0);
	assert_int_equal(p.weekday, 5);
	v[CM_WEEKDAY] = "seg";              /* through [values weekday] */
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.weekday, 1);
	v[CM_WEEKDAY] = "7";                /* ISO: Sunday */
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.weekday, 0);
	v[CM_WEEKDAY] = "someday";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "weekday");
	assert_non_null(strstr(err.reason, "'someday' is not a weekday"));
	v[CM_WEEKDAY] = NULL;
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.known, WHEN_MONTH);
	assert_int_equal(p.weekday, -1);
	/* A day and a weekday that disagree: refused, not one of them believed. */
	v[CM_DAY] = "3";
	v[CM_WEEKDAY] = "mon";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), TP_EUSAGE);
	assert_string_equal(err.field, "weekday");
	assert_string_equal(err.reason, "3/05/2008 is a Saturday, the row says 'mon'");
	v[CM_WEEKDAY] = "sat";
	assert_int_equal(row(&m, v, &year, &month, &p, &err), 0);
	assert_int_equal(p.known, WHEN_DAY);
	callmap_release(&m);
}

/* A mapping is checked against the header before any row: one message, what to do. */
static void test_check(void **state)
{
	static const char *const header[] = {"Mois", "Jour", "Durée", "y", "tel", "Projet"};
	static const struct {
		const char *text;
		long line;
		const char *reason;
	} cases[] = {
		{"[columns]\nmois = month\n[fixed]\nresult = conversation\nyear = 2008\n", 0, "no agent: map the column"},
		{"[columns]\nmois = month\n[fixed]\nagent = a\nyear = 2008\n", 0, "no result: map the column"},
		{"[columns]\ny = outcome\n[fixed]\nagent = a\nresult = conversation\n", 0, "no date: map a datetime"},
		{"[columns]\nmois = month\n[fixed]\nagent = a\nresult = conversation\n", 2, "a month needs its year"},
		{"[columns]\nmonth = month\n[fixed]\nagent = a\nresult = conversation\nyear = 2008\n", 2,
			"column 'month' (mapped to month) is not in f.csv"},
		{"[columns]\nmois = month\n[values weekday]\nseg = mon\n[fixed]\nagent = a\nresult = conversation\n"
			"year = 2008\n", 4, "[values weekday] translates a column's values, but no column is mapped to weekday"},
		{"[columns]\nmois = month\ny = result\n[fixed]\nagent = a\nresult = conversation\nyear = 2008\n", 6,
			"result is both column 'y' and [fixed] result = conversation: keep one"},
		{"[columns]\nmois = month\nProjet = qualify.projet\n[fixed]\nagent = a\nresult = conversation\n"
			"year = 2008\n", 3, "qualification columns need a phone column"},
		{"[columns]\nmois = month\n[fixed]\nagent = a\nresult = conversation\nyear = 2008\n"
			"appointment_status = held\n", 7, "appointment_status needs an appointment_at column"},
		{"[columns]\nmois = month\n[fixed]\nagent = a\nresult = conversation\ndate = 2008-05-02\n", 2,
			"date and month say the same thing twice"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct callmap m;
		struct tp_error err;

		tp_error_clear(&err);
		assert_int_equal(callmap_parse(&m, "c.mapping", cases[i].text, strlen(cases[i].text), &err), 0);
		assert_int_equal(callmap_check(&m, "f.csv", header, 6, &err), TP_EUSAGE);
		if (!strstr(err.reason, cases[i].reason))
			fail_msg("case %zu: %s", i, err.reason);
		assert_string_equal(err.file, "c.mapping");
		if (err.line != cases[i].line)
			fail_msg("case %zu: line %ld: %s", i, err.line, err.reason);
		callmap_release(&m);
	}
}

/* The local day codes of calls that know less than their day (core/when.h). */
static void test_when_codes(void **state)
{
	(void)state;
	assert_int_equal(when_day_code(WHEN_FULL, 20080505, 1), 20080505);
	assert_int_equal(when_day_code(WHEN_DAY, 20080505, 1), 20080505);
	assert_int_equal(when_day_code(WHEN_WEEKDAY, 20080501, 5), 20080545);
	assert_int_equal(when_day_code(WHEN_MONTH, 20080501, -1), 20080550);
	assert_true(when_day_known(20080531));
	assert_false(when_day_known(20080545));
	assert_false(when_day_known(20080550));
	assert_int_equal(when_weekday(20080505), 1);
	assert_int_equal(when_weekday(20080545), 5);
	assert_int_equal(when_weekday(20080550), -1);
	assert_int_equal(when_of(20080505, 10), WHEN_FULL);
	assert_int_equal(when_of(20080505, -1), WHEN_DAY);
	assert_int_equal(when_of(20080540, -1), WHEN_WEEKDAY);
	assert_int_equal(when_of(20080550, -1), WHEN_MONTH);
	/* A period holds the codes of the months it covers whole, not of the others. */
	assert_int_equal(when_period_from(20080501), 20080501);
	assert_int_equal(when_period_from(20080502), 20080601);
	assert_int_equal(when_period_from(20081215), 20090101);
	assert_int_equal(when_period_to(20080531), 20080599);
	assert_int_equal(when_period_to(20080530), 20080530);
	assert_int_equal(when_period_to(20080229), 20080299);
	assert_int_equal(when_period_to(20090228), 20090299);
	assert_int_equal(when_weekday_parse("Mon"), 1);
	assert_int_equal(when_weekday_parse("dimanche"), 0);
	assert_int_equal(when_weekday_parse("Mer."), 3);
	assert_int_equal(when_weekday_parse("1"), 1);
	assert_int_equal(when_weekday_parse("7"), 0);
	assert_int_equal(when_weekday_parse("8"), -1);
	assert_int_equal(when_weekday_parse(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_datetime_rows),
		cmocka_unit_test(test_weekday_rows),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_when_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
