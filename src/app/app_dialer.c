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

/* One call going on (SIP thread only). */
struct live {
	struct app_dialer *dialer;
	struct dial_row row;
	struct sipua_leg *agent, *prospect;
	struct sipua_timer *ring_timer;
	char agent_uri[256], prospect_uri[300], caller_id[32];
	int ring_timeout;
	bool hangup_asked;
	char *prospect_sdp;         /* the prospect's offer, for the agent's phone */
	struct live *next;
};

/* Work from the web's threads. */
struct command {
	enum { CMD_DIAL, CMD_HANGUP } kind;
	struct dial_row row;        /* CMD_DIAL */
	int64_t dial_id;            /* CMD_HANGUP */
	char agent_uri[256], prospect_uri[300], caller_id[32];
	int ring_timeout;
	struct command *next;
};

struct app_dialer {
	struct sipconf conf;
	struct sipua *ua;
	struct app *app;            /* the SIP thread's connection (acts as the system) */
	struct live *live;
	pthread_mutex_t lock;
	struct command *queue, **tail;
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
		l->ring_timer = sipua_timer_start(d->ua, (int64_t)l->ring_timeout * 1000, on_ring_timeout, l);
	}
	if ((act & DIAL_DO_REINVITE_AGENT) && l->agent)
		sipua_reoffer(l->agent, l->prospect_sdp);
	if ((act & (DIAL_DO_CANCEL_PROSPECT | DIAL_DO_BYE_PROSPECT)) && l->prospect)
		sipua_hangup(l->prospect);
	if ((act & DIAL_DO_END_AGENT) && l->agent)
		sipua_hangup(l->agent);
	if ((act & DIAL_DO_HOLD_AGENT) && l->agent)
		sipua_reoffer(l->agent, sipua_black_hole(d->ua));
	if (l->row.d.state == DIAL_ENDED || l->row.d.answered_ms) {
		sipua_timer_cancel(l->ring_timer);
		l->ring_timer = NULL;
	}
	/* Logged, then saved ended: whoever sees it ended sees its call. */
	if (act & DIAL_DO_LOG)
		log_call(l);
	if (act & DIAL_DO_SAVE)
		save(l);
	if (l->row.d.state == DIAL_ENDED && !l->agent && !l->prospect)
		live_free(l);
}

static void step(struct live *l, enum dial_event e, int status)
{
	run_actions(l, dial_step(&l->row.d, e, status, now_ms()));
}

static void on_leg(void *arg, struct sipua_leg *leg, void *leg_arg, enum sipua_event e, int status,
	const char *phrase, const char *sdp)
{
	struct live *l = leg_arg;
	bool agent = leg == l->agent;

	(void)arg, (void)phrase;
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
	case SIPUA_REOFFERED:
		if (!agent)
			return;
		if (l->row.d.state == DIAL_JOINING && l->prospect) {
			unsigned act = dial_step(&l->row.d, DIAL_EV_JOINED, status, now_ms());

			if (act & DIAL_DO_ACK_PROSPECT)
				sipua_ack(l->prospect, sdp);
			run_actions(l, act);
		}
		return;
	case SIPUA_REOFFER_FAILED:
		if (agent)
			step(l, DIAL_EV_JOIN_FAILED, status);
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
				: (l->row.d.answered_ms ? DIAL_EV_PROSPECT_BYE : DIAL_EV_PROSPECT_FAILED), 503);
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
		if (c->kind == CMD_DIAL) {
			struct live *l = xcalloc(1, sizeof(*l));

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
	while (d->queue) {
		struct command *c = d->queue;

		d->queue = c->next;
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
	if ((rc = app_require(a, APP_AGENT, "dial", err)))
		return rc;
	if (!d)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("Telepro does not dial here: the server"
			" has no SIP account (telepro serve --sip-config)"), 0);
	campaign_init(&c);
	/* Whose lead (an agent's own), then how its campaign dials, then the rules now. */
	if ((rc = store_lead_holder(a->store, lead_id, &h, err)) ||
	    (rc = calling_may_log(a->actor, false, lead_id, &h, app_now(a), err)) ||
	    (rc = app__lead_verdict(a, lead_id, NULL, a->actor, &c, &when, &cons, &r, err)) ||
	    (rc = store_user_get(a->store, a->actor, &u, err)))
		goto out;
	if (c.dialing == DIALING_MANUAL) {
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("campaign '%s' is dialed by hand"
			" (--dialing manual)"), 1, c.name);
		goto out;
	}
	if (!u.phone[0]) {
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "phone", 0, TP_MSG("you have no phone for Telepro to ring:"
			" set it on the users page (telepro user set %s --phone sip:...)"), 1, a->actor);
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
	return 0;
}
