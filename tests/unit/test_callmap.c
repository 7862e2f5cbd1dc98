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
	"time = 12:00\n"
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
	assert_int_equal(p.hour * 100 + p.minute, 1200);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_datetime_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
