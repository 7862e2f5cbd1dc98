/* The importer on its own: header recognition, rejections with line and field,
 * encodings, qualification columns, whatever the chunking. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/import.h"

struct rec {
	int nprospects;
	char phones[16][PHONE_E164_MAX];
	char names[16][64];
	char qual[16][128];
	long lines[16];
	int nrejects;
	char rejects[16][256];
};

static int on_prospect(void *ctx, const struct prospect *p, struct tp_error *err)
{
	struct rec *r = ctx;
	size_t off = 0;

	(void)err;
	for (int i = 0; i < r->nprospects; i++)
		if (strcmp(r->phones[i], p->lead_phone) == 0)
			return IMPORT_DUPLICATE;
	snprintf(r->phones[r->nprospects], PHONE_E164_MAX, "%s", p->lead_phone);
	snprintf(r->names[r->nprospects], 64, "%s %s", p->field[F_FIRST_NAME], p->field[F_LAST_NAME]);
	r->qual[r->nprospects][0] = '\0';
	for (size_t i = 0; i < p->nqual; i++)
		off += (size_t)snprintf(r->qual[r->nprospects] + off, 128 - off, "%s=%s;", p->qual_key[i], p->qual_value[i]);
	r->lines[r->nprospects] = p->line;
	r->nprospects++;
	return IMPORT_ADDED;
}

static void on_reject(void *ctx, const struct tp_error *e)
{
	struct rec *r = ctx;

	tp_error_format(e, r->rejects[r->nrejects++], 256);
}

static int run(const char *text, size_t chunk, bool latin1, struct rec *r, struct import_stats *st,
	struct tp_error *err)
{
	struct import_opts o = {.file = "t.csv", .region = "FR", .latin1 = latin1};
	struct import_sink sink = {r, on_prospect, on_reject};
	struct importer im;
	size_t len = strlen(text);
	int rc = 0;

	memset(r, 0, sizeof(*r));
	tp_error_clear(err);
	importer_init(&im, &o, &sink);
	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len && rc == 0; off += chunk)
		rc = importer_feed(&im, text + off, len - off < chunk ? len - off : chunk, err);
	if (rc == 0)
		rc = importer_finish(&im, err);
	*st = im.stats;
	importer_release(&im);
	return rc;
}

static void test_rows_and_rejections(void **state)
{
	static const char csv[] = "Nom;Prénom;Téléphone;Mobile;Effectif\n"
		"Dupont;Jean;01 42 68 53 00;;50\n"
		"\"Martin\nSr\";Paul;;06 12 34 56 78;\n"
		"Bad;Num;01 23;;\n"
		"Twice;Again;+33142685300;;\n"
		"None;Phone;;;\n"
		"Short;Row\n"
		";;;;\n"
		"Bad;Mobile;04 72 00 11 22;12;\n";
	struct rec r;
	struct import_stats st;
	struct tp_error err;

	(void)state;
	for (size_t chunk = 0; chunk < 5; chunk++) {
		assert_int_equal(run(csv, chunk * 7, false, &r, &st, &err), 0);
		assert_int_equal(st.imported, 2);
		assert_int_equal(st.duplicates, 1);
		assert_int_equal(st.rejected, 4);
		assert_int_equal(st.empty, 1);
		assert_string_equal(r.phones[0], "+33142685300");
		assert_string_equal(r.qual[0], "Effectif=50;");
		assert_string_equal(r.names[1], "Paul Martin\nSr");
		assert_int_equal(r.lines[1], 3);
		assert_string_equal(r.phones[1], "+33612345678");
		assert_string_equal(r.rejects[0], "t.csv:5: phone: '01 23': too short");
		assert_string_equal(r.rejects[1],
			"t.csv:7: phone: missing: the row has neither a phone nor a mobile number");
		assert_true(strncmp(r.rejects[2], "t.csv:8: record: 2 fields where the header has 5", 48) == 0);
		assert_string_equal(r.rejects[3], "t.csv:10: mobile: '12': too short");
	}
}

static void test_encodings(void **state)
{
	static const char utf8_bad[] = "nom,phone\nJos\xE9,0142685300\nOk,0142685301\n";
	static const char latin1[] = "soci\xE9t\xE9,t\xE9l\xE9phone,pr\xE9nom\nCaf\xE9,0142685300,Ren\xE9\n";
	struct rec r;
	struct import_stats st;
	struct tp_error err;

	(void)state;
	assert_int_equal(run(utf8_bad, 0, false, &r, &st, &err), 0);
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.rejected, 1);
	assert_string_equal(r.rejects[0], "t.csv:2: last_name: invalid UTF-8 (is the file Latin-1? try --encoding latin1)");
	assert_int_equal(run(latin1, 0, true, &r, &st, &err), 0);
	assert_int_equal(st.imported, 1);
	assert_string_equal(r.names[0], "Ren\xC3\xA9 ");
	/* Latin-1 read as UTF-8: the header itself is refused, the file is unusable. */
	assert_int_equal(run(latin1, 0, false, &r, &st, &err), TP_EUSAGE);
	assert_string_equal(err.field, "header");
}

static void test_unusable_files(void **state)
{
	struct rec r;
	struct import_stats st;
	struct tp_error err;

	(void)state;
	assert_int_equal(run("nom,ville\nA,Lyon\n", 0, false, &r, &st, &err), TP_EUSAGE);
	assert_int_equal(err.line, 1);
	assert_true(strstr(err.reason, "no phone column") != NULL);
	assert_int_equal(run("", 0, false, &r, &st, &err), TP_EUSAGE);
	assert_true(strstr(err.reason, "empty") != NULL);
	assert_int_equal(run("\n\n", 0, false, &r, &st, &err), TP_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_rejections),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_unusable_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
