/* One call Telepro places (core/dial.h): the steps of third-party call control, what each
 * SIP answer makes of the call, its ring and talk seconds, and the late answers that
 * change nothing. No SIP here: tests/sip/run.sh plays the same with real peers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/dial.h"

/* A click-to-call whose agent answered at 1 s: the prospect is being rung. */
static void ringing_prospect(struct dial *d)
{
	dial_init(d, false);
	assert_int_equal(dial_step(d, DIAL_EV_START, 0, 1000), DIAL_DO_INVITE_AGENT | DIAL_DO_SAVE);
	assert_int_equal(d->state, DIAL_AGENT);
	assert_int_equal(dial_step(d, DIAL_EV_AGENT_ANSWERED, 200, 2000), DIAL_DO_CHECK_LEAD | DIAL_DO_SAVE);
	assert_int_equal(d->state, DIAL_PROSPECT);
	assert_int_equal(d->prospect_ms, 2000);
}

static void test_conversation(void **state)
{
	struct dial d;

	(void)state;
	ringing_prospect(&d);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_RINGING, 180, 2500), 0);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 5400), DIAL_DO_REINVITE_AGENT | DIAL_DO_SAVE);
	assert_int_equal(d.state, DIAL_JOINING);
	assert_int_equal(dial_step(&d, DIAL_EV_JOINED, 200, 5450), DIAL_DO_ACK_PROSPECT | DIAL_DO_SAVE);
	assert_int_equal(d.state, DIAL_CONNECTED);
	/* The prospect hangs up: the agent's line ends too; the agent gives the outcome. */
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_BYE, 0, 65400), DIAL_DO_END_AGENT | DIAL_DO_SAVE);
	assert_int_equal(d.state, DIAL_ENDED);
	assert_int_equal(d.end, DIAL_END_PROSPECT_HUNG_UP);
	assert_string_equal(d.result, "conversation");
	assert_int_equal(d.status, 200);
	assert_int_equal(dial_ring_seconds(&d), 3);      /* 3.4 s */
	assert_int_equal(dial_talk_seconds(&d), 60);
	/* A second hang-up, a late BYE: nothing more. */
	assert_int_equal(dial_step(&d, DIAL_EV_HANGUP, 0, 66000), 0);
	assert_int_equal(dial_step(&d, DIAL_EV_AGENT_BYE, 0, 66000), 0);
}

static void test_refusals(void **state)
{
	static const struct {
		int status;
		const char *result;
	} cases[] = {{486, "busy"}, {600, "busy"}, {603, "busy"}, {404, "invalid_number"}, {484, "invalid_number"},
		{604, "invalid_number"}, {410, "invalid_number"}, {480, "no_answer"}, {503, "no_answer"},
		{408, "no_answer"}, {500, "no_answer"}, {403, NULL}, {407, NULL}, {488, NULL}};
	struct dial d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ringing_prospect(&d);
		unsigned act = dial_step(&d, DIAL_EV_PROSPECT_FAILED, cases[i].status, 4600);

		if (cases[i].result) {
			assert_string_equal(d.result, cases[i].result);
			assert_int_equal(d.end, DIAL_END_NOT_CONNECTED);
			/* Logged by Telepro: the agent has no outcome to give. */
			assert_int_equal(act, DIAL_DO_END_AGENT | DIAL_DO_SAVE | DIAL_DO_LOG);
		} else {
			/* Our side failed: no call reached anyone, nothing is logged. */
			assert_null(d.result);
			assert_int_equal(d.end, DIAL_END_FAILED);
			assert_int_equal(act, DIAL_DO_END_AGENT | DIAL_DO_SAVE);
		}
		assert_int_equal(d.status, cases[i].status);
		assert_int_equal(dial_ring_seconds(&d), 3);  /* 2.6 s */
		assert_int_equal(dial_talk_seconds(&d), 0);
	}
}

/* Our stack's own answer (the trunk unreachable, its TLS certificate refused, no response
 * in time): whatever its status, no phone rang, nothing is logged; the line is kept. */
static void test_unreached(void **state)
{
	static const int statuses[] = {503, 408, 500};
	struct dial d;

	(void)state;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		ringing_prospect(&d);
		assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_UNREACHED, statuses[i], 4600),
			DIAL_DO_END_AGENT | DIAL_DO_SAVE);
		assert_null(d.result);
		assert_int_equal(d.end, DIAL_END_FAILED);
		assert_int_equal(d.status, statuses[i]);
		/* A late network answer changes nothing. */
		assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_FAILED, 486, 5000), 0);
		assert_null(d.result);
	}
	dial_init(&d, true);
	assert_int_equal(dial_step(&d, DIAL_EV_START, 0, 1000), DIAL_DO_CHECK_LEAD | DIAL_DO_SAVE);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_UNREACHED, 503, 1200), DIAL_DO_HOLD_AGENT | DIAL_DO_SAVE);
	/* Before the prospect is dialed, it does not fit. */
	dial_init(&d, false);
	assert_int_equal(dial_step(&d, DIAL_EV_START, 0, 1000), DIAL_DO_INVITE_AGENT | DIAL_DO_SAVE);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_UNREACHED, 503, 1200), 0);
}

static void test_ring_timeout(void **state)
{
	struct dial d;

	(void)state;
	ringing_prospect(&d);
	assert_int_equal(dial_step(&d, DIAL_EV_RING_TIMEOUT, 0, 27000),
		DIAL_DO_CANCEL_PROSPECT | DIAL_DO_END_AGENT | DIAL_DO_SAVE | DIAL_DO_LOG);
	assert_string_equal(d.result, "no_answer");
	assert_int_equal(d.status, 487);
	assert_int_equal(dial_ring_seconds(&d), 25);
	/* The 487 of the CANCEL changes nothing; a 200 that crossed it is hung up. */
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_FAILED, 487, 27100), 0);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 27050), DIAL_DO_BYE_PROSPECT);
	assert_string_equal(d.result, "no_answer");
	assert_int_equal(dial_ring_seconds(&d), 25);
}

static void test_agent_side(void **state)
{
	struct dial d;

	(void)state;
	/* The agent's phone refuses: the prospect is never called, nothing logged. */
	dial_init(&d, false);
	dial_step(&d, DIAL_EV_START, 0, 1000);
	assert_int_equal(dial_step(&d, DIAL_EV_AGENT_FAILED, 486, 3000), DIAL_DO_SAVE);
	assert_int_equal(d.end, DIAL_END_AGENT_UNREACHABLE);
	assert_int_equal(d.agent_status, 486);
	assert_null(d.result);
	assert_int_equal(dial_ring_seconds(&d), 0);
	/* The agent hangs up while the prospect rings: the attempt is a call (no answer). */
	ringing_prospect(&d);
	assert_int_equal(dial_step(&d, DIAL_EV_HANGUP, 0, 6000),
		DIAL_DO_CANCEL_PROSPECT | DIAL_DO_END_AGENT | DIAL_DO_SAVE | DIAL_DO_LOG);
	assert_string_equal(d.result, "no_answer");
	assert_int_equal(d.end, DIAL_END_AGENT_HUNG_UP);
	/* The agent's phone hangs up in a conversation: only the prospect is left to end. */
	ringing_prospect(&d);
	dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 3000);
	dial_step(&d, DIAL_EV_JOINED, 200, 3000);
	assert_int_equal(dial_step(&d, DIAL_EV_AGENT_BYE, 0, 13000), DIAL_DO_BYE_PROSPECT | DIAL_DO_SAVE);
	assert_string_equal(d.result, "conversation");
	assert_int_equal(dial_talk_seconds(&d), 10);
	/* The phone refuses the prospect's media: the prospect heard nothing, no conversation. */
	ringing_prospect(&d);
	dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 3000);
	assert_int_equal(dial_step(&d, DIAL_EV_JOIN_FAILED, 488, 3100),
		DIAL_DO_BYE_PROSPECT | DIAL_DO_END_AGENT | DIAL_DO_SAVE | DIAL_DO_LOG);
	assert_string_equal(d.result, "no_answer");
	assert_int_equal(d.end, DIAL_END_FAILED);
	assert_int_equal(dial_talk_seconds(&d), 0);
}

static void test_rules_and_restart(void **state)
{
	struct dial d;

	(void)state;
	/* The rules refuse the lead as it is dialed: no call. */
	ringing_prospect(&d);
	assert_int_equal(dial_step(&d, DIAL_EV_REFUSED, 0, 2000), DIAL_DO_END_AGENT | DIAL_DO_SAVE);
	assert_int_equal(d.end, DIAL_END_REFUSED);
	assert_null(d.result);
	assert_int_equal(d.prospect_ms, 0);
	/* A restart finds a prospect ringing: a call made, logged as unanswered; a
	 * conversation: waits for the agent; the agent's phone ringing: nothing. */
	ringing_prospect(&d);
	assert_int_equal(dial_step(&d, DIAL_EV_INTERRUPTED, 0, 9000), DIAL_DO_SAVE | DIAL_DO_LOG);
	assert_string_equal(d.result, "no_answer");
	assert_int_equal(d.end, DIAL_END_INTERRUPTED);
	assert_int_equal(dial_ring_seconds(&d), 7);
	ringing_prospect(&d);
	dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 3000);
	dial_step(&d, DIAL_EV_JOINED, 200, 3000);
	assert_int_equal(dial_step(&d, DIAL_EV_INTERRUPTED, 0, 33000), DIAL_DO_SAVE);
	assert_string_equal(d.result, "conversation");
	assert_int_equal(dial_talk_seconds(&d), 30);
	dial_init(&d, false);
	dial_step(&d, DIAL_EV_START, 0, 1000);
	assert_int_equal(dial_step(&d, DIAL_EV_INTERRUPTED, 0, 2000), DIAL_DO_SAVE);
	assert_null(d.result);
}

static void test_kept_line(void **state)
{
	struct dial d;

	(void)state;
	/* Progressive: the agent's line is up already and outlives the attempt. */
	dial_init(&d, true);
	assert_int_equal(dial_step(&d, DIAL_EV_START, 0, 1000), DIAL_DO_CHECK_LEAD | DIAL_DO_SAVE);
	assert_int_equal(d.state, DIAL_PROSPECT);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_FAILED, 486, 2000), DIAL_DO_HOLD_AGENT | DIAL_DO_SAVE | DIAL_DO_LOG);
	dial_init(&d, true);
	dial_step(&d, DIAL_EV_START, 0, 1000);
	dial_step(&d, DIAL_EV_PROSPECT_ANSWERED, 200, 3000);
	dial_step(&d, DIAL_EV_JOINED, 200, 3000);
	assert_int_equal(dial_step(&d, DIAL_EV_PROSPECT_BYE, 0, 8000), DIAL_DO_HOLD_AGENT | DIAL_DO_SAVE);
	assert_string_equal(dial_state_name(d.state), "ended");
	assert_string_equal(dial_end_name(d.end), "prospect_hung_up");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversation),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_unreached),
		cmocka_unit_test(test_ring_timeout),
		cmocka_unit_test(test_agent_side),
		cmocka_unit_test(test_rules_and_restart),
		cmocka_unit_test(test_kept_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
