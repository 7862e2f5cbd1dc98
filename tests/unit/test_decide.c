/* The decisions core makes for the store to apply (docs/ARCHITECTURE.md, "Decide, then
 * apply"), without a database: a call logged for every result x outcome x rule set, a
 * session's steps, an appointment's result, and which lead next. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/appointment.h"
#include "core/call_log.h"
#include "core/next_lead.h"
#include "core/session.h"
#include "core/tz.h"

/* The built-in outcomes as migration 1 defines them, and one of a campaign's own. */
static const struct {
	const char *code;
	bool refusal, final, hot, callback, appointment, sale, do_not_call;
	int followup_days;
	const char *state;          /* what a conversation with it makes of the lead */
} outcomes[] = {
	{"refused", true, true, false, false, false, false, false, 0, "refused"},
	{"hot_short", false, false, true, false, false, false, false, 30, "hot"},
	{"hot_medium", false, false, true, false, false, false, false, 91, "hot"},
	{"hot_long", false, false, true, false, false, false, false, 182, "hot"},
	{"callback", false, false, false, true, false, false, false, 0, "callback"},
	{"appointment", false, false, false, false, true, false, false, 0, "appointment"},
	{"sale", false, true, false, false, false, true, false, 0, "done"},
	{"do_not_call", true, true, false, false, false, false, true, 0, "do_not_call"},
	{"not_target", false, true, false, false, false, false, false, 0, "done"},
	{"deja_client", false, true, false, false, false, false, false, 0, "done"},
};
#define NOUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

static const char *const results[] = {"no_answer", "busy", "voicemail", "gatekeeper", "wrong_number",
	"invalid_number", "conversation"};
#define NRESULTS (sizeof(results) / sizeof(results[0]))

static struct outcome outcome_of(size_t i)
{
	struct outcome o;

	memset(&o, 0, sizeof(o));
	o.id = (int64_t)i + 1;
	snprintf(o.code, sizeof(o.code), "%s", outcomes[i].code);
	o.refusal = outcomes[i].refusal;
	o.final = outcomes[i].final;
	o.hot = outcomes[i].hot;
	o.callback = outcomes[i].callback;
	o.appointment = outcomes[i].appointment;
	o.sale = outcomes[i].sale;
	o.do_not_call = outcomes[i].do_not_call;
	o.followup_days = outcomes[i].followup_days;
	return o;
}

/* Monday 7 December 2026, 15:00 in Paris: inside every default window. */
static int64_t monday_15h(void)
{
	return tz_utc("Europe/Paris", 2026, 12, 7, 15, 0, 0);
}

static void campaign_for(struct campaign *c, int rules)
{
	struct tp_error err;

	campaign_init(c);
	campaign_defaults(c);
	c->rule_set = rules;
	tp_error_clear(&err);
	assert_int_equal(campaign_set_retry(c, "busy=30m", &err), 0);
}

static void test_call_every_result_outcome_rule_set(void **state)
{
	const int64_t at = monday_15h();
	int checked = 0;

	(void)state;
	for (int rules = RULES_NONE; rules <= RULES_FR_B2C; rules++) {
		struct campaign c;

		campaign_for(&c, rules);
		for (size_t r = 0; r < NRESULTS; r++) {
			for (size_t k = 0; k <= NOUTCOMES; k++) {
				bool conversation = strcmp(results[r], "conversation") == 0;
				struct outcome o = k < NOUTCOMES ? outcome_of(k) : (struct outcome){0};
				struct call_input in = {0};
				struct call_facts f = {0};
				struct call_effects e;
				struct kpi_counts d;
				struct tp_error err;
				int rc;

				in.agent = "ana";
				in.lead_id = 12;
				in.result = results[r];
				in.outcome = k < NOUTCOMES ? o.code : NULL;
				in.started_at = at;
				in.known = WHEN_FULL;
				in.ring_seconds = 20;
				in.talk_seconds = conversation ? 240 : 0;
				in.callback_at = k < NOUTCOMES && o.callback ? at + 86400 : 0;
				in.appointment_at = k < NOUTCOMES && o.appointment ? at + 2 * 86400 : 0;
				f.campaign = &c;
				f.outcome = k < NOUTCOMES ? &o : NULL;
				f.lead_attempts = 2;
				f.session_here = (r + k) % 2 == 0;
				tp_error_clear(&err);
				rc = call_decide(&in, &f, &e, &err);
				checked++;
				if (conversation != (k < NOUTCOMES)) {
					/* A conversation has an outcome; nothing else has one. */
					assert_int_equal(rc, TP_EUSAGE);
					assert_string_equal(err.field, "outcome");
					assert_non_null(strstr(err.reason, conversation ? "a conversation needs an outcome"
						: "only a conversation has an outcome"));
					continue;
				}
				assert_int_equal(rc, 0);
				assert_int_equal(e.end, at + in.ring_seconds + in.talk_seconds);
				assert_int_equal(e.local_day, 20261207);
				assert_int_equal(e.local_hour, 15);
				assert_int_equal(e.weekday, 1);
				assert_int_equal(e.attempt, 3);
				assert_int_equal(e.calling_time, f.session_here ? CALL_TIME_SESSION : CALL_TIME_SPAN);
				assert_true(e.lead_update);
				assert_int_equal(e.appointment, k < NOUTCOMES && o.appointment);
				assert_int_equal(e.id_needed, e.appointment);
				assert_int_equal(e.opposition, k < NOUTCOMES && o.do_not_call);
				if (strcmp(results[r], "wrong_number") == 0 || strcmp(results[r], "invalid_number") == 0) {
					assert_string_equal(e.lead.state, "invalid");
				} else if (conversation) {
					assert_string_equal(e.lead.state, outcomes[k].state);
					if (o.callback) {
						assert_int_equal(e.lead.next_call_at, in.callback_at);
						assert_true(e.lead.callback_mine);
					} else if (o.hot) {
						assert_int_equal(e.lead.next_call_at, e.end + (int64_t)o.followup_days * 86400);
					} else {
						assert_false(e.lead.callback_mine);
					}
				} else {
					/* Retried after the campaign's delay (busy: its own 30 min). */
					assert_string_equal(e.lead.state, "in_progress");
					assert_int_equal(e.lead.next_call_at, e.end + (strcmp(results[r], "busy") == 0 ? 1800
						: calling_default_retry(results[r])));
				}
				call_counts(&in, &f, &e, call_qualified(&in, false), &d);
				assert_int_equal(d.calls, 1);
				assert_int_equal(d.conversations, conversation);
				assert_int_equal(d.talk_seconds, conversation ? 240 : 0);
				assert_int_equal(d.appointments, conversation && o.appointment);
				assert_int_equal(d.sales, conversation && o.sale);
				assert_int_equal(d.callbacks, conversation && o.callback);
				assert_int_equal(d.hot, conversation && o.hot);
				assert_int_equal(d.refusals, conversation && o.refusal);
				assert_int_equal(d.untimed_calls, 0);
				assert_int_equal(d.qualified, 0);
			}
		}
		campaign_release(&c);
	}
	assert_int_equal(checked, 2 * NRESULTS * (NOUTCOMES + 1));
}

static struct call_input a_call(const struct campaign *c, struct call_facts *f, const struct outcome *o)
{
	struct call_input in = {0};

	in.agent = "ana";
	in.lead_id = 12;
	in.result = o ? "conversation" : "no_answer";
	in.outcome = o ? o->code : NULL;
	in.started_at = monday_15h();
	in.known = WHEN_FULL;
	memset(f, 0, sizeof(*f));
	f->campaign = c;
	f->outcome = o;
	return in;
}

static void test_call_refusals(void **state)
{
	struct campaign c;
	struct call_facts f;
	struct call_effects e;
	struct outcome cb = outcome_of(4), appt = outcome_of(5);
	struct call_input in;
	struct tp_error err;
	const char *keys[] = {"effectif"}, *values[] = {"beaucoup"};

	(void)state;
	campaign_for(&c, RULES_NONE);
	tp_error_clear(&err);
	assert_int_equal(campaign_set_field(&c, "effectif=number", &err), 0);

	in = a_call(&c, &f, NULL);
	in.talk_seconds = CALL_TALK_MAX + 1;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.field, "talk");
	assert_string_equal(err.reason, "between 0 and 21600 seconds");
	in = a_call(&c, &f, NULL);
	in.ring_seconds = -1;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.field, "ring");

	/* A callback needs its time, after the call; a live one outside the windows is asked again. */
	in = a_call(&c, &f, &cb);
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "a callback needs its date and time");
	in.callback_at = in.started_at - 60;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the callback must be after the call");
	in.callback_at = tz_utc("Europe/Paris", 2026, 12, 8, 3, 0, 0);
	in.live = true;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_ECONFIRM);
	assert_string_equal(err.field, "callback-at");
	in.confirmed = true;
	assert_int_equal(call_decide(&in, &f, &e, &err), 0);
	assert_string_equal(e.lead.state, "callback");

	/* A live appointment names its sales person when the team has one. */
	in = a_call(&c, &f, &appt);
	in.appointment_at = monday_15h() + 86400;
	in.live = true;
	assert_true(call_needs_sales(&in, &appt));
	f.sales_available = true;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.field, "sales");
	f.sales_available = false;
	assert_int_equal(call_decide(&in, &f, &e, &err), 0);
	in.sales = "sam";
	assert_false(call_needs_sales(&in, &appt));

	/* Only the campaign's qualification fields, with values of their type. */
	in = a_call(&c, &f, NULL);
	in.nqual = 1;
	in.qual_key = keys;
	in.qual_value = values;
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "effectif: 'beaucoup' is not a number");
	keys[0] = "budget";
	assert_int_equal(call_decide(&in, &f, &e, &err), TP_EUSAGE);
	assert_non_null(strstr(err.reason, "'budget' is not a qualification field"));
	campaign_release(&c);
}

static void test_call_without_lead_or_time(void **state)
{
	struct campaign c;
	struct call_facts f;
	struct call_effects e;
	struct kpi_counts d;
	struct outcome sale = outcome_of(6);
	struct call_input in;
	struct tp_error err;
	const char *keys[] = {"effectif"}, *values[] = {"12"};

	(void)state;
	campaign_for(&c, RULES_NONE);
	tp_error_clear(&err);
	/* A history's call of May 2008 that said only its month: no hour, no calling time. */
	in = a_call(&c, &f, &sale);
	in.lead_id = 0;
	in.started_at = tz_utc("Europe/Paris", 2008, 5, 1, 0, 0, 0);
	in.known = WHEN_MONTH;
	in.talk_seconds = 100;
	in.nqual = 1;
	in.qual_key = keys;
	in.qual_value = values;
	f.session_here = true;
	assert_int_equal(call_decide(&in, &f, &e, &err), 0);
	assert_int_equal(e.local_hour, -1);
	assert_int_equal(e.local_day, 20080550);
	assert_int_equal(e.calling_time, CALL_TIME_NONE);
	assert_int_equal(e.attempt, -1);
	assert_false(e.lead_update);
	assert_true(e.id_needed);
	/* Without a lead, any answer qualifies (there is no contact to compare with). */
	assert_true(call_qualified(&in, false));
	call_counts(&in, &f, &e, call_qualified(&in, false), &d);
	assert_int_equal(d.untimed_calls, 1);
	assert_int_equal(d.untimed_conversations, 1);
	assert_int_equal(d.sales, 1);
	assert_int_equal(d.qualified, 1);
	campaign_release(&c);
}

static void test_session_steps(void **state)
{
	struct session ses = {.id = 1, .campaign_id = 2, .started_at = 1000, .last_activity_at = 1000,
		.credited_until = 1000, .idle_limit = 1800};
	struct session_step step;
	struct tp_error err;
	int64_t secs = 0;

	(void)state;
	tp_error_clear(&err);
	/* A call from 1100 to 1400 credits the time since the last credit. */
	step = session_advance(&ses, 1100, 1400, true);
	assert_false(step.closed);
	assert_int_equal(step.credit_from, 1000);
	assert_int_equal(step.credit_to, 1400);
	assert_int_equal(ses.last_activity_at, 1400);
	/* A "next" notes the activity, credits nothing. */
	step = session_advance(&ses, 1500, 1500, false);
	assert_int_equal(step.credit_to, step.credit_from);
	assert_int_equal(ses.last_activity_at, 1500);
	/* Paused: no time counts; a second pause is refused; resumed: counting from then. */
	assert_int_equal(session_change(&ses, SESSION_PAUSE, "ana", 1600, &step, NULL, &err), 0);
	assert_int_equal(step.credit_from, 1400);
	assert_int_equal(step.credit_to, 1600);
	assert_int_equal(session_change(&ses, SESSION_PAUSE, "ana", 1700, &step, NULL, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "ana's session is already paused");
	assert_int_equal(session_change(&ses, SESSION_RESUME, "ana", 2600, &step, NULL, &err), 0);
	assert_int_equal(ses.paused_seconds, 1000);
	assert_int_equal(ses.credited_until, 2600);
	assert_int_equal(session_change(&ses, SESSION_RESUME, "ana", 2700, &step, NULL, &err), TP_EUSAGE);
	/* Idle past the limit: closed at the last activity, the time since not counted. */
	step = session_advance(&ses, 2600 + 1801, 2600 + 1900, true);
	assert_true(step.closed);
	assert_int_equal(step.ended_at, 2600);
	assert_int_equal(step.credit_to, step.credit_from);
	/* A stop: the session's calling time is its length less its pauses. */
	ses = (struct session){.id = 1, .started_at = 1000, .last_activity_at = 1000, .credited_until = 1000,
		.paused_seconds = 100, .idle_limit = 1800};
	assert_int_equal(session_change(&ses, SESSION_STOP, "ana", 2000, &step, &secs, &err), 0);
	assert_true(step.closed);
	assert_int_equal(step.ended_at, 2000);
	assert_int_equal(secs, 900);
	assert_int_equal(session_change(&ses, SESSION_STOP, "ana", 500, &step, &secs, &err), TP_EUSAGE);
	assert_string_equal(err.field, "at");
}

static void test_appointment_results(void **state)
{
	struct appointment_state old = {"scheduled", -1, "pending", 0}, now;
	struct kpi_counts d;
	struct tp_error err;
	int64_t at = monday_15h(), rdv = at - 3600;

	(void)state;
	tp_error_clear(&err);
	/* Won while still scheduled: refused; held first. */
	assert_int_equal(appointment_decide(&old, NULL, -1, "won", 480000, rdv, at, "Europe/Paris", &now, &d, &err),
		TP_EUSAGE);
	assert_string_equal(err.field, "result");
	assert_int_equal(appointment_decide(&old, "held", 1, "won", 480000, rdv, at, "Europe/Paris", &now, &d, &err), 0);
	assert_string_equal(now.status, "held");
	assert_string_equal(now.result, "won");
	assert_int_equal(d.appointments_held, 1);
	assert_int_equal(d.appointments_won, 1);
	assert_int_equal(d.sales, 1);
	assert_int_equal(d.appointments_known, 1);
	assert_int_equal(d.appointments_relevant, 1);
	assert_int_equal(d.appointments_rated, 1);
	assert_int_equal(d.amount_cents, 480000);
	assert_int_equal(d.calls, 0);
	/* Lost afterwards: the counters move back by the difference. */
	old = now;
	assert_int_equal(appointment_decide(&old, NULL, -1, "lost", -1, rdv, at, "Europe/Paris", &now, &d, &err), 0);
	assert_int_equal(d.appointments_won, -1);
	assert_int_equal(d.sales, -1);
	assert_int_equal(d.appointments_known, 0);
	assert_int_equal(d.amount_cents, -480000);
	assert_int_equal(d.appointments_held, 0);
	/* Not held before its time. */
	old = (struct appointment_state){"scheduled", -1, "pending", 0};
	assert_int_equal(appointment_decide(&old, "held", -1, NULL, -1, at + 3600, at, "Europe/Paris", &now, &d, &err),
		TP_EUSAGE);
	assert_string_equal(err.field, "status");
}

static void test_next_lead(void **state)
{
	struct campaign c;
	struct next_refusals refused = {0};
	struct rules_facts facts;
	struct tp_error err;
	int64_t sunday = tz_utc("Europe/Paris", 2026, 12, 6, 15, 0, 0);
	char reason[64];

	(void)state;
	tp_error_clear(&err);
	campaign_for(&c, RULES_FR_B2C);
	campaign_set_str(&c.audience, "b2c");
	/* Outside the default B2C windows on a Sunday: when they open again. */
	assert_int_equal(next_check_windows(&c, sunday, &err), TP_ENOTHING);
	assert_non_null(strstr(err.reason, "they open again at 2026-12-07 10:00"));
	assert_int_equal(next_check_windows(&c, monday_15h(), &err), 0);
	/* Four calls in the last 30 days: the fifth waits (fr-b2c), any under no rules. */
	memset(&facts, 0, sizeof(facts));
	snprintf(facts.phone, sizeof(facts.phone), "+33612345678");
	snprintf(facts.country, sizeof(facts.country), "FR");
	snprintf(facts.postcode, sizeof(facts.postcode), "69003");
	for (int i = 0; i < 4; i++)
		facts.recent[i] = monday_15h() - (i + 1) * 86400;
	facts.nrecent = 4;
	facts.created_at = monday_15h() - 40 * 86400;
	assert_false(next_lawful(&c, 7, &facts, monday_15h(), &refused));
	assert_false(next_lawful(&c, 8, &facts, monday_15h(), &refused));
	assert_int_equal(refused.n, 2);
	assert_int_equal(refused.lead_id, 7);
	assert_string_equal(refused.why.rule, "fr.frequency");
	assert_int_equal(next_refused(&c, &refused, &err), TP_ENOTHING);
	assert_non_null(strstr(err.reason, "(fr-b2c): 2 passed over; lead 7: "));
	c.rule_set = RULES_NONE;
	assert_true(next_lawful(&c, 9, &facts, monday_15h(), &refused));
	assert_int_equal(refused.n, 2);
	/* Why a lead is offered; why none is. */
	next_reason(NEXT_RETRY, 2, 6, reason, sizeof(reason));
	assert_string_equal(reason, "retry: attempt 3 of 6");
	next_reason(NEXT_MY_CALLBACK, 0, 6, reason, sizeof(reason));
	assert_string_equal(reason, "your callback, due");
	assert_int_equal(next_nothing(&c, &(struct next_waiting){.retrying = 3, .held = 1}, &err), TP_ENOTHING);
	assert_string_equal(err.reason, "nothing to call now; 3 leads wait for their retry delay; 1 leads are held by"
		" other agents");
	assert_int_equal(next_nothing(&c, NULL, &err), TP_ENOTHING);
	assert_string_equal(err.reason, "nothing to call now");
	campaign_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_every_result_outcome_rule_set),
		cmocka_unit_test(test_call_refusals),
		cmocka_unit_test(test_call_without_lead_or_time),
		cmocka_unit_test(test_session_steps),
		cmocka_unit_test(test_appointment_results),
		cmocka_unit_test(test_next_lead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
