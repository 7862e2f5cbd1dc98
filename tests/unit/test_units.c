/* The one parser of durations and of money (core/units.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/units.h"

static void test_durations(void **state)
{
	struct tp_error err;
	int64_t s;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(units_parse_duration("90", "d", 0, 86400, &s, &err), 0);
	assert_int_equal(s, 90);
	assert_int_equal(units_parse_duration("15m", "d", 0, 86400, &s, &err), 0);
	assert_int_equal(s, 900);
	assert_int_equal(units_parse_duration("2h", "d", 0, 86400, &s, &err), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(units_parse_duration("1d", "d", 0, 86400, &s, &err), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(units_parse_duration("2d", "idle-limit", 60, 86400, &s, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'2d': the duration must be from 1m to 1d");
	assert_int_equal(units_parse_duration("1.5h", "d", 0, 86400, &s, &err), TP_EUSAGE);
	assert_int_equal(units_parse_duration("-5", "d", 0, 86400, &s, &err), TP_EUSAGE);
	assert_int_equal(units_parse_duration("", "d", 0, 86400, &s, &err), TP_EUSAGE);
	assert_int_equal(units_parse_duration("99999999999999999999h", "d", 0, 86400, &s, &err), TP_EUSAGE);
}

static void test_money(void **state)
{
	struct tp_error err;
	int64_t c;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(units_parse_money("4800", "amount", 100000000, &c, &err), 0);
	assert_int_equal(c, 480000);
	assert_int_equal(units_parse_money("28,50", "amount", 100000000, &c, &err), 0);
	assert_int_equal(c, 2850);
	assert_int_equal(units_parse_money("28.5", "amount", 100000000, &c, &err), 0);
	assert_int_equal(c, 2850);
	assert_int_equal(units_parse_money("4 800,05", "amount", 100000000, &c, &err), 0);
	assert_int_equal(c, 480005);
	assert_int_equal(units_parse_money("28.505", "amount", 100000000, &c, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'28.505': at most two decimals (cents)");
	assert_int_equal(units_parse_money("1000001", "amount", 100000000, &c, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'1000001': at most 1000000 euros");
	assert_int_equal(units_parse_money("-3", "amount", 100000000, &c, &err), TP_EUSAGE);
	assert_int_equal(units_parse_money("12,", "amount", 100000000, &c, &err), TP_EUSAGE);
	assert_int_equal(units_parse_money("4 80", "amount", 100000000, &c, &err), TP_EUSAGE);
	assert_int_equal(units_parse_money("1e3", "amount", 100000000, &c, &err), TP_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_money),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
