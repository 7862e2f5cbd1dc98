/* Calling rules on plain data: what a call does to its lead and to the counters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/appointment.h"
#include "core/calling.h"

static struct outcome make(const char *code)
{
	struct outcome o;

	memset(&o, 0, sizeof(o));
	snprintf(o.code, sizeof(o.code), "%s", code);
	o.refusal = !strcmp(code, "refused") || !strcmp(code, "do_not_call");
	o.final = o.refusal || !strcmp(code, "sale") || !strcmp(code, "not_target");
	o.hot = !strncmp(code, "hot_", 4);
	o.followup_days = !strcmp(code, "hot_short") ? 30 : !strcmp(code, "hot_medium") ? 91 : 182;
	o.callback = !strcmp(code, "callback");
	o.appointment = !strcmp(code, "appointment");
	o.sale = !strcmp(code, "sale");
	o.do_not_call = !strcmp(code, "do_not_call");
	return o;
}

static void test_lead_changes(void **state)
{
	struct outcome o;
	struct lead_change ch;

	(void)state;
	ch = calling_lead_change("no_answer", NULL, 1000, 0, 1, 6, 7200);
	assert_string_equal(ch.state, "in_progress");
	assert_int_equal(ch.next_call_at, 8200);
	ch = calling_lead_change("busy", NULL, 1000, 0, 6, 6, 900);
	assert_string_equal(ch.state, "exhausted");
	ch = calling_lead_change("wrong_number", NULL, 1000, 0, 1, 6, 0);
	assert_string_equal(ch.state, "invalid");
	ch = calling_lead_change("invalid_number", NULL, 1000, 0, 1, 6, 0);
	assert_string_equal(ch.state, "invalid");
	o = make("callback");
	ch = calling_lead_change("conversation", &o, 1000, 50000, 2, 6, 0);
	assert_string_equal(ch.state, "callback");
	assert_int_equal(ch.next_call_at, 50000);
	assert_true(ch.callback_mine);
	/* A callback is honoured even on the last attempt. */
	ch = calling_lead_change("conversation", &o, 1000, 50000, 6, 6, 0);
	assert_string_equal(ch.state, "callback");
	o = make("hot_medium");
	ch = calling_lead_change("conversation", &o, 1000, 0, 1, 6, 0);
	assert_string_equal(ch.state, "hot");
	assert_int_equal(ch.next_call_at, 1000 + 91 * 86400);
	o = make("appointment");
	assert_string_equal(calling_lead_change("conversation", &o, 1000, 0, 1, 6, 0).state, "appointment");
	o = make("refused");
	assert_string_equal(calling_lead_change("conversation", &o, 1000, 0, 1, 6, 0).state, "refused");
	o = make("do_not_call");
	assert_string_equal(calling_lead_change("conversation", &o, 1000, 0, 1, 6, 0).state, "do_not_call");
	o = make("sale");
	assert_string_equal(calling_lead_change("conversation", &o, 1000, 0, 1, 6, 0).state, "done");
}

static void test_counts(void **state)
{
	struct outcome o = make("appointment");
	struct kpi_counts d;

	(void)state;
	calling_call_counts("gatekeeper", NULL, 30, false, &d);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.conversations, 0);
	assert_int_equal(d.talk_seconds, 0); /* talk time counts for conversations only */
	calling_call_counts("conversation", &o, 300, true, &d);
	assert_int_equal(d.conversations, 1);
	assert_int_equal(d.appointments, 1);
	assert_int_equal(d.talk_seconds, 300);
	assert_int_equal(d.talk_seconds_sq, 90000);
	assert_int_equal(d.qualified, 1);
	assert_int_equal(d.sales, 0);
	o = make("sale");
	calling_call_counts("conversation", &o, 60, false, &d);
	assert_int_equal(d.sales, 1);
	assert_int_equal(d.appointments, 0);
	o = make("hot_short");
	calling_call_counts("conversation", &o, 60, false, &d);
	assert_int_equal(d.hot, 1);
}

static void test_parsing_and_windows(void **state)
{
	struct tp_error err;
	struct campaign c;
	char result[24];
	int64_t secs;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(calling_parse_retry("no_answer=2h", result, sizeof(result), &secs, &err), 0);
	assert_string_equal(result, "no_answer");
	assert_int_equal(secs, 7200);
	assert_int_equal(calling_parse_retry("busy=15m", result, sizeof(result), &secs, &err), 0);
	assert_int_equal(secs, 900);
	assert_int_equal(calling_parse_retry("wrong_number=1h", result, sizeof(result), &secs, &err), TP_EUSAGE);
	assert_int_equal(calling_parse_retry("busy", result, sizeof(result), &secs, &err), TP_EUSAGE);
	assert_int_equal(calling_parse_retry("busy=soon", result, sizeof(result), &secs, &err), TP_EUSAGE);
	campaign_init(&c);
	calling_default_windows("b2c", &c);
	/* Code de la consommation art. D.223-9: weekdays 10-13 and 14-20. */
	assert_true(slots_in(c.windows, c.nwindows, 1, 10 * 60));
	assert_false(slots_in(c.windows, c.nwindows, 1, 13 * 60 + 30));
	assert_true(slots_in(c.windows, c.nwindows, 5, 19 * 60 + 59));
	assert_false(slots_in(c.windows, c.nwindows, 5, 20 * 60));
	assert_false(slots_in(c.windows, c.nwindows, 6, 11 * 60));
	calling_default_windows("b2b", &c);
	assert_true(slots_in(c.windows, c.nwindows, 2, 9 * 60));
	assert_false(slots_in(c.windows, c.nwindows, 0, 11 * 60));
	assert_int_equal(calling_check_value("effectif", "number", "", "50", &err), 0);
	assert_int_equal(calling_check_value("effectif", "number", "", "cinquante", &err), TP_EUSAGE);
	assert_int_equal(calling_check_value("equipe", "choice", "oui|non|nsp", "nsp", &err), 0);
	assert_int_equal(calling_check_value("equipe", "choice", "oui|non|nsp", "peut-être", &err), TP_EUSAGE);
	assert_int_equal(calling_check_value("rdv", "date", "", "2026-12-03", &err), 0);
	assert_int_equal(calling_check_value("rdv", "date", "", "03/12/2026", &err), 0);
	assert_int_equal(calling_check_value("rdv", "date", "", "31/04/2026", &err), TP_EUSAGE);
	assert_string_equal(err.reason, "rdv: '31/04/2026': there is no such day in that month");
	assert_int_equal(campaign_set_field(&c, "effectif=number", &err), 0);
	assert_int_equal(campaign_set_field(&c, "equipe=choice:oui|non", &err), 0);
	assert_int_equal(campaign_set_field(&c, "x=colour", &err), TP_EUSAGE);
	assert_int_equal(c.nfields, 2);
	assert_string_equal(campaign_field(&c, "equipe")->choices, "oui|non");
	campaign_release(&c);
}

/* Callbacks and appointments: after the call; live ones with a sales person when there is
 * one, and inside the calling hours unless confirmed (Thursday 2026-11-19 10:00 Paris). */
static void test_booking(void **state)
{
	const int64_t call = 1795078800, day = 86400, hour = 3600;
	struct calling_booking b = {true, call + day, call, true, false, "sam", true, "Europe/Paris", NULL, 0, "b2b"};
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(calling_check_booking(&b, &err), 0);                     /* Friday 10:00 */
	b.at = call - hour;
	assert_int_equal(calling_check_booking(&b, &err), TP_EUSAGE);
	assert_string_equal(err.field, "appointment-at");
	assert_string_equal(err.reason, "the appointment must be after the call");
	b.at = call + day;
	b.sales = "";
	assert_int_equal(calling_check_booking(&b, &err), TP_EUSAGE);
	assert_string_equal(err.field, "sales");
	b.sales_available = false;                                                 /* nobody to choose */
	assert_int_equal(calling_check_booking(&b, &err), 0);
	b.sales = "sam";
	b.at = call + 3 * day;                                                     /* Sunday 10:00 */
	assert_int_equal(calling_check_booking(&b, &err), TP_ECONFIRM);
	assert_string_equal(err.reason, "2026-11-22 10:00 is outside the campaign's calling hours: confirm to keep it");
	b.confirmed = true;
	assert_int_equal(calling_check_booking(&b, &err), 0);
	b.confirmed = false;
	b.live = false;                                                            /* a history says what was */
	assert_int_equal(calling_check_booking(&b, &err), 0);
	b.live = true;
	b.appointment = false;
	b.at = call + day - 7 * hour;                                              /* Friday 03:00 */
	assert_int_equal(calling_check_booking(&b, &err), TP_ECONFIRM);
	assert_string_equal(err.field, "callback-at");
	b.audience = "b2c";
	b.at = call + day + 3 * hour + 30 * 60;                                    /* Friday 13:30, the B2C lunch */
	assert_int_equal(calling_check_booking(&b, &err), TP_ECONFIRM);
	b.at = call + day + 4 * hour;                                              /* Friday 14:00 */
	assert_int_equal(calling_check_booking(&b, &err), 0);
}

/* Sales record what the appointment's state allows. */
static void test_appointment_state(void **state)
{
	const int64_t at = 1795078800;
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(appointment_check("held", "won", at, at + 60, "Europe/Paris", &err), 0);
	assert_int_equal(appointment_check("scheduled", "won", at, at + 60, "Europe/Paris", &err), TP_EUSAGE);
	assert_string_equal(err.field, "result");
	assert_int_equal(appointment_check("no_show", "lost", at, at + 60, "Europe/Paris", &err), TP_EUSAGE);
	assert_int_equal(appointment_check("cancelled", "pending", at, at + 60, "Europe/Paris", &err), 0);
	assert_int_equal(appointment_check("held", "pending", at, at - 60, "Europe/Paris", &err), TP_EUSAGE);
	assert_string_equal(err.field, "status");
	assert_string_equal(err.reason, "the appointment is on 2026-11-19 10:00: it cannot be held before then");
	assert_int_equal(appointment_check("no_show", "pending", at, at - 60, "Europe/Paris", &err), TP_EUSAGE);
	assert_int_equal(appointment_check("cancelled", "pending", at, at - 60, "Europe/Paris", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lead_changes),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_parsing_and_windows),
		cmocka_unit_test(test_booking),
		cmocka_unit_test(test_appointment_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
