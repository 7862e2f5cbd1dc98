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
	char countries[16][64];
	int nnotes;
	char notes[16][320];
};

/* The numbers the next run treats as erased (NULL: none). */
static const char *const *forgotten_numbers;

static bool is_forgotten(void *ctx, const char *e164)
{
	(void)ctx;
	for (size_t i = 0; forgotten_numbers && forgotten_numbers[i]; i++)
		if (strcmp(forgotten_numbers[i], e164) == 0)
			return true;
	return false;
}

static void on_note(void *ctx, const struct tp_error *e)
{
	struct rec *r = ctx;

	tp_error_format(e, r->notes[r->nnotes++], 320);
}

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
	snprintf(r->countries[r->nprospects], 64, "%s", p->field[F_COUNTRY]);
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
	struct import_opts o = {.file = "t.csv", .region = "FR", .latin1 = latin1,
		.forgotten = forgotten_numbers ? is_forgotten : NULL};
	struct import_sink sink = {r, on_prospect, on_reject, on_note};
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

/* A row's country, written every way, becomes one ISO code (the postcode wins for
 * France, and says so); national numbers of overseas rows get their territory's code. */
static void test_places(void **state)
{
	static const char csv[] = "nom;téléphone;code postal;pays\n"
		"Payet;0262 41 00 00;97400;France\n"
		"Hoarau;0692 00 00 00;;Réunion\n"
		"Madi;0639 00 00 00;97600;\n"
		"Jean;0590 27 12 34;97133;Guadeloupe\n"
		"Dupont;01 42 68 53 00;75001;RE\n"
		"Janssens;02 555 12 12;1000;Belgique\n"
		"Nemo;01 42 68 53 01;;Atlantis\n"
		"Sans;05 08 41 12 34;97500;FRA\n";
	struct rec r;
	struct import_stats st;
	struct tp_error err;

	(void)state;
	assert_int_equal(run(csv, 0, false, &r, &st, &err), 0);
	assert_int_equal(st.imported, 8);
	assert_int_equal(st.rejected, 0);
	assert_string_equal(r.phones[0], "+262262410000");
	assert_string_equal(r.countries[0], "RE");
	assert_string_equal(r.phones[1], "+262692000000");
	assert_string_equal(r.countries[1], "RE");
	assert_string_equal(r.phones[2], "+262639000000");
	assert_string_equal(r.countries[2], "");     /* not written: nothing stored, decided when read */
	assert_string_equal(r.phones[3], "+590590271234");
	assert_string_equal(r.countries[3], "BL");
	assert_string_equal(r.phones[4], "+33142685300");
	assert_string_equal(r.countries[4], "FR");
	assert_string_equal(r.phones[5], "+3225551212");   /* read in Belgium's plan */
	assert_string_equal(r.countries[5], "BE");
	assert_string_equal(r.countries[6], "Atlantis");
	assert_string_equal(r.phones[7], "+508411234");
	assert_string_equal(r.countries[7], "PM");
	assert_int_equal(st.notes, 3);
	assert_int_equal(r.nnotes, 3);
	assert_string_equal(r.notes[0], "t.csv:5: country: 'Guadeloupe' (Guadeloupe) and postcode 97133 (Saint-Barthélemy)"
		" disagree: the postcode wins");
	assert_string_equal(r.notes[1], "t.csv:6: country: 'RE' (La Réunion) and postcode 75001 (France) disagree: the"
		" postcode wins");
	assert_string_equal(r.notes[2], "t.csv:8: country: 'Atlantis' is not a country Telepro knows: kept as written; the"
		" campaign's region (FR) reads its numbers and sets its rules");
}

/* A person erased who asked not to be called again is refused when a file brings them back. */
static void test_forgotten(void **state)
{
	static const char *const erased[] = {"+33612345678", NULL};
	static const char csv[] = "nom;téléphone;mobile\n"
		"Gone;;06 12 34 56 78\n"
		"Kept;01 42 68 53 00;\n"
		"Gone too;04 72 00 11 22;06.12.34.56.78\n";
	struct rec r;
	struct import_stats st;
	struct tp_error err;

	(void)state;
	forgotten_numbers = erased;
	assert_int_equal(run(csv, 0, false, &r, &st, &err), 0);
	forgotten_numbers = NULL;
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.rejected, 2);
	assert_string_equal(r.phones[0], "+33142685300");
	assert_string_equal(r.rejects[0], "t.csv:2: mobile: left out: this person's data was erased at their request and"
		" they asked not to be called again (docs/PRIVACY.md)");
	assert_true(strncmp(r.rejects[1], "t.csv:4: mobile: left out", 25) == 0);
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
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_forgotten),
		cmocka_unit_test(test_unusable_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
