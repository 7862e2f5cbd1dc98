#ifndef TP_DIAL_H
#define TP_DIAL_H
/*
 * One call Telepro places (docs/TELEPHONY.md, "What happens on the line"), decided here
 * and carried out by the dialer (src/app/app_dialer.c) through the SIP stack (src/sip):
 * third-party call control (RFC 3725, flow II). Telepro calls the agent's phone with an
 * offer that carries no media ("black hole": the agent hears nothing yet), then the
 * prospect without an offer; the prospect's answer carries its offer, which Telepro sends
 * to the agent's phone in a re-INVITE; the phone's answer goes back to the prospect in the
 * ACK. The media then flow between the two ends, never through Telepro.
 *
 * dial_step takes what the signalling said (an event, its SIP status, the time) and says
 * what to do next (actions) and, when the attempt is over, which call result it makes.
 * Every caller — click-to-call from the desk, progressive dialing — goes through it; it
 * does no I/O and is unit-tested on plain structs (tests/unit/test_dial.c).
 */
#include <stdbool.h>
#include <stdint.h>

enum dial_state {
	DIAL_AGENT,                 /* ringing the agent's phone */
	DIAL_PROSPECT,              /* the agent's line is up (no media); ringing the prospect */
	DIAL_JOINING,               /* the prospect answered; the agent's phone is given its media */
	DIAL_CONNECTED,             /* they talk */
	DIAL_ENDED,
};

enum dial_event {
	DIAL_EV_START,              /* dial: the agent's phone (or, with the line kept, the prospect) */
	DIAL_EV_AGENT_ANSWERED,
	DIAL_EV_AGENT_FAILED,       /* a final refusal of the agent's phone (status) */
	DIAL_EV_AGENT_BYE,          /* the agent hung up */
	DIAL_EV_PROSPECT_RINGING,   /* 180/183 */
	DIAL_EV_PROSPECT_ANSWERED,  /* 200 with the prospect's offer */
	DIAL_EV_PROSPECT_FAILED,    /* a final refusal (status), or 487 after our CANCEL */
	DIAL_EV_PROSPECT_UNREACHED, /* no answer came from the network (status: our stack's own):
				     * the trunk or PBX could not be reached, its certificate was
				     * refused: no call reached the prospect */
	DIAL_EV_PROSPECT_BYE,       /* the prospect hung up */
	DIAL_EV_JOINED,             /* the agent's phone accepted the prospect's media */
	DIAL_EV_JOIN_FAILED,        /* it refused them (status) */
	DIAL_EV_HANGUP,             /* the agent's hang-up button */
	DIAL_EV_RING_TIMEOUT,       /* the campaign's ring timeout passed, unanswered */
	DIAL_EV_REFUSED,            /* the lead may not be called now (checked as it is dialed) */
	DIAL_EV_INTERRUPTED,        /* the server stopped during the attempt (found at restart) */
};

/* What the dialer does after a step (a mask). */
enum dial_action {
	DIAL_DO_INVITE_AGENT = 1 << 0,     /* INVITE the agent's phone with the black-hole offer */
	DIAL_DO_CHECK_LEAD = 1 << 1,       /* check the lead against the rules, then INVITE the
					    * prospect and start its ring timeout (or feed
					    * DIAL_EV_REFUSED) */
	DIAL_DO_REINVITE_AGENT = 1 << 3,   /* re-INVITE the agent's phone with the prospect's offer */
	DIAL_DO_ACK_PROSPECT = 1 << 4,     /* ACK the prospect's 200 with the phone's answer */
	DIAL_DO_CANCEL_PROSPECT = 1 << 5,  /* CANCEL the prospect's INVITE */
	DIAL_DO_BYE_PROSPECT = 1 << 6,     /* ACK (if due) and BYE the prospect */
	DIAL_DO_END_AGENT = 1 << 7,        /* CANCEL or BYE the agent's phone */
	DIAL_DO_HOLD_AGENT = 1 << 8,       /* the line is kept: back to no media for the next lead */
	DIAL_DO_LOG = 1 << 9,              /* the attempt is over and not a conversation: log it */
	DIAL_DO_SAVE = 1 << 10,            /* the state changed: store it */
};

/* Why an attempt ended. */
enum dial_end {
	DIAL_END_NONE,
	DIAL_END_NOT_CONNECTED,     /* the prospect did not answer, was busy, or the number failed */
	DIAL_END_PROSPECT_HUNG_UP,
	DIAL_END_AGENT_HUNG_UP,
	DIAL_END_AGENT_UNREACHABLE, /* the agent's phone did not answer: the prospect was never called */
	DIAL_END_REFUSED,           /* the rules refused the lead as it was dialed */
	DIAL_END_FAILED,            /* our side failed (the account refused, a media mismatch, the
				     * trunk unreachable) */
	DIAL_END_INTERRUPTED,       /* the server stopped during the call */
};

struct dial {
	enum dial_state state;
	enum dial_end end;
	bool keep_line;             /* progressive: the agent's line outlives the attempt */
	int64_t started_ms;         /* DIAL_EV_START */
	int64_t prospect_ms;        /* the prospect's INVITE sent (0: never) */
	int64_t answered_ms;        /* the prospect answered (0: never) */
	int64_t ended_ms;
	int status;                 /* the last final SIP status of the prospect's leg (0: none) */
	int agent_status;           /* the agent's phone's refusal, when it refused */
	const char *result;         /* the call's result once ended ("conversation" when answered),
				     * NULL when no call was made (agent unreachable, refused, our
				     * side failed) */
};

/* A new attempt (state DIAL_AGENT, or DIAL_PROSPECT when keep_line: the line is up). */
void dial_init(struct dial *d, bool keep_line);
/* Applies event (status: its SIP status, 0 when none) at now_ms; returns the actions. An
 * event that does not fit the state (a late response, a second hang-up) changes nothing
 * and returns 0. */
unsigned dial_step(struct dial *d, enum dial_event event, int status, int64_t now_ms);

/* The call result a final SIP status of the prospect's INVITE makes: "busy" (486, 600,
 * 603), "invalid_number" (404, 410, 484, 604), "no_answer" (408, 480, 487 and the
 * other refusals of the far end: 5xx, ...), NULL when the status says our side failed
 * (401, 403, 407, 488 ... : no call reached the prospect). */
const char *dial_result_of_status(int status);
/* Whole seconds of ringing (INVITE sent to answer or end) and of talk (answer to end). */
int64_t dial_ring_seconds(const struct dial *d);
int64_t dial_talk_seconds(const struct dial *d);

const char *dial_state_name(enum dial_state s);
const char *dial_end_name(enum dial_end e);

#endif
