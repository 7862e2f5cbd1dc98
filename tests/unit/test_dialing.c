/* How a campaign dials and the number it presents (core/dialing.h): ARCEP's ranges for
 * automated calling systems (décision n° 2022-1583), mobiles, and the agents' phones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/campaign.h"
#include "core/dialing.h"
#include "core/xalloc.h"

static void test_ranges(void **state)
{
	static const char *const in[] = {"0162000000", "0163999999", "0270123456", "0271123456", "0377123456",
		"0378123456", "0424123456", "0425123456", "0568123456", "0569123456", "0948123456", "0949123456",
		"0947512345", "0947612345", "0947712345", "0947812345", "0947912345"};
	static const char *const out[] = {"0161999999", "0164000000", "0269123456", "0272123456", "0376123456",
		"0379123456", "0423123456", "0426123456", "0567123456", "0570123456", "0947123456", "0947412345",
		"0947012345", "0950123456", "0612345678", "0712345678", "0899123456", "016212345", ""};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		if (!dialing_fr_automated_range(in[i]))
			fail_msg("%s is in the ranges", in[i]);
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		if (dialing_fr_automated_range(out[i]))
			fail_msg("%s is not in the ranges", out[i]);
	assert_true(dialing_fr_mobile("0612345678"));
	assert_true(dialing_fr_mobile("0712345678"));
	assert_false(dialing_fr_mobile("0162123456"));
}

static void test_caller_id(void **state)
{
	struct tp_error err;
	bool warned;

	(void)state;
	tp_error_clear(&err);
	/* Progressive dialing in France: a number of the ranges, never none nor a mobile. */
	assert_int_equal(dialing_check_caller_id("+33162123456", "FR", DIALING_PROGRESSIVE, &warned, &err), 0);
	assert_false(warned);
	assert_int_equal(dialing_check_caller_id(NULL, "FR", DIALING_PROGRESSIVE, &warned, &err), TP_EUSAGE);
	assert_string_equal(err.field, "caller-id");
	assert_non_null(strstr(err.reason, "set the campaign's --caller-id"));
	assert_int_equal(dialing_check_caller_id("+33612345678", "FR", DIALING_PROGRESSIVE, &warned, &err), TP_EUSAGE);
	assert_non_null(strstr(err.reason, "+33612345678 is a mobile number"));
	assert_non_null(strstr(err.reason, "décision n° 2022-1583"));
	assert_int_equal(dialing_check_caller_id("+33478123456", "FR", DIALING_PROGRESSIVE, &warned, &err), TP_EUSAGE);
	assert_non_null(strstr(err.reason, "+33478123456 is outside the ranges"));
	/* Overseas: the same plan (La Réunion presents 09 478 or 09 479, not its 0262). */
	assert_int_equal(dialing_check_caller_id("+33947812345", "RE", DIALING_PROGRESSIVE, &warned, &err), 0);
	assert_int_equal(dialing_check_caller_id("+262262123456", "RE", DIALING_PROGRESSIVE, &warned, &err), TP_EUSAGE);
	/* Click-to-call is one person calling another: allowed, with a word when outside. */
	assert_int_equal(dialing_check_caller_id("+33478123456", "FR", DIALING_CLICK, &warned, &err), 0);
	assert_true(warned);
	assert_int_equal(dialing_check_caller_id("+33162123456", "FR", DIALING_CLICK, &warned, &err), 0);
	assert_false(warned);
	assert_int_equal(dialing_check_caller_id(NULL, "FR", DIALING_CLICK, &warned, &err), 0);
	assert_false(warned);
	/* Dialing by hand, or another country: not this rule. */
	assert_int_equal(dialing_check_caller_id("+33612345678", "FR", DIALING_MANUAL, &warned, &err), 0);
	assert_int_equal(dialing_check_caller_id("+442079460000", "GB", DIALING_PROGRESSIVE, &warned, &err), 0);
}

static void test_names_and_phones(void **state)
{
	struct tp_error err;
	enum dialing d;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(dialing_parse("progressive", &d), 0);
	assert_int_equal(d, DIALING_PROGRESSIVE);
	assert_string_equal(dialing_name(DIALING_CLICK), "click");
	assert_int_equal(dialing_parse("predictive", &d), -1);
	assert_int_equal(dialing_check_phone_address("sip:201@pbx.example", &err), 0);
	assert_int_equal(dialing_check_phone_address("sips:alice@pbx.example:5061", &err), 0);
	assert_int_equal(dialing_check_phone_address("tel:+33478123456", &err), 0);
	assert_int_equal(dialing_check_phone_address("", &err), 0);
	assert_int_equal(dialing_check_phone_address("201", &err), TP_EUSAGE);
	assert_string_equal(err.field, "phone");
	assert_int_equal(dialing_check_phone_address("sip:201 @pbx", &err), TP_EUSAGE);
	assert_non_null(strstr(err.reason, "no spaces"));
	assert_int_equal(dialing_check_phone_address("sip:", &err), TP_EUSAGE);
	assert_int_equal(dialing_check_phone_address("tel:+33 4", &err), TP_EUSAGE);
}

/* Progressive dialing stops at the end of a calling block (Paris time), and goes on at any
 * time when the campaign has no blocks. 2026-12-07 is a Monday; Paris is UTC+1 in winter. */
static void test_in_block(void **state)
{
	struct campaign c;
	struct tp_error err;
	const int64_t monday_0000_utc = 1796601600;     /* 2026-12-07 00:00 UTC */

	(void)state;
	campaign_init(&c);
	free(c.timezone);
	c.timezone = xstrdup("Europe/Paris");
	assert_true(dialing_in_block(&c, monday_0000_utc));
	tp_error_clear(&err);
	assert_int_equal(campaign_add_blocks(&c, "mon-fri 14:00-16:00", &err), 0);
	assert_false(dialing_in_block(&c, monday_0000_utc + 12 * 3600 + 59 * 60));     /* 13:59 Paris */
	assert_true(dialing_in_block(&c, monday_0000_utc + 13 * 3600));                /* 14:00 Paris */
	assert_true(dialing_in_block(&c, monday_0000_utc + 14 * 3600 + 59 * 60));      /* 15:59 Paris */
	assert_false(dialing_in_block(&c, monday_0000_utc + 15 * 3600));               /* 16:00 Paris */
	assert_false(dialing_in_block(&c, monday_0000_utc - 24 * 3600 + 13 * 3600));   /* Sunday 14:00 */
	campaign_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_in_block),
		cmocka_unit_test(test_caller_id),
		cmocka_unit_test(test_names_and_phones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
