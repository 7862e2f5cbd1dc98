#include <stddef.h>

#include "core/dial.h"

void dial_init(struct dial *d, bool keep_line)
{
	*d = (struct dial){.state = DIAL_AGENT, .keep_line = keep_line};
}

const char *dial_result_of_status(int status)
{
	switch (status) {
	case 486: case 600: case 603:
		return "busy";
	case 404: case 410: case 484: case 604:
		return "invalid_number";
	/* Our account or our offer refused: the prospect's phone never rang. */
	case 401: case 402: case 403: case 405: case 407: case 415: case 416: case 420: case 421: case 488:
		return NULL;
	default:
		return "no_answer";
	}
}

static int64_t seconds(int64_t from_ms, int64_t to_ms)
{
	return from_ms && to_ms > from_ms ? (to_ms - from_ms + 500) / 1000 : 0;
}

int64_t dial_ring_seconds(const struct dial *d)
{
	return seconds(d->prospect_ms, d->answered_ms ? d->answered_ms : d->ended_ms);
}

int64_t dial_talk_seconds(const struct dial *d)
{
	return seconds(d->answered_ms, d->ended_ms);
}

/* The attempt is over at now_ms with result (NULL: no call made): the agent's line ends,
 * or goes back to no media when kept; a call that is not a conversation is logged now
 * (a conversation waits for the agent's outcome). */
static unsigned end(struct dial *d, enum dial_end why, const char *result, int64_t now_ms)
{
	d->state = DIAL_ENDED;
	d->end = why;
	d->result = result;
	d->ended_ms = now_ms;
	return (d->keep_line ? DIAL_DO_HOLD_AGENT : DIAL_DO_END_AGENT) | DIAL_DO_SAVE |
		(result && d->answered_ms == 0 ? DIAL_DO_LOG : 0);
}

unsigned dial_step(struct dial *d, enum dial_event event, int status, int64_t now_ms)
{
	const char *result;

	if (d->state == DIAL_ENDED) {
		/* The prospect answered as our CANCEL crossed the 200: end that call too. */
		return event == DIAL_EV_PROSPECT_ANSWERED ? DIAL_DO_BYE_PROSPECT : 0;
	}
	switch (event) {
	case DIAL_EV_START:
		if (d->started_ms)
			return 0;
		d->started_ms = now_ms;
		if (!d->keep_line)
			return DIAL_DO_INVITE_AGENT | DIAL_DO_SAVE;
		d->state = DIAL_PROSPECT;
		d->prospect_ms = now_ms;
		return DIAL_DO_CHECK_LEAD | DIAL_DO_SAVE;
	case DIAL_EV_AGENT_ANSWERED:
		if (d->state != DIAL_AGENT)
			return 0;
		d->state = DIAL_PROSPECT;
		d->prospect_ms = now_ms;
		return DIAL_DO_CHECK_LEAD | DIAL_DO_SAVE;
	case DIAL_EV_AGENT_FAILED:
		if (d->state != DIAL_AGENT)
			return 0;
		d->agent_status = status;
		return end(d, DIAL_END_AGENT_UNREACHABLE, NULL, now_ms) & ~DIAL_DO_END_AGENT;
	case DIAL_EV_REFUSED:
		if (d->state != DIAL_PROSPECT || d->answered_ms)
			return 0;
		d->prospect_ms = 0;
		return end(d, DIAL_END_REFUSED, NULL, now_ms);
	case DIAL_EV_PROSPECT_RINGING:
		return 0;
	case DIAL_EV_PROSPECT_ANSWERED:
		if (d->state != DIAL_PROSPECT)
			return 0;
		d->state = DIAL_JOINING;
		d->answered_ms = now_ms;
		d->status = 200;
		return DIAL_DO_REINVITE_AGENT | DIAL_DO_SAVE;
	case DIAL_EV_PROSPECT_FAILED:
		if (d->state != DIAL_PROSPECT)
			return 0;
		d->status = status;
		result = dial_result_of_status(status);
		return end(d, result ? DIAL_END_NOT_CONNECTED : DIAL_END_FAILED, result, now_ms);
	case DIAL_EV_PROSPECT_UNREACHED:
		/* Whatever the status our stack made up, nobody's phone rang: no call to log. */
		if (d->state != DIAL_PROSPECT)
			return 0;
		d->status = status;
		return end(d, DIAL_END_FAILED, NULL, now_ms);
	case DIAL_EV_RING_TIMEOUT:
		if (d->state != DIAL_PROSPECT)
			return 0;
		d->status = 487;
		return DIAL_DO_CANCEL_PROSPECT | end(d, DIAL_END_NOT_CONNECTED, "no_answer", now_ms);
	case DIAL_EV_JOINED:
		if (d->state != DIAL_JOINING)
			return 0;
		d->state = DIAL_CONNECTED;
		return DIAL_DO_ACK_PROSPECT | DIAL_DO_SAVE;
	case DIAL_EV_JOIN_FAILED:
		if (d->state != DIAL_JOINING)
			return 0;
		/* The prospect picked up and heard nothing: a call made, not a conversation. */
		d->answered_ms = 0;
		return DIAL_DO_BYE_PROSPECT | end(d, DIAL_END_FAILED, "no_answer", now_ms);
	case DIAL_EV_PROSPECT_BYE:
		if (d->state != DIAL_JOINING && d->state != DIAL_CONNECTED)
			return 0;
		return end(d, DIAL_END_PROSPECT_HUNG_UP, "conversation", now_ms);
	case DIAL_EV_AGENT_BYE:
	case DIAL_EV_HANGUP: {
		bool line_gone = event == DIAL_EV_AGENT_BYE;
		unsigned act;

		if (d->state == DIAL_AGENT) {
			if (line_gone)
				return 0;   /* a phone that never answered sends no BYE */
			return end(d, DIAL_END_AGENT_HUNG_UP, NULL, now_ms);
		}
		if (d->state == DIAL_PROSPECT)
			act = DIAL_DO_CANCEL_PROSPECT | end(d, DIAL_END_AGENT_HUNG_UP, "no_answer", now_ms);
		else
			act = DIAL_DO_BYE_PROSPECT | end(d, DIAL_END_AGENT_HUNG_UP, "conversation", now_ms);
		/* The agent's phone hung up itself: nothing to end or hold on its side. */
		return line_gone ? act & ~(unsigned)(DIAL_DO_END_AGENT | DIAL_DO_HOLD_AGENT) : act;
	}
	case DIAL_EV_INTERRUPTED:
		if (d->answered_ms)
			result = "conversation";
		else if (d->state == DIAL_PROSPECT && d->prospect_ms)
			result = "no_answer";
		else
			result = NULL;
		return end(d, DIAL_END_INTERRUPTED, result, now_ms) & ~(unsigned)(DIAL_DO_END_AGENT | DIAL_DO_HOLD_AGENT);
	}
	return 0;
}

const char *dial_state_name(enum dial_state s)
{
	static const char *const names[] = {"ringing_agent", "ringing_prospect", "joining", "connected", "ended"};

	return s >= DIAL_AGENT && s <= DIAL_ENDED ? names[s] : "ended";
}

const char *dial_end_name(enum dial_end e)
{
	static const char *const names[] = {"", "not_connected", "prospect_hung_up", "agent_hung_up",
		"agent_unreachable", "refused", "failed", "interrupted"};

	return e >= DIAL_END_NONE && e <= DIAL_END_INTERRUPTED ? names[e] : "";
}
