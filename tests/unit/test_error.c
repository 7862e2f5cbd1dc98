/* Errors as messages (core/error.c): the English reason, and the same said through a
 * translator, sentences and word arguments included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"

/* A two-word "catalogue". */
static const char *french(void *ctx, const char *msgid)
{
	static const char *const pairs[][2] = {
		{"'%s': %s", "« %s » : %s"}, {"too short", "trop court"}, {"nothing to call now", "rien à appeler"},
		{"next callback at %s", "prochain rappel le %s"}, {"%s leads wait", "%s fiches attendent"}, {"; ", " ; "},
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (strcmp(pairs[i][0], msgid) == 0)
			return pairs[i][1];
	return msgid;
}

static void test_messages(void **state)
{
	struct tp_error err;
	char out[256];

	(void)state;
	tp_error_clear(&err);
	/* The second argument is a word of the catalogue, the first is data (never translated). */
	assert_int_equal(tp_error_msg(&err, TP_EUSAGE, "f.csv", 2, "phone", 2, "'%s': %s", 2, "too short", "too short"),
		TP_EUSAGE);
	assert_string_equal(err.reason, "'too short': too short");
	tp_error_say(&err, french, NULL, out, sizeof(out));
	assert_string_equal(out, "« too short » : trop court");
	tp_error_say(&err, NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "'too short': too short");
	/* Sentences after the message, each said in turn. */
	tp_error_msg(&err, TP_ENOTHING, NULL, 0, NULL, 0, "nothing to call now", 0);
	tp_error_part(&err, 0, "next callback at %s", 1, "2026-12-07 10:00");
	tp_error_part(&err, 0, "%s leads wait", 1, "3");
	assert_string_equal(err.reason, "nothing to call now; next callback at 2026-12-07 10:00; 3 leads wait");
	tp_error_say(&err, french, NULL, out, sizeof(out));
	/* The separators are words too (" ; " in French). */
	assert_string_equal(out, "rien à appeler ; prochain rappel le 2026-12-07 10:00 ; 3 fiches attendent");
	/* A plain error says its reason as it is, and forgets an earlier message. */
	tp_error_at(&err, TP_EUSAGE, NULL, 0, "x", "plain %d", 1);
	assert_null(err.msgid);
	tp_error_say(&err, french, NULL, out, sizeof(out));
	assert_string_equal(out, "plain 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
