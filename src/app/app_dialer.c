/*
 * Telepro dials (docs/TELEPHONY.md): the dialer carries out what core/dial.c decides, with
 * the SIP user agent (src/sip) for the lines and a database connection of its own for the
 * calls placed and logged. Both live on the SIP thread; the web's threads hand it work
 * through a queue (app_dial, app_dial_hangup) and read the calls placed from the database.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_int.h"
#include "core/call_log.h"
#include "core/dial.h"
#include "core/dialing.h"
#include "core/phone.h"
#include "core/rules.h"
#include "core/sipconf.h"
#include "core/xalloc.h"
#include "sip/sipua.h"

#define SDP_MAX 8192

/* What a leg belongs to: a call placed, or an agent's line (progressive dialing). */
enum owner { OWNER_CALL, OWNER_LINE };

struct line;

/* One call going on (SIP thread only). */
struct live {
	enum owner kind;            /* OWNER_CALL */
	struct app_dialer *dialer;
	struct line *line;          /* progressive: the agent's line it is joined to, else NULL */
	struct dial_row row;
	struct sipua_leg *agent, *prospect;
	struct sipua_timer *ring_timer;
	char agent_uri[256], prospect_uri[300], caller_id[32];
	int ring_timeout;
	bool hangup_asked;
	char *prospect_sdp;         /* the prospect's offer, for the agent's phone */
	struct live *next;
};

/* An agent's line (progressive dialing, SIP thread only): their phone, called once and
 * kept while they call; Telepro dials the next lead whenever they are free. */
enum line_state { LINE_RINGING, LINE_READY, LINE_DIALING, LINE_WRAPUP, LINE_PAUSED, LINE_WAITING, LINE_ENDED };
static const char *const line_names[] = {"ringing", "ready", "dialing", "wrapup", "paused", "waiting", "ended"};

struct line {
	enum owner kind;            /* OWNER_LINE */
	struct app_dialer *dialer;
	enum line_state state;
	struct sipua_leg *leg;
	struct live *attempt;       /* the call placed going on, at most one (never two prospects) */
	struct sipua_timer *retry;  /* nothing to call: asked again later */
	struct campaign c;          /* its settings, read when the line opened */
	int64_t agent_id;
	char agent[128], agent_uri[256];
	struct tp_error why;        /* why it waits or ended (code 0: nothing to say) */
	int64_t last_dial;
	bool awaiting;              /* its last call placed was a conversation whose outcome is due */
	struct line *next;
};

/* What the web's threads see of the lines (under the dialer's lock). */
struct line_view {
	char agent[128], campaign[256];
	struct tp_error why;
	enum line_state state;
	int64_t dial_id;
};

#define LINE_RETRY_MS 30000     /* nothing to call now: asked again this much later */
#define LINE_VIEWS_MAX 256

/* Work from the web's threads. */
struct command {
	enum { CMD_DIAL, CMD_HANGUP, CMD_LINE_START, CMD_LINE_EVENT } kind;
	struct dial_row row;        /* CMD_DIAL */
	int64_t dial_id;            /* CMD_HANGUP */
	enum app_line_event event;  /* CMD_LINE_EVENT, for agent */
	char agent[128];            /* CMD_LINE_START, CMD_LINE_EVENT */
	int64_t agent_id;
	struct campaign c;          /* CMD_LINE_START (owned) */
	char agent_uri[256], prospect_uri[300], caller_id[32];
	int ring_timeout;
	struct command *next;
};

struct app_dialer {
	struct sipconf conf;
	struct sipua *ua;
	struct app *app;            /* the SIP thread's connection (acts as the system) */
	struct live *live;
	struct line *lines;
	pthread_mutex_t lock;
	struct command *queue, **tail;
	struct line_view views[LINE_VIEWS_MAX];     /* under lock */
	size_t nviews;
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void log_error(const char *what, int64_t id, const struct tp_error *err)
{
	fprintf(stderr, "dialer: call placed %lld: %s: %s%s%s\n", (long long)id, what, err->field,
		err->field[0] ? ": " : "", err->reason);
}

/* SIP thread --------------------------------------------------------------------------- */

static void save(struct live *l)
{
	struct tp_error err;

	tp_error_clear(&err);
	l->row.updated_ms = now_ms();
	if (store_dial_save(l->dialer->app->store, &l->row, &err))
		log_error("saving its state", l->row.id, &err);
}

/* The call placed is over without a conversation: logged now, with its key so that a
 * restart logs it once. */
static void log_call(struct live *l)
{
	struct app_dialer *d = l->dialer;
	struct app_call in = {0};
	struct tp_error err;
	json_t *out = NULL;
	char key[40];

	snprintf(key, sizeof(key), "dial-%lld", (long long)l->row.id);
	in.agent = l->row.agent;
	in.lead_id = l->row.lead_id;
	in.result = l->row.d.result;
	in.idempotency_key = key;
	in.dial = l->row.id;
	tp_error_clear(&err);
	d->app->placing = &l->row;
	if (app_call_log(d->app, &in, &out, &err))
		log_error("logging it", l->row.id, &err);
	else
		l->row.call_id = json_integer_value(json_object_get(out, "call_id"));
	d->app->placing = NULL;
	json_decref(out);
}

static void live_free(struct live *l)
{
	struct live **p = &l->dialer->live;

	while (*p && *p != l)
		p = &(*p)->next;
	if (*p)
		*p = l->next;
	sipua_timer_cancel(l->ring_timer);
	free(l->prospect_sdp);
	free(l);
}

static void step(struct live *l, enum dial_event e, int status);
static void line_attempt_over(struct line *ln, struct live *l);

static void on_ring_timeout(void *arg)
{
	struct live *l = arg;

	l->ring_timer = NULL;
	step(l, DIAL_EV_RING_TIMEOUT, 0);
}

/* The rules again, as the number is dialed (docs/TELEPHONY.md): the lead may have left its
 * window, met its fourth call in 30 days or been opposed since it was given. */
static bool may_call_now(struct live *l)
{
	struct campaign c;
	struct rules_consumer cons;
	struct rules_result r;
	struct tp_error err;
	int64_t when;
	bool ok;

	campaign_init(&c);
	tp_error_clear(&err);
	ok = app__lead_verdict(l->dialer->app, l->row.lead_id, NULL, l->row.agent, &c, &when, &cons, &r, &err) == 0 &&
		r.callable;
	if (!ok && err.code)
		log_error("checking the rules", l->row.id, &err);
	campaign_release(&c);
	return ok;
}

static void run_actions(struct live *l, unsigned act)
{
	struct app_dialer *d = l->dialer;

	if (act & DIAL_DO_INVITE_AGENT) {
		l->agent = sipua_invite(d->ua, l->agent_uri, NULL, sipua_black_hole(d->ua), l);
		if (!l->agent) {
			step(l, DIAL_EV_AGENT_FAILED, 400);
			return;
		}
	}
	if (act & DIAL_DO_CHECK_LEAD) {
		if (!may_call_now(l)) {
			step(l, DIAL_EV_REFUSED, 0);
			return;
		}
		l->prospect = sipua_invite(d->ua, l->prospect_uri, l->caller_id[0] ? l->caller_id : NULL, NULL, l);
		if (!l->prospect) {
			step(l, DIAL_EV_PROSPECT_FAILED, 400);
			return;
		}
		/* Its ring counts from the INVITE sent, the rules' check done. */
		l->row.d.prospect_ms = now_ms();
		l->ring_timer = sipua_timer_start(d->ua, (int64_t)l->ring_timeout * 1000, on_ring_timeout, l);
	}
	struct sipua_leg *agent = l->line ? l->line->leg : l->agent;

	if ((act & DIAL_DO_REINVITE_AGENT) && agent)
		sipua_reoffer(agent, l->prospect_sdp);
	if ((act & (DIAL_DO_CANCEL_PROSPECT | DIAL_DO_BYE_PROSPECT)) && l->prospect)
		sipua_hangup(l->prospect);
	if ((act & DIAL_DO_END_AGENT) && l->agent)
		sipua_hangup(l->agent);
	/* The kept line goes back to no media once it had the prospect's. */
	if ((act & DIAL_DO_HOLD_AGENT) && agent && l->row.d.answered_ms)
		sipua_reoffer(agent, sipua_black_hole(d->ua));
	if (l->row.d.state == DIAL_ENDED || l->row.d.answered_ms) {
		sipua_timer_cancel(l->ring_timer);
		l->ring_timer = NULL;
	}
	/* Logged, then saved ended: whoever sees it ended sees its call. */
	if (act & DIAL_DO_LOG)
		log_call(l);
	if (act & DIAL_DO_SAVE)
		save(l);
	if (l->row.d.state == DIAL_ENDED && l->line && l->line->attempt == l)
		line_attempt_over(l->line, l);
	if (l->row.d.state == DIAL_ENDED && !l->agent && !l->prospect)
		live_free(l);
}

static void step(struct live *l, enum dial_event e, int status)
{
	run_actions(l, dial_step(&l->row.d, e, status, now_ms()));
}


/* The agent's phone answered a re-offer (accepted, with its answer sdp, or refused): the
 * prospect's media given to it, the prospect's 200 is acknowledged with that answer. A
 * re-offer back to no media (a kept line between calls) changes nothing. */
static void agent_reoffered(struct live *l, bool accepted, int status, const char *sdp)
{
	unsigned act;

	if (l->row.d.state != DIAL_JOINING || !l->prospect)
		return;
	if (!accepted) {
		step(l, DIAL_EV_JOIN_FAILED, status);
		return;
	}
	act = dial_step(&l->row.d, DIAL_EV_JOINED, status, now_ms());
	if (act & DIAL_DO_ACK_PROSPECT)
		sipua_ack(l->prospect, sdp);
	run_actions(l, act);
}

/* Progressive dialing: the agent's line -------------------------------------------------- */

static void line_publish(struct line *ln)
{
	struct app_dialer *d = ln->dialer;
	struct line_view *v = NULL;

	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->nviews && !v; i++)
		if (strcmp(d->views[i].agent, ln->agent) == 0)
			v = &d->views[i];
	if (!v && d->nviews < LINE_VIEWS_MAX)
		v = &d->views[d->nviews++];
	if (v) {
		snprintf(v->agent, sizeof(v->agent), "%s", ln->agent);
		snprintf(v->campaign, sizeof(v->campaign), "%s", ln->c.name ? ln->c.name : "");
		v->why = ln->why;
		v->state = ln->state;
		v->dial_id = ln->last_dial;
	}
	pthread_mutex_unlock(&d->lock);
}

static void line_set(struct line *ln, enum line_state state, const struct tp_error *why)
{
	ln->state = state;
	if (why)
		ln->why = *why;
	else
		tp_error_clear(&ln->why);
	line_publish(ln);
}

/* A reason of the line's, as a message of the catalogue (msgid: TP_MSG). */
static const struct tp_error *say(struct tp_error *e, const char *msgid)
{
	tp_error_msg(e, TP_ECONFLICT, NULL, 0, NULL, 0, msgid, 0);
	return e;
}

static void line_free(struct line *ln)
{
	struct line **p = &ln->dialer->lines;

	/* A call placed on it may outlive it (its prospect still hanging up). */
	for (struct live *l = ln->dialer->live; l; l = l->next)
		if (l->line == ln)
			l->line = NULL;

	while (*p && *p != ln)
		p = &(*p)->next;
	if (*p)
		*p = ln->next;
	sipua_timer_cancel(ln->retry);
	campaign_release(&ln->c);
	free(ln);
}

static void line_next(struct line *ln);

static void on_line_retry(void *arg)
{
	struct line *ln = arg;

	ln->retry = NULL;
	if (ln->state == LINE_WAITING)
		line_next(ln);
}

/* Nothing to dial now (no lead, outside the blocks, a failure): asked again later. */
static void line_wait(struct line *ln, const struct tp_error *why)
{
	line_set(ln, LINE_WAITING, why);
	sipua_timer_cancel(ln->retry);
	ln->retry = sipua_timer_start(ln->dialer->ua, LINE_RETRY_MS, on_line_retry, ln);
}

/* The agent is free: the next lead under the same rules as `next`, dialed at once. */
static void line_next(struct line *ln)
{
	struct app_dialer *d = ln->dialer;
	struct live *l;
	struct tp_error err;
	json_t *out = NULL;
	char phone[PHONE_E164_MAX];
	int rc;

	if (ln->attempt || !ln->leg || (ln->state != LINE_READY && ln->state != LINE_WAITING))
		return;
	tp_error_clear(&err);
	/* The end of a calling block stops the dialing; the next block starts it again. */
	if (!dialing_in_block(&ln->c, app_now(d->app))) {
		line_wait(ln, say(&err, TP_MSG("outside the campaign's calling blocks: dialing resumes with the next one")));
		return;
	}
	if ((rc = app_next(d->app, ln->agent, ln->c.name, NULL, &out, &err))) {
		line_wait(ln, &err);
		return;
	}
	l = xcalloc(1, sizeof(*l));
	l->kind = OWNER_CALL;
	l->dialer = d;
	l->line = ln;
	snprintf(phone, sizeof(phone), "%s", json_string_value(json_object_get(out, "phone")) ?
		json_string_value(json_object_get(out, "phone")) : "");
	l->row.lead_id = json_integer_value(json_object_get(out, "lead_id"));
	json_decref(out);
	l->row.agent_id = ln->agent_id;
	l->row.campaign_id = ln->c.id;
	snprintf(l->row.agent, sizeof(l->row.agent), "%s", ln->agent);
	snprintf(l->row.campaign, sizeof(l->row.campaign), "%s", ln->c.name);
	snprintf(l->row.mode, sizeof(l->row.mode), "progressive");
	dial_init(&l->row.d, true);
	l->row.updated_ms = now_ms();
	snprintf(l->caller_id, sizeof(l->caller_id), "%s", ln->c.caller_id ? ln->c.caller_id : "");
	l->ring_timeout = (int)ln->c.ring_timeout_seconds;
	if (d->conf.ring_timeout > 0 && d->conf.ring_timeout < l->ring_timeout)
		l->ring_timeout = d->conf.ring_timeout;
	if (!phone[0] || sipconf_uri(&d->conf, phone, l->prospect_uri, sizeof(l->prospect_uri)) ||
	    store_dial_add(d->app->store, &l->row, &err)) {
		line_wait(ln, err.code ? &err : say(&err, TP_MSG("this number does not fit the SIP account's uri template")));
		free(l);
		return;
	}
	l->next = d->live;
	d->live = l;
	ln->attempt = l;
	ln->last_dial = l->row.id;
	line_set(ln, LINE_DIALING, NULL);
	step(l, DIAL_EV_START, 0);
}

/* The line's call placed is over: a conversation waits for the agent's outcome; anything
 * else, and the next lead is dialed. */
static void line_attempt_over(struct line *ln, struct live *l)
{
	ln->attempt = NULL;
	ln->awaiting = l->row.d.result && strcmp(l->row.d.result, "conversation") == 0;
	if (ln->state != LINE_DIALING)
		return;     /* paused or ended meanwhile: it stays so */
	if (ln->awaiting) {
		line_set(ln, LINE_WRAPUP, NULL);
		return;
	}
	if (!l->row.d.result && l->row.d.end == DIAL_END_FAILED) {
		struct tp_error e;

		line_wait(ln, say(&e, TP_MSG("the telephony refused the call: dialing again later")));
		return;
	}
	line_set(ln, LINE_READY, NULL);
	line_next(ln);
}

static void line_end(struct line *ln, const struct tp_error *why)
{
	if (ln->attempt)
		step(ln->attempt, DIAL_EV_AGENT_BYE, 0);
	sipua_timer_cancel(ln->retry);
	ln->retry = NULL;
	line_set(ln, LINE_ENDED, why);
	if (ln->leg)
		sipua_hangup(ln->leg);
	else
		line_free(ln);
}

static void on_line_leg(struct line *ln, struct sipua_leg *leg, enum sipua_event ev, int status, const char *sdp)
{
	struct live *l = ln->attempt;
	struct tp_error e;

	switch (ev) {
	case SIPUA_RINGING:
		return;
	case SIPUA_ANSWERED:
		sipua_ack(leg, NULL);
		if (ln->state == LINE_RINGING) {
			line_set(ln, LINE_READY, NULL);
			line_next(ln);
		}
		return;
	case SIPUA_FAILED:
	case SIPUA_UNREACHED:
		line_set(ln, LINE_ENDED, say(&e, TP_MSG("your phone did not answer")));
		return;
	case SIPUA_REOFFERED:
	case SIPUA_REOFFER_FAILED:
		if (l)
			agent_reoffered(l, ev == SIPUA_REOFFERED, status, sdp);
		return;
	case SIPUA_BYE:
		/* The agent hung up their phone: the line, and whatever goes on, end. */
		line_end(ln, say(&e, TP_MSG("your phone hung up")));
		return;
	case SIPUA_GONE:
		ln->leg = NULL;
		if (ln->state != LINE_ENDED)
			line_set(ln, LINE_ENDED, say(&e, TP_MSG("the line to your phone was lost")));
		if (ln->attempt)
			step(ln->attempt, DIAL_EV_AGENT_BYE, 0);
		line_free(ln);
		return;
	}
}

static struct line *find_line(struct app_dialer *d, const char *agent)
{
	for (struct line *ln = d->lines; ln; ln = ln->next)
		if (strcmp(ln->agent, agent) == 0)
			return ln;
	return NULL;
}

static void line_event(struct app_dialer *d, const char *agent, enum app_line_event e)
{
	struct line *ln = find_line(d, agent);

	if (!ln || ln->state == LINE_ENDED)
		return;
	switch (e) {
	case APP_LINE_PAUSED:
		/* The call going on goes on; no other is dialed. */
		sipua_timer_cancel(ln->retry);
		ln->retry = NULL;
		line_set(ln, LINE_PAUSED, NULL);
		return;
	case APP_LINE_RESUMED:
		/* Back to where the pause found it: a call going on, an outcome due, or free. */
		if (ln->state == LINE_PAUSED) {
			line_set(ln, ln->attempt ? LINE_DIALING : ln->awaiting ? LINE_WRAPUP : LINE_READY, NULL);
			line_next(ln);
		}
		return;
	case APP_LINE_LOGGED:
		ln->awaiting = false;
		if (ln->state == LINE_WRAPUP) {
			line_set(ln, LINE_READY, NULL);
			line_next(ln);
		}
		return;
	case APP_LINE_STOPPED:
		line_end(ln, NULL);
		return;
	}
}

static void line_start(struct app_dialer *d, struct command *c)
{
	struct line *ln = find_line(d, c->agent);

	if (ln && ln->state != LINE_ENDED)
		return;     /* one line per agent */
	struct tp_error e;

	if (ln)
		line_free(ln);
	ln = xcalloc(1, sizeof(*ln));
	ln->kind = OWNER_LINE;
	ln->dialer = d;
	ln->c = c->c;       /* taken over */
	campaign_init(&c->c);
	ln->agent_id = c->agent_id;
	snprintf(ln->agent, sizeof(ln->agent), "%s", c->agent);
	snprintf(ln->agent_uri, sizeof(ln->agent_uri), "%s", c->agent_uri);
	ln->next = d->lines;
	d->lines = ln;
	line_set(ln, LINE_RINGING, NULL);
	if (!(ln->leg = sipua_invite(d->ua, ln->agent_uri, NULL, sipua_black_hole(d->ua), ln)))
		line_set(ln, LINE_ENDED, say(&e, TP_MSG("your phone's address is not a SIP address")));
}

static void on_leg(void *arg, struct sipua_leg *leg, void *leg_arg, enum sipua_event e, int status,
	const char *phrase, const char *sdp)
{
	struct live *l = leg_arg;
	bool agent;

	(void)arg, (void)phrase;
	if (*(enum owner *)leg_arg == OWNER_LINE) {
		on_line_leg(leg_arg, leg, e, status, sdp);
		return;
	}
	agent = leg == l->agent;
	if (!agent && leg != l->prospect)
		return;
	switch (e) {
	case SIPUA_RINGING:
		if (!agent)
			step(l, DIAL_EV_PROSPECT_RINGING, status);
		return;
	case SIPUA_ANSWERED:
		if (agent) {
			sipua_ack(leg, NULL);
			step(l, DIAL_EV_AGENT_ANSWERED, status);
			return;
		}
		free(l->prospect_sdp);
		l->prospect_sdp = sdp && strlen(sdp) < SDP_MAX ? xstrdup(sdp) : NULL;
		/* A 200 without an offer cannot be joined: the prospect hears nothing. */
		step(l, DIAL_EV_PROSPECT_ANSWERED, status);
		if (!l->prospect_sdp)
			step(l, DIAL_EV_JOIN_FAILED, 488);
		return;
	case SIPUA_FAILED:
		step(l, agent ? DIAL_EV_AGENT_FAILED : DIAL_EV_PROSPECT_FAILED, status);
		return;
	case SIPUA_UNREACHED:
		step(l, agent ? DIAL_EV_AGENT_FAILED : DIAL_EV_PROSPECT_UNREACHED, status);
		return;
	case SIPUA_REOFFERED:
	case SIPUA_REOFFER_FAILED:
		if (agent)
			agent_reoffered(l, e == SIPUA_REOFFERED, status, sdp);
		return;
	case SIPUA_BYE:
		step(l, agent ? DIAL_EV_AGENT_BYE : DIAL_EV_PROSPECT_BYE, status);
		return;
	case SIPUA_GONE:
		if (agent)
			l->agent = NULL;
		else
			l->prospect = NULL;
		/* A leg gone before its end was said (a transport error): the call is over. */
		if (l->row.d.state != DIAL_ENDED)
			step(l, agent ? (l->row.d.state == DIAL_AGENT ? DIAL_EV_AGENT_FAILED : DIAL_EV_AGENT_BYE)
				: (l->row.d.answered_ms ? DIAL_EV_PROSPECT_BYE : DIAL_EV_PROSPECT_UNREACHED), 503);
		else if (!l->agent && !l->prospect)
			live_free(l);
		return;
	}
}

static struct live *find_live(struct app_dialer *d, int64_t id)
{
	for (struct live *l = d->live; l; l = l->next)
		if (l->row.id == id)
			return l;
	return NULL;
}

static void on_wake(void *arg)
{
	struct app_dialer *d = arg;
	struct command *c, *next;

	pthread_mutex_lock(&d->lock);
	c = d->queue;
	d->queue = NULL;
	d->tail = &d->queue;
	pthread_mutex_unlock(&d->lock);
	for (; c; c = next) {
		next = c->next;
		if (c->kind == CMD_LINE_START) {
			line_start(d, c);
		} else if (c->kind == CMD_LINE_EVENT) {
			line_event(d, c->agent, c->event);
		} else if (c->kind == CMD_DIAL) {
			struct live *l = xcalloc(1, sizeof(*l));

			l->kind = OWNER_CALL;
			l->dialer = d;
			l->row = c->row;
			memcpy(l->agent_uri, c->agent_uri, sizeof(l->agent_uri));
			memcpy(l->prospect_uri, c->prospect_uri, sizeof(l->prospect_uri));
			memcpy(l->caller_id, c->caller_id, sizeof(l->caller_id));
			l->ring_timeout = c->ring_timeout;
			l->next = d->live;
			d->live = l;
			step(l, DIAL_EV_START, 0);
		} else {
			struct live *l = find_live(d, c->dial_id);

			if (l)
				step(l, DIAL_EV_HANGUP, 0);
		}
		campaign_release(&c->c);
		free(c);
	}
}

static void on_registration(void *arg, int status, const char *phrase)
{
	(void)arg;
	fprintf(stderr, "dialer: registration: %d %s\n", status, phrase ? phrase : "");
}

static const struct sipua_handlers handlers = {on_leg, on_wake, on_registration};

/* The calls a stopped server left going end as interrupted, at the last time they were
 * known, and are logged once (their key) when they reached the prospect's phone. */
static int recover(struct app_dialer *d, struct tp_error *err)
{
	struct dial_row *rows;
	size_t n;
	int rc;

	if ((rc = store_dials_live(d->app->store, &rows, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct live l = {.dialer = d, .row = rows[i]};
		unsigned act = dial_step(&l.row.d, DIAL_EV_INTERRUPTED, 0, rows[i].updated_ms);

		if (act & DIAL_DO_LOG)
			log_call(&l);
		if (act & DIAL_DO_SAVE)
			save(&l);
		fprintf(stderr, "dialer: call placed %lld was going on when the server stopped: ended (%s)\n",
			(long long)l.row.id, l.row.d.result ? l.row.d.result : "no call made");
	}
	free(rows);
	return 0;
}

int app_dialer_start(struct app_dialer **out, const char *db_url, const struct sipconf *c, const char *password,
	struct tp_error *err)
{
	struct app_dialer *d = xcalloc(1, sizeof(*d));
	int rc;

	*out = NULL;
	d->conf = *c;
	d->tail = &d->queue;
	pthread_mutex_init(&d->lock, NULL);
	if ((rc = app_open(&d->app, db_url, "dialer", NULL, err)) || (rc = recover(d, err)) ||
	    (rc = sipua_start(&d->ua, c, password, &handlers, d, err))) {
		app_close(d->app);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void app_dialer_stop(struct app_dialer *d)
{
	if (!d)
		return;
	/* The user agent hangs up every line; the calls placed end as they would. */
	sipua_stop(d->ua);
	while (d->live)
		live_free(d->live);
	while (d->lines)
		line_free(d->lines);
	while (d->queue) {
		struct command *c = d->queue;

		d->queue = c->next;
		campaign_release(&c->c);
		free(c);
	}
	app_close(d->app);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

json_t *app_dialer_status(struct app_dialer *d)
{
	char phrase[128];
	int status;

	if (!d)
		return json_pack("{s:b}", "sip", 0);
	status = sipua_registration(d->ua, phrase, sizeof(phrase));
	return json_pack("{s:b,s:s,s:i,s:s,s:s}", "sip", 1, "register", status < 0 ? "off" : status == 0 ? "trying"
		: status < 300 ? "registered" : "failed", "status", status < 0 ? 0 : status, "reason", phrase,
		"local", d->conf.local);
}

/* Web threads -------------------------------------------------------------------------- */

static void submit(struct app_dialer *d, struct command *c)
{
	pthread_mutex_lock(&d->lock);
	*d->tail = c;
	d->tail = &c->next;
	pthread_mutex_unlock(&d->lock);
	sipua_wake(d->ua);
}

/* Whether the acting agent may have Telepro dial for them: an agent, a server with a SIP
 * account, and a phone to ring (*u: the agent). */
static int agent_may_dial(struct app *a, struct app_dialer *d, struct user *u, struct tp_error *err)
{
	int rc;

	if ((rc = app_require(a, APP_AGENT, "dial", err)))
		return rc;
	if (!d)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("Telepro does not dial here: the server"
			" has no SIP account (telepro serve --sip-config)"), 0);
	if ((rc = store_user_get(a->store, a->actor, u, err)))
		return rc;
	if (!u->phone[0])
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "phone", 0, TP_MSG("you have no phone for Telepro to ring:"
			" set it on the users page (telepro user set %s --phone sip:...)"), 1, a->actor);
	return 0;
}

int app_dial(struct app *a, struct app_dialer *d, int64_t lead_id, int64_t *dial_id, struct tp_error *err)
{
	struct command *cmd = NULL;
	struct campaign c;
	struct rules_consumer cons;
	struct rules_result r;
	struct lead_holder h;
	struct user u;
	int64_t when;
	int rc;

	*dial_id = 0;
	if ((rc = agent_may_dial(a, d, &u, err)))
		return rc;
	campaign_init(&c);
	/* Whose lead (an agent's own), then how its campaign dials, then the rules now. */
	if ((rc = store_lead_holder(a->store, lead_id, &h, err)) ||
	    (rc = calling_may_log(a->actor, false, lead_id, &h, app_now(a), err)) ||
	    (rc = app__lead_verdict(a, lead_id, NULL, a->actor, &c, &when, &cons, &r, err)))
		goto out;
	if (c.dialing == DIALING_MANUAL) {
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("campaign '%s' is dialed by hand"
			" (--dialing manual)"), 1, c.name);
		goto out;
	}
	if (!r.callable) {
		/* The first rule that refuses, in its own words (a message of the catalogue). */
		for (int i = 0; i < r.n; i++)
			if (!r.v[i].ok && r.v[i].fmt) {
				rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "lead", 0, r.v[i].fmt, r.v[i].nargs, r.v[i].args[0],
					r.v[i].args[1], r.v[i].args[2], r.v[i].args[3]);
				break;
			}
		if (!rc)
			rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "lead", 0, TP_MSG("this lead may not be called now"), 0);
		goto out;
	}
	cmd = xcalloc(1, sizeof(*cmd));
	campaign_init(&cmd->c);
	cmd->kind = CMD_DIAL;
	snprintf(cmd->agent_uri, sizeof(cmd->agent_uri), "%s", u.phone);
	if (sipconf_uri(&d->conf, cons.f.phone, cmd->prospect_uri, sizeof(cmd->prospect_uri))) {
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "phone", 0, TP_MSG("this number does not fit the SIP"
			" account's uri template"), 0);
		goto out;
	}
	snprintf(cmd->caller_id, sizeof(cmd->caller_id), "%s", c.caller_id ? c.caller_id : "");
	/* The campaign's ring timeout, within the account's (an operator's limit). */
	cmd->ring_timeout = (int)c.ring_timeout_seconds;
	if (d->conf.ring_timeout > 0 && d->conf.ring_timeout < cmd->ring_timeout)
		cmd->ring_timeout = d->conf.ring_timeout;
	cmd->row.lead_id = lead_id;
	cmd->row.agent_id = u.id;
	cmd->row.campaign_id = c.id;
	snprintf(cmd->row.agent, sizeof(cmd->row.agent), "%s", u.name);
	snprintf(cmd->row.campaign, sizeof(cmd->row.campaign), "%s", c.name);
	snprintf(cmd->row.mode, sizeof(cmd->row.mode), "click");
	dial_init(&cmd->row.d, false);
	cmd->row.updated_ms = now_ms();
	/* One prospect line per agent: the insert is refused while another call goes on. */
	if ((rc = store_dial_add(a->store, &cmd->row, err)))
		goto out;
	*dial_id = cmd->row.id;
	submit(d, cmd);
	cmd = NULL;
out:
	if (cmd)
		campaign_release(&cmd->c);
	free(cmd);
	campaign_release(&c);
	return rc;
}

/* The call placed dial_id, when the actor may see it: their own, or anyone's for a
 * manager or an admin. */
static int own_dial(struct app *a, int64_t dial_id, struct dial_row *r, struct tp_error *err)
{
	int rc;

	if ((rc = store_dial_get(a->store, dial_id, r, err)))
		return rc;
	if ((a->role & APP_AGENT) && strcmp(r->agent, a->actor) != 0)
		return store_dial_get(a->store, 0, r, err);     /* another's: as if there were none */
	return 0;
}

int app_dial_hangup(struct app *a, struct app_dialer *d, int64_t dial_id, struct tp_error *err)
{
	struct command *cmd;
	struct dial_row r;
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "hang up", err)) ||
	    (rc = own_dial(a, dial_id, &r, err)))
		return rc;
	if (r.d.state == DIAL_ENDED || !d)
		return 0;   /* over already: nothing to hang up */
	cmd = xcalloc(1, sizeof(*cmd));
	campaign_init(&cmd->c);
	cmd->kind = CMD_HANGUP;
	cmd->dial_id = dial_id;
	submit(d, cmd);
	return 0;
}

int app_dial_get(struct app *a, int64_t dial_id, json_t **out, struct tp_error *err)
{
	struct dial_row r;
	struct dial so_far;
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "dial", err)) ||
	    (rc = own_dial(a, dial_id, &r, err)))
		return rc;
	/* While it goes on, its ring and talk so far. */
	so_far = r.d;
	if (so_far.state != DIAL_ENDED)
		so_far.ended_ms = now_ms();
	*out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:I,s:I,s:o}", "id", (json_int_t)r.id, "lead_id",
		(json_int_t)r.lead_id, "agent", r.agent, "campaign", r.campaign, "mode", r.mode, "state",
		dial_state_name(r.d.state), "end", r.d.end ? json_string(dial_end_name(r.d.end)) : json_null(), "result",
		r.d.result ? json_string(r.d.result) : json_null(), "sip_status", r.d.status,
		"ring_seconds", (json_int_t)dial_ring_seconds(&so_far), "talk_seconds", (json_int_t)dial_talk_seconds(&so_far),
		"call_id", r.call_id ? json_integer(r.call_id) : json_null());
	/* When it started, the prospect's INVITE was sent and it ended (Unix time in
	 * milliseconds; null when not, or not yet). */
	json_object_set_new(*out, "started_ms", json_integer(r.d.started_ms));
	json_object_set_new(*out, "invited_ms", r.d.prospect_ms ? json_integer(r.d.prospect_ms) : json_null());
	json_object_set_new(*out, "ended_ms", r.d.state == DIAL_ENDED ? json_integer(r.d.ended_ms) : json_null());
	return 0;
}

/* Progressive dialing (web threads) ------------------------------------------------------ */

int app_line_start(struct app *a, struct app_dialer *d, const char *campaign, struct tp_error *err)
{
	struct command *cmd;
	struct user u;
	int rc;

	if ((rc = agent_may_dial(a, d, &u, err)))
		return rc;
	cmd = xcalloc(1, sizeof(*cmd));
	campaign_init(&cmd->c);
	if ((rc = store_campaign_settings(a->store, campaign ? campaign : "", &cmd->c, err)))
		goto out;
	if (cmd->c.dialing != DIALING_PROGRESSIVE) {
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "campaign", 0, TP_MSG("campaign '%s' does not dial"
			" progressively (--dialing progressive)"), 1, cmd->c.name);
		goto out;
	}
	cmd->kind = CMD_LINE_START;
	snprintf(cmd->agent, sizeof(cmd->agent), "%s", u.name);
	snprintf(cmd->agent_uri, sizeof(cmd->agent_uri), "%s", u.phone);
	cmd->agent_id = u.id;
	/* Said at once: the line rings from now on for whoever asks (GET /line), even before the
	 * dialer's thread takes the command (a line going on stays as it is). */
	pthread_mutex_lock(&d->lock);
	{
		struct line_view *v = NULL;

		for (size_t i = 0; i < d->nviews && !v; i++)
			if (strcmp(d->views[i].agent, u.name) == 0)
				v = &d->views[i];
		if (!v && d->nviews < LINE_VIEWS_MAX)
			v = &d->views[d->nviews++];
		if (v && (!v->agent[0] || v->state == LINE_ENDED)) {
			snprintf(v->agent, sizeof(v->agent), "%s", u.name);
			snprintf(v->campaign, sizeof(v->campaign), "%s", cmd->c.name);
			tp_error_clear(&v->why);
			v->state = LINE_RINGING;
			v->dial_id = 0;
		}
	}
	pthread_mutex_unlock(&d->lock);
	submit(d, cmd);
	return 0;
out:
	campaign_release(&cmd->c);
	free(cmd);
	return rc;
}

void app_dialer_notify(struct app_dialer *d, const char *agent, enum app_line_event e)
{
	struct command *cmd;

	if (!d || !agent)
		return;
	cmd = xcalloc(1, sizeof(*cmd));
	campaign_init(&cmd->c);
	cmd->kind = CMD_LINE_EVENT;
	cmd->event = e;
	snprintf(cmd->agent, sizeof(cmd->agent), "%s", agent);
	submit(d, cmd);
}

int app_line_get(struct app *a, struct app_dialer *d, struct app_line *out, struct tp_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->state = "none";
	if ((rc = app_require(a, APP_AGENT, "dial", err)))
		return rc;
	if (!d)
		return 0;
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->nviews; i++)
		if (strcmp(d->views[i].agent, a->actor) == 0) {
			out->state = line_names[d->views[i].state];
			snprintf(out->campaign, sizeof(out->campaign), "%s", d->views[i].campaign);
			out->dial_id = d->views[i].dial_id;
			out->why = d->views[i].why;
			break;
		}
	pthread_mutex_unlock(&d->lock);
	return 0;
}
