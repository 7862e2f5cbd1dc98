#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calling.h"
#include "core/date.h"
#include "core/tz.h"
#include "core/units.h"

struct lead_change calling_lead_change(const char *result, const struct outcome *o, int64_t call_end,
	int64_t callback_at, int attempts_after, int64_t max_attempts, int64_t retry_seconds)
{
	struct lead_change c = {"in_progress", 0, false};

	if (call_result_never_retried(result)) {
		c.state = "invalid";
		return c;
	}
	if (call_result_is_conversation(result) && o) {
		if (o->do_not_call) {
			c.state = "do_not_call";
			return c;
		}
		if (o->appointment) {
			c.state = "appointment";
			return c;
		}
		if (o->refusal) {
			c.state = "refused";
			return c;
		}
		if (o->final) {
			c.state = "done";
			return c;
		}
		if (o->callback) {
			c.state = "callback";
			c.next_call_at = callback_at;
			c.callback_mine = true;
			return c;
		}
		if (o->hot) {
			c.state = "hot";
			c.next_call_at = call_end + (int64_t)o->followup_days * 86400;
			return c;
		}
	}
	if (attempts_after >= max_attempts) {
		c.state = "exhausted";
		return c;
	}
	c.next_call_at = call_end + retry_seconds;
	return c;
}

void calling_call_counts(const char *result, const struct outcome *o, int64_t talk_seconds, bool qualified,
	struct kpi_counts *d)
{
	memset(d, 0, sizeof(*d));
	d->calls = 1;
	if (!call_result_is_conversation(result))
		return;
	d->conversations = 1;
	d->talk_seconds = talk_seconds;
	d->talk_seconds_sq = talk_seconds * talk_seconds;
	d->qualified = qualified ? 1 : 0;
	if (!o)
		return;
	d->appointments = o->appointment ? 1 : 0;
	d->sales = o->sale ? 1 : 0;
	d->hot = o->hot ? 1 : 0;
	d->callbacks = o->callback ? 1 : 0;
	d->refusals = o->refusal ? 1 : 0;
}

void calling_default_windows(const char *audience, struct campaign *c)
{
	slots_default_windows(audience, c->windows, &c->nwindows);
}

int calling_check_value(const char *key, const char *type, const char *choices, const char *value,
	struct tp_error *err)
{
	if (strlen(value) > 1000)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0, TP_MSG("%s: at most 1000 bytes"), 1, key);
	if (strcmp(type, "number") == 0) {
		char *end;

		strtod(value, &end);
		if (!*value || *end)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0, TP_MSG("%s: '%s' is not a number"), 2, key, value);
	} else if (strcmp(type, "yesno") == 0) {
		if (strcmp(value, "yes") && strcmp(value, "no") && strcmp(value, "oui") && strcmp(value, "non"))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0, TP_MSG("%s: '%s': answer yes or no"), 2, key, value);
	} else if (strcmp(type, "date") == 0) {
		struct tp_error why;
		int day;

		tp_error_clear(&why);
		if (date_parse_day(value, "qualify", &day, &why))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 4, TP_MSG("%s: '%s': %s"), 3, key, why.args[0],
				why.args[1]);
	} else if (strcmp(type, "choice") == 0) {
		const char *p = choices ? choices : "";
		size_t len = strlen(value);

		while (*p) {
			const char *bar = strchr(p, '|');
			size_t l = bar ? (size_t)(bar - p) : strlen(p);

			if (l == len && strncmp(p, value, len) == 0)
				return 0;
			p += l + (bar ? 1 : 0);
		}
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0, TP_MSG("%s: '%s' is not one of %s"), 3, key, value,
			choices ? choices : "");
	}
	return 0;
}

int calling_may_log(const char *actor, bool for_anyone, int64_t lead_id, const struct lead_holder *h, int64_t at,
	struct tp_error *err)
{
	static const char *const open_states[] = {"new", "in_progress", "callback", "hot"};
	bool open = false;
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)lead_id);

	for (size_t i = 0; i < sizeof(open_states) / sizeof(open_states[0]); i++)
		open = open || strcmp(h->state, open_states[i]) == 0;
	if (!open)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "lead", 2, TP_MSG("lead %s is closed (%s): no call is logged on it"),
			2, id, h->state);
	if (for_anyone)
		return 0;
	if (h->held_by[0] && strcmp(h->held_by, actor) != 0 && h->held_until > at)
		return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "lead", 0, TP_MSG("lead %s is held by %s: an agent logs calls"
			" on the lead they hold"), 2, id, h->held_by);
	if (strcmp(h->held_by, actor) == 0 || strcmp(h->callback_agent, actor) == 0)
		return 0;
	if (h->callback_agent[0])
		return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "lead", 0, TP_MSG("lead %s is %s's callback: an agent logs"
			" calls on the lead they hold or their own callbacks"), 2, id, h->callback_agent);
	return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "lead", 0, TP_MSG("lead %s is not yours: take it with 'next'"
		" (the desk) before logging a call on it"), 1, id);
}

int calling_check_result(const char *result, const char *outcome, struct tp_error *err)
{
	if (!call_result_valid(result))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "result", 0, TP_MSG("'%s': one of %s"), 2, result ? result : "", CALL_RESULTS);
	if (call_result_is_conversation(result) && (!outcome || !*outcome))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("a conversation needs an outcome"), 0);
	if (!call_result_is_conversation(result) && outcome && *outcome)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 2, TP_MSG("only a conversation has an outcome (result %s)"), 1,
			result);
	return 0;
}

int calling_check_booking(const struct calling_booking *b, struct tp_error *err)
{
	const char *field = b->appointment ? "appointment-at" : "callback-at";
	struct calling_block defaults[SLOTS_MAX];
	int ndefaults = 0;
	struct tz_local l;
	bool inside;
	char when[32];

	if (b->at <= b->call_at)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, b->appointment ? TP_MSG("the appointment must be after"
			" the call") : TP_MSG("the callback must be after the call"), 0);
	if (!b->live)
		return 0;
	if (b->appointment && b->sales_available && !(b->sales && *b->sales))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "sales", 0, TP_MSG("choose the sales person who will hold the"
			" appointment"), 0);
	if (b->confirmed)
		return 0;
	tz_local(b->zone, b->at, &l);
	if (b->nwindows == 0)
		slots_default_windows(b->audience, defaults, &ndefaults);
	inside = b->nwindows ? slots_in(b->windows, b->nwindows, l.weekday, l.hour * 60 + l.minute)
		: slots_in(defaults, ndefaults, l.weekday, l.hour * 60 + l.minute);
	if (inside)
		return 0;
	tz_format(b->zone, b->at, when, sizeof(when));
	return tp_error_msg(err, TP_ECONFIRM, NULL, 0, field, 0, TP_MSG("%s is outside the campaign's calling hours:"
		" confirm to keep it"), 1, when);
}
