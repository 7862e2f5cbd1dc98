/* app/prospect_writer.c: the import's writer thread writes every row it is given, in file
 * order, with its strings and qualification pairs as they were (the caller's buffers are
 * reused at once), counts the verdicts, and stops at its first error, which the caller
 * gets back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/prospect_writer.h"

#define ROWS 5000   /* about ten batches: the queue fills and the caller waits */

struct seen {
	long next_line;       /* the line the next write must bring */
	long bad;             /* the store's "failure" on this line; 0: none */
	long written;
	bool wrong;           /* a row came out of order or changed */
	char why[256];
};

static void fill(struct prospect *p, long line, char (*text)[64], const char **keys, const char **values)
{
	memset(p, 0, sizeof(*p));
	p->line = line;
	for (int f = 0; f < F_COUNT; f++) {
		snprintf(text[f], 64, "f%d-%ld", f, line);
		p->field[f] = text[f];
	}
	if (line % 5)
		snprintf(p->phone, sizeof(p->phone), "+3314%07ld", line);
	snprintf(p->mobile, sizeof(p->mobile), "+3361%07ld", line);
	p->lead_phone = p->phone[0] ? p->phone : p->mobile;
	p->nqual = (size_t)(line % 3);
	for (size_t q = 0; q < p->nqual; q++) {
		snprintf(text[F_COUNT + 2 * q], 64, "k%zu", q);
		snprintf(text[F_COUNT + 2 * q + 1], 64, "v%zu-%ld", q, line);
		keys[q] = text[F_COUNT + 2 * q];
		values[q] = text[F_COUNT + 2 * q + 1];
	}
	p->qual_key = keys;
	p->qual_value = values;
}

/* The writer's side: checks the row against what fill() gave for its line. */
static int check_row(void *ctx, const struct prospect *p, struct tp_error *err)
{
	struct seen *s = ctx;
	char want[F_COUNT + 4][64];
	const char *keys[2], *values[2];
	struct prospect w;

	if (p->line == s->bad)
		return tp_error_at(err, TP_ERR, "f.csv", p->line, "phone", "the store refused line %ld", p->line);
	fill(&w, s->next_line, want, keys, values);
	s->next_line++;
	s->written++;
	if (p->line != w.line && !s->wrong) {
		s->wrong = true;
		snprintf(s->why, sizeof(s->why), "line %ld instead of %ld", p->line, w.line);
	}
	for (int f = 0; f < F_COUNT; f++)
		if (strcmp(p->field[f], w.field[f]) && !s->wrong) {
			s->wrong = true;
			snprintf(s->why, sizeof(s->why), "line %ld field %d: %s", w.line, f, p->field[f]);
		}
	if ((strcmp(p->phone, w.phone) || strcmp(p->mobile, w.mobile) || strcmp(p->lead_phone, w.lead_phone)
		|| (p->lead_phone == p->mobile) != (w.line % 5 == 0)) && !s->wrong) {
		s->wrong = true;
		snprintf(s->why, sizeof(s->why), "line %ld phones %s %s %s", w.line, p->phone, p->mobile, p->lead_phone);
	}
	if (p->nqual != w.nqual && !s->wrong) {
		s->wrong = true;
		snprintf(s->why, sizeof(s->why), "line %ld: %zu pairs", w.line, p->nqual);
	}
	for (size_t q = 0; q < p->nqual && q < w.nqual; q++)
		if ((strcmp(p->qual_key[q], w.qual_key[q]) || strcmp(p->qual_value[q], w.qual_value[q])) && !s->wrong) {
			s->wrong = true;
			snprintf(s->why, sizeof(s->why), "line %ld pair %zu: %s=%s", w.line, q, p->qual_key[q],
				p->qual_value[q]);
		}
	return (int)(p->line % 4 == 0 ? IMPORT_DUPLICATE : p->line % 4 == 1 ? IMPORT_PENDING : IMPORT_ADDED);
}

/* Gives the writer lines 1..rows (fewer when it fails); the first pw_add status that is
 * not IMPORT_PENDING, else pw_finish's. */
static int feed(struct prospect_writer *w, long rows, long *given, struct tp_error *err)
{
	char text[F_COUNT + 4][64];
	const char *keys[2], *values[2];
	struct prospect p;
	int rc;

	for (*given = 0; *given < rows; (*given)++) {
		fill(&p, *given + 1, text, keys, values);
		if ((rc = pw_add(w, &p, err)) != IMPORT_PENDING)
			return rc;
		memset(text, 'x', sizeof(text));  /* the caller's buffers are reused at once */
	}
	return pw_finish(w, err);
}

/* Starts a writer that fails on line bad (0: never), gives it rows lines, and releases it
 * (its counts stay readable in *w). */
static int run_writer(struct prospect_writer *w, struct seen *s, long rows, long bad, long *given,
	struct tp_error *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->next_line = 1;
	s->bad = bad;
	tp_error_clear(err);
	assert_int_equal(pw_start(w, check_row, s, err), 0);
	rc = feed(w, rows, given, err);
	pw_release(w);
	assert_false(s->wrong);
	assert_string_equal(s->why, "");
	return rc;
}

static void test_every_row_in_order(void **state)
{
	struct prospect_writer w;
	struct seen s;
	struct tp_error err;
	long given;

	(void)state;
	assert_int_equal(run_writer(&w, &s, ROWS, 0, &given, &err), 0);
	assert_int_equal(given, ROWS);
	assert_int_equal(s.written, ROWS);
	/* lines 1..5000: 1250 with line % 4 == 0, 1250 with 1, 2500 with 2 or 3 */
	assert_int_equal(w.duplicates, 1250);
	assert_int_equal(w.pending, 1250);
	assert_int_equal(w.added, 2500);
}

static void test_a_few_rows(void **state)
{
	struct prospect_writer w;
	struct seen s;
	struct tp_error err;
	long given;

	(void)state;
	assert_int_equal(run_writer(&w, &s, 3, 0, &given, &err), 0);
	assert_int_equal(s.written, 3);
	assert_int_equal(w.added, 2);       /* lines 2 and 3 */
	assert_int_equal(w.pending, 1);     /* line 1 */
	assert_int_equal(w.duplicates, 0);
}

static void test_first_error_stops_it(void **state)
{
	struct prospect_writer w;
	struct seen s;
	struct tp_error err;
	long given;

	(void)state;
	assert_int_equal(run_writer(&w, &s, ROWS, 700, &given, &err), TP_ERR);
	/* Nothing after the refused line was written; the caller stopped within the queue. */
	assert_int_equal(s.written, 699);
	assert_true(given >= 699);
	assert_true(given < 700 + (PW_QUEUE + 1) * PW_BATCH);
	assert_int_equal(err.code, TP_ERR);
	assert_int_equal(err.line, 700);
	assert_string_equal(err.file, "f.csv");
	assert_string_equal(err.field, "phone");
	assert_string_equal(err.reason, "the store refused line 700");
}

static void test_error_in_the_last_batch(void **state)
{
	struct prospect_writer w;
	struct seen s;
	struct tp_error err;
	long given;

	(void)state;
	/* All 20 rows fit in one batch: the error comes from pw_finish. */
	assert_int_equal(run_writer(&w, &s, 20, 10, &given, &err), TP_ERR);
	assert_int_equal(given, 20);
	assert_int_equal(s.written, 9);
	assert_int_equal(err.line, 10);
	assert_string_equal(err.reason, "the store refused line 10");
}

static void test_release_drops_the_rest(void **state)
{
	struct prospect_writer w;
	struct seen s = {.next_line = 1};
	char text[F_COUNT + 4][64];
	const char *keys[2], *values[2];
	struct prospect p;
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(pw_start(&w, check_row, &s, &err), 0);
	for (long line = 1; line <= 100; line++) {
		fill(&p, line, text, keys, values);
		assert_int_equal(pw_add(&w, &p, &err), IMPORT_PENDING);
	}
	/* An abort: the 100 rows never made a full batch, so none is written. */
	pw_release(&w);
	assert_int_equal(s.written, 0);
	assert_false(s.wrong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_in_order),
		cmocka_unit_test(test_a_few_rows),
		cmocka_unit_test(test_first_error_stops_it),
		cmocka_unit_test(test_error_in_the_last_batch),
		cmocka_unit_test(test_release_drops_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
