/* The CSV reader: RFC 4180 quoting, line numbers, BOM, CRLF, chunking, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"

struct got {
	int n;
	long line[16];
	size_t nfields[16];
	char text[16][256]; /* fields joined with '|' */
	char error[16][128];
};

static int collect(void *ctx, const struct csv_record *rec)
{
	struct got *g = ctx;
	size_t off = 0;

	if (g->n == 16)
		return 0;
	g->line[g->n] = rec->line;
	g->nfields[g->n] = rec->nfields;
	g->text[g->n][0] = '\0';
	for (size_t i = 0; i < rec->nfields && off < 250; i++)
		off += (size_t)snprintf(g->text[g->n] + off, 256 - off, "%s%s", i ? "|" : "", rec->fields[i]);
	snprintf(g->error[g->n], 128, "%s", rec->error ? rec->error : "");
	g->n++;
	return 0;
}

/* Parses input fed in chunks of chunk bytes (0: all at once). */
static void parse(const char *input, size_t len, char delim, size_t chunk, struct got *g)
{
	struct csv_reader r;

	memset(g, 0, sizeof(*g));
	csv_reader_init(&r, delim, collect, g);
	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk)
		csv_reader_feed(&r, input + off, len - off < chunk ? len - off : chunk);
	csv_reader_finish(&r);
	csv_reader_release(&r);
}

static void test_quotes_and_line_numbers(void **state)
{
	static const char in[] = "a,b,c\n"
		"\"x, y\",\"say \"\"hi\"\"\",z\n"
		"\"multi\nline\nfield\",2,3\n"
		"\n"
		"last,row,here";
	struct got g;

	(void)state;
	for (size_t chunk = 0; chunk < 8; chunk++) {
		parse(in, sizeof(in) - 1, ',', chunk, &g);
		assert_int_equal(g.n, 4);
		assert_int_equal(g.line[0], 1);
		assert_string_equal(g.text[1], "x, y|say \"hi\"|z");
		assert_int_equal(g.line[1], 2);
		assert_string_equal(g.text[2], "multi\nline\nfield|2|3");
		assert_int_equal(g.line[2], 3);
		/* the blank line 6 is skipped; the last record has no final newline */
		assert_int_equal(g.line[3], 7);
		assert_string_equal(g.text[3], "last|row|here");
	}
}

static void test_bom_crlf_semicolon(void **state)
{
	static const char in[] = "\xEF\xBB\xBFnom;t\xC3\xA9l\xC3\xA9phone\r\nDupont;01 42 68 53 00\r\n\r\n\"A;B\";2\r\n";
	struct got g;

	(void)state;
	assert_int_equal(csv_detect_delimiter(in, sizeof(in) - 1), ';');
	parse(in, sizeof(in) - 1, ';', 0, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "nom|t\xC3\xA9l\xC3\xA9phone");
	assert_string_equal(g.text[1], "Dupont|01 42 68 53 00");
	assert_int_equal(g.line[2], 4);
	assert_string_equal(g.text[2], "A;B|2");
}

static void test_tab_keeps_tabs_as_delimiters(void **state)
{
	static const char in[] = "a\tb\tc\n1\t\t3\n";
	struct got g;

	(void)state;
	assert_int_equal(csv_detect_delimiter(in, sizeof(in) - 1), '\t');
	parse(in, sizeof(in) - 1, '\t', 0, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.nfields[1], 3);
	assert_string_equal(g.text[1], "1||3");
}

static void test_detect_ignores_quoted(void **state)
{
	static const char in[] = "\"a;b;c;d\",x,y\n";

	(void)state;
	assert_int_equal(csv_detect_delimiter(in, sizeof(in) - 1), ',');
	assert_int_equal(csv_detect_delimiter("single\n", 7), ',');
}

static void test_unterminated_quote_reported(void **state)
{
	static const char in[] = "a,b\n1,2\n\"open,3\n4,5\n";
	struct got g;

	(void)state;
	parse(in, sizeof(in) - 1, ',', 0, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.line[2], 3);
	assert_true(strstr(g.error[2], "quoted field not closed") != NULL);
}

static void test_field_cap_recovers(void **state)
{
	size_t big = CSV_FIELD_MAX + 4096;
	char *in = malloc(big + 64);
	size_t n = 0;
	struct got g;

	(void)state;
	n += (size_t)snprintf(in, 64, "h1,h2\n\"");
	memset(in + n, 'x', big);
	n += big;
	memcpy(in + n, "\nnext,row\n", 10);
	n += 10;
	parse(in, n, ',', 65536, &g);
	free(in);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.line[1], 2);
	assert_true(strstr(g.error[1], "longer than 1 MiB") != NULL);
	assert_int_equal(g.line[2], 3);
	assert_string_equal(g.text[2], "next|row");
}

/* Formula injection: what a spreadsheet would run is written as text, numbers are not. */
static void test_neutral(void **state)
{
	static const char *const run[] = {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-2+3",
		"\tx", "\rx", "=1", "-", "+ 33"};
	static const char *const plain[] = {"+33142685300", "-12,5", "42", "1 200.50", "Dupont", "", "a=b", "'=x"};

	(void)state;
	for (size_t i = 0; i < sizeof(run) / sizeof(run[0]); i++)
		if (!csv_needs_neutral(run[i]))
			fail_msg("'%s' should be neutralised", run[i]);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (csv_needs_neutral(plain[i]))
			fail_msg("'%s' should be left as it is", plain[i]);
	assert_string_equal(csv_unneutral("'=HYPERLINK(1)"), "=HYPERLINK(1)");
	assert_string_equal(csv_unneutral("'@x"), "@x");
	assert_string_equal(csv_unneutral("'quoted'"), "'quoted'");
	assert_string_equal(csv_unneutral("'"), "'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neutral), cmocka_unit_test(test_quotes_and_line_numbers),
		cmocka_unit_test(test_bom_crlf_semicolon),
		cmocka_unit_test(test_tab_keeps_tabs_as_delimiters),
		cmocka_unit_test(test_detect_ignores_quoted),
		cmocka_unit_test(test_unterminated_quote_reported),
		cmocka_unit_test(test_field_cap_recovers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
