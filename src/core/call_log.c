#include <string.h>

#include "core/call_log.h"
#include "core/tz.h"

/* What does not need the database: times, bookings' fields, note, qualification. */
static int check_call(const struct call_input *in, const struct outcome *o, const struct campaign *c,
	struct tp_error *err)
{
	if (in->ring_seconds < 0 || in->ring_seconds > CALL_RING_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "ring", 0, TP_MSG("between 0 and %s seconds"), 1,
			TP_STR(CALL_RING_MAX));
	if (in->talk_seconds < 0 || in->talk_seconds > CALL_TALK_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "talk", 0, TP_MSG("between 0 and %s seconds"), 1,
			TP_STR(CALL_TALK_MAX));
	if (o && o->callback && !in->callback_at)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "callback-at", 0, TP_MSG("a callback needs its date and time"), 0);
	if (o && o->appointment && !in->appointment_at)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "appointment-at", 0,
			TP_MSG("an appointment needs its date and time"), 0);
	if (in->callback_at && !(o && o->callback))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "callback-at", 0,
			TP_MSG("only a callback outcome takes a callback time"), 0);
	if (in->appointment_at && !(o && o->appointment))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "appointment-at", 0,
			TP_MSG("only an appointment outcome takes an appointment time"), 0);
	if (in->note && strlen(in->note) > CALL_NOTE_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "note", 0, TP_MSG("at most %s bytes"), 1, TP_STR(CALL_NOTE_MAX));
	for (size_t i = 0; i < in->nqual; i++) {
		const struct qual_field *f = campaign_field(c, in->qual_key[i]);
		int rc;

		if (!in->qual_key[i][0] || strlen(in->qual_key[i]) > CALL_QUAL_KEY_MAX)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0, TP_MSG("a key has 1 to %s bytes"), 1,
				TP_STR(CALL_QUAL_KEY_MAX));
		if (c->nfields && !f)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "qualify", 0,
				TP_MSG("'%s' is not a qualification field of '%s'"), 2, in->qual_key[i], c->name);
		if (f && (rc = calling_check_value(f->key, f->type, f->choices, in->qual_value[i], err)))
			return rc;
	}
	return 0;
}

bool call_needs_sales(const struct call_input *in, const struct outcome *o)
{
	return in->live && o && o->appointment && in->appointment_at && !(in->sales && *in->sales);
}

int call_decide(const struct call_input *in, const struct call_facts *f, struct call_effects *e, struct tp_error *err)
{
	const struct campaign *c = f->campaign;
	const struct outcome *o = f->outcome;
	struct tz_local l;
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = calling_check_result(in->result, in->outcome, err)) || (rc = check_call(in, o, c, err)))
		return rc;
	if (in->callback_at || in->appointment_at) {
		struct calling_booking b = {0};

		b.appointment = in->appointment_at != 0;
		b.at = b.appointment ? in->appointment_at : in->callback_at;
		b.call_at = in->started_at;
		b.live = in->live;
		b.confirmed = in->confirmed;
		b.sales = in->sales;
		b.sales_available = f->sales_available;
		b.zone = c->timezone;
		b.windows = c->windows;
		b.nwindows = c->nwindows;
		b.audience = c->audience;
		if ((rc = calling_check_booking(&b, err)))
			return rc;
	}
	e->end = in->started_at + in->ring_seconds + in->talk_seconds;
	tz_local(c->timezone, in->started_at, &l);
	e->local_day = l.yyyymmdd;
	e->local_hour = l.hour;
	e->weekday = l.weekday;
	if (in->known != WHEN_FULL) {
		/* A history's call that did not say its time: its day (or month) only. */
		e->local_day = when_day_code(in->known, l.yyyymmdd, in->weekday);
		e->weekday = when_weekday(e->local_day);
		e->local_hour = -1;
	}
	e->calling_time = in->known != WHEN_FULL ? CALL_TIME_NONE : f->session_here ? CALL_TIME_SESSION : CALL_TIME_SPAN;
	/* The call's rank among its lead's calls: given by a history, else counted here. */
	e->attempt = in->attempt ? in->attempt : in->lead_id ? f->lead_attempts + 1 : -1;
	e->appointment = o && o->appointment;
	e->id_needed = e->appointment || in->nqual || in->dial_id;
	/* "Do not call me": the number joins the opposition list, for good. */
	e->opposition = o && o->do_not_call && in->lead_id;
	if (in->lead_id) {
		e->lead_update = true;
		e->lead = calling_lead_change(in->result, o, e->end, in->callback_at, (int)f->lead_attempts + 1,
			c->max_attempts, campaign_retry_seconds(c, in->result));
	}
	return 0;
}

bool call_qualified(const struct call_input *in, bool changed)
{
	return in->lead_id ? changed : in->nqual > 0;
}

void call_counts(const struct call_input *in, const struct call_facts *f, const struct call_effects *e,
	bool qualified, struct kpi_counts *delta)
{
	calling_call_counts(in->result, f->outcome, in->talk_seconds, qualified, delta);
	if (e->local_hour < 0) {
		delta->untimed_calls = delta->calls;
		delta->untimed_conversations = delta->conversations;
	}
}
