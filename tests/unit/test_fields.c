/* Header recognition (French and English) and mapping files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fields.h"

static void test_headers(void **state)
{
	(void)state;
	assert_int_equal(field_from_header("Société"), F_COMPANY);
	assert_int_equal(field_from_header("Raison sociale"), F_COMPANY);
	assert_int_equal(field_from_header("company"), F_COMPANY);
	assert_int_equal(field_from_header("NOM"), F_LAST_NAME);
	assert_int_equal(field_from_header("Last name"), F_LAST_NAME);
	assert_int_equal(field_from_header("last_name"), F_LAST_NAME);
	assert_int_equal(field_from_header("Prénom"), F_FIRST_NAME);
	assert_int_equal(field_from_header("First Name"), F_FIRST_NAME);
	assert_int_equal(field_from_header("Téléphone"), F_PHONE);
	assert_int_equal(field_from_header("Tél."), F_PHONE);
	assert_int_equal(field_from_header("Phone"), F_PHONE);
	assert_int_equal(field_from_header("Portable"), F_MOBILE);
	assert_int_equal(field_from_header("E-mail"), F_EMAIL);
	assert_int_equal(field_from_header("SIREN"), F_SIREN);
	assert_int_equal(field_from_header("N° SIRET"), F_SIRET);
	assert_int_equal(field_from_header("Code postal"), F_POSTCODE);
	assert_int_equal(field_from_header("Postcode"), F_POSTCODE);
	assert_int_equal(field_from_header("Ville"), F_CITY);
	assert_int_equal(field_from_header("Secteur d'activité"), F_SECTOR);
	assert_int_equal(field_from_header("Fonction"), F_ROLE);
	assert_int_equal(field_from_header("size_band"), F_SIZE_BAND);
	assert_int_equal(field_from_header("Effectif"), F_QUALIFICATION);
	/* Every canonical name (what export writes) is recognised as itself. */
	for (int i = 0; i < F_COUNT; i++)
		assert_int_equal(field_from_header(field_name(i)), i);
	assert_int_equal(field_from_header(""), F_QUALIFICATION);
}

static void test_fold(void **state)
{
	char out[64];

	(void)state;
	field_fold("Tél. Standard", out, sizeof(out));
	assert_string_equal(out, "telstandard");
	field_fold("ÉLÈVE Ça", out, sizeof(out));
	assert_string_equal(out, "eleveca");
	field_fold("abcdef", out, 4);
	assert_string_equal(out, "abc");
}

static void test_mapping_ok(void **state)
{
	static const char text[] = "# comment\n\nRaison sociale = company\n\"Tel = std\" = phone\r\n"
		"Effectif = qualification:effectif\nNotes = ignore\n";
	struct mapping m;
	struct tp_error err;
	const struct mapping_entry *e;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(mapping_parse(&m, "x.mapping", text, sizeof(text) - 1, &err), 0);
	assert_int_equal(m.n, 4);
	e = mapping_find(&m, "RAISON SOCIALE");
	assert_non_null(e);
	assert_int_equal(e->target, F_COMPANY);
	assert_int_equal(e->line, 3);
	e = mapping_find(&m, "Tel = std");
	assert_non_null(e);
	assert_int_equal(e->target, F_PHONE);
	e = mapping_find(&m, "effectif");
	assert_int_equal(e->target, F_QUALIFICATION);
	assert_string_equal(e->key, "effectif");
	assert_int_equal(mapping_find(&m, "Notes")->target, F_IGNORE);
	assert_null(mapping_find(&m, "other"));
	mapping_release(&m);
}

static void expect_error(const char *text, long line, const char *part)
{
	struct mapping m;
	struct tp_error err;

	tp_error_clear(&err);
	assert_int_equal(mapping_parse(&m, "bad.mapping", text, strlen(text), &err), TP_EUSAGE);
	assert_string_equal(err.file, "bad.mapping");
	assert_int_equal(err.line, line);
	if (!strstr(err.reason, part))
		fail_msg("reason '%s' lacks '%s'", err.reason, part);
	assert_int_equal(m.n, 0);
}

static void test_mapping_errors(void **state)
{
	(void)state;
	expect_error("a = company\nb company\n", 2, "expected COLUMN = TARGET");
	expect_error("a = telephone\n", 1, "unknown target 'telephone'");
	expect_error("\n\n = phone\n", 3, "empty column name");
	expect_error("a = \n", 1, "empty target");
	expect_error("\"a = phone\n", 1, "unbalanced double quote");
	expect_error("a = qualification: \n", 1, "needs a key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_mapping_ok),
		cmocka_unit_test(test_mapping_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
