/* Appointments in the calendars sales people live in (docs/CALENDARS.md): .ics files and
 * each sales person's private subscription feed; core/calendar.c writes the iCalendar. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/calendar.h"
#include "core/phone.h"
#include "core/xalloc.h"

/* How far back a feed goes: older appointments are history, not the diary. */
#define CALENDAR_FEED_PAST (90 * 86400)

struct events {
	struct calendar_event *e;
	size_t n, cap;
	char **strs;                /* what the events point into */
	size_t nstrs, capstrs;
	const char *base;           /* "https://telepro.example", NULL: no link */
	bool french;
};

static const char *keep(struct events *ev, char *s)
{
	if (ev->nstrs == ev->capstrs) {
		ev->capstrs = ev->capstrs ? 2 * ev->capstrs : 64;
		ev->strs = xrealloc(ev->strs, ev->capstrs * sizeof(*ev->strs));
	}
	return ev->strs[ev->nstrs++] = s;
}

static void events_release(struct events *ev)
{
	for (size_t i = 0; i < ev->nstrs; i++)
		free(ev->strs[i]);
	free(ev->strs);
	free(ev->e);
}

/* One appointment as an event: who and where in the summary and location; the contact,
 * the number, what the agent learnt and the link to the appointments page in the text. */
static int one_event(void *ctx, const struct appointment_row *r)
{
	struct events *ev = ctx;
	struct calendar_event *e;
	struct strbuf sb;
	char shown[64];
	bool fr = ev->french;

	if (ev->n == ev->cap) {
		ev->cap = ev->cap ? 2 * ev->cap : 32;
		ev->e = xrealloc(ev->e, ev->cap * sizeof(*ev->e));
	}
	e = &ev->e[ev->n++];
	memset(e, 0, sizeof(*e));
	e->id = r->id;
	e->start = r->scheduled_at;
	e->timezone = keep(ev, xstrdup(r->timezone));
	e->cancelled = strcmp(r->status, "cancelled") == 0;
	e->sequence = r->sequence;
	e->modified = r->updated_at;
	sb_init(&sb);
	sb_addf(&sb, "%s", fr ? "RDV" : "Appointment");
	if (*r->company || *r->contact)
		sb_addf(&sb, " — %s%s%s%s", r->company, *r->company && *r->contact ? " (" : "", r->contact,
			*r->company && *r->contact ? ")" : "");
	e->summary = keep(ev, sb.buf ? sb.buf : xstrdup(""));
	if (*r->address || *r->city) {
		sb_init(&sb);
		sb_addf(&sb, "%s%s%s%s%s", r->address, *r->address && (*r->postcode || *r->city) ? ", " : "", r->postcode,
			*r->postcode && *r->city ? " " : "", r->city);
		e->location = keep(ev, sb.buf);
	}
	sb_init(&sb);
	if (*r->contact)
		sb_addf(&sb, "%s%s\n", fr ? "Contact : " : "Contact: ", r->contact);
	if (*r->company)
		sb_addf(&sb, "%s%s\n", fr ? "Société : " : "Company: ", r->company);
	if (*r->phone)
		sb_addf(&sb, "%s%s\n", fr ? "Téléphone : " : "Phone: ",
			phone_display(r->phone, r->region, shown, sizeof(shown)) == 0 ? shown : r->phone);
	sb_addf(&sb, "%s%s\n", fr ? "Campagne : " : "Campaign: ", r->campaign);
	sb_addf(&sb, "%s%s\n", fr ? "Pris par : " : "Set by: ", r->agent);
	for (size_t i = 0; i < r->nqual; i++)
		sb_addf(&sb, "%s%s%s\n", r->qual_key[i], fr ? " : " : ": ", r->qual_value[i]);
	if (*r->notes)
		sb_addf(&sb, "%s%s\n", fr ? "Notes : " : "Notes: ", r->notes);
	if (ev->base) {
		size_t size = strlen(ev->base) + 64;
		char *url = xmalloc(size);

		snprintf(url, size, "%s/appointments#appointment-%lld", ev->base, (long long)r->id);
		e->url = keep(ev, url);
		sb_addf(&sb, "%s\n", url);
	}
	e->description = keep(ev, sb.buf ? sb.buf : xstrdup(""));
	return 0;
}

static int write_ics(struct app *a, const struct appointment_filter *f, const char *name, const char *base,
	bool french, char **out, struct tp_error *err)
{
	struct events ev = {.base = base, .french = french};
	int rc;

	*out = NULL;
	if ((rc = store_appointment_list(a->store, f, one_event, &ev, err)) == 0 &&
	    !(*out = calendar_ics(ev.e, ev.n, name, "telepro", app_now(a), err)))
		rc = err->code ? err->code : TP_ERR;
	events_release(&ev);
	return rc;
}

int app_appointments_ics(struct app *a, const char *sales, const char *campaign, int64_t id, const char *base,
	bool french, char **out, struct tp_error *err)
{
	struct appointment_filter f = {sales, campaign, id, 0};
	char text[24];
	int rc;

	*out = NULL;
	if ((rc = app__appointments_scope(a, &f.sales, err)))
		return rc;
	if ((rc = write_ics(a, &f, "Telepro", base, french, out, err)) == 0 && id && !strstr(*out, "BEGIN:VEVENT")) {
		free(*out);
		*out = NULL;
		snprintf(text, sizeof(text), "%lld", (long long)id);
		rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "appointment", 0, TP_MSG("no appointment %s"), 1, text);
	}
	return rc;
}

/* The hex BLAKE2b of a feed's token: what the database keeps. */
static void token_hash(const char *token, char hex[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

int app_calendar_feed(struct app *a, const char *token, const char *base, char **out, struct tp_error *err)
{
	char hash[65], user[128], name[160];
	struct user u;
	bool found;
	int rc;

	*out = NULL;
	if (strlen(token) != 43)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, NULL, 0, TP_MSG("no such calendar"), 0);
	token_hash(token, hash);
	if ((rc = store_user_by_calendar(a->store, hash, user, sizeof(user), &found, err)))
		return rc;
	if (!found)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, NULL, 0, TP_MSG("no such calendar"), 0);
	if ((rc = store_user_get(a->store, user, &u, err)))
		return rc;
	/* The token is the credential: the feed is the sales person's own appointments. */
	snprintf(name, sizeof(name), "Telepro — %s", user);
	return write_ics(a, &(struct appointment_filter){user, NULL, 0, app_now(a) - CALENDAR_FEED_PAST}, name, base,
		strcmp(u.lang, "en") != 0, out, err);
}

int app_calendar_token(struct app *a, const char *user, bool revoke, char *token, size_t size, struct tp_error *err)
{
	struct store_who who = app_who(a);
	unsigned char raw[32];
	char hash[65];
	struct user u;
	int rc;

	if (token && size)
		token[0] = '\0';
	/* An admin, or the user for themselves. */
	if (!(a->role & APP_ADMIN) && strcmp(a->actor, user) != 0)
		return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "user", 0,
			TP_MSG("calendar: an admin, or the user for themselves"), 0);
	if ((rc = store_user_get(a->store, user, &u, err)))
		return rc;
	if (revoke)
		return store_user_calendar_set(a->store, &who, user, NULL, err);
	if (strcmp(u.role, "sales") != 0)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "user", 0,
			TP_MSG("'%s': a calendar feed is a sales person's appointments"), 1, user);
	if (size < 44)
		return tp_error_set(err, TP_ERR, "calendar token buffer too small");
	/* 256 random bits, URL-safe: the feed's address is its only key. A new one replaces
	 * the old, which stops working. */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, size, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(token, hash);
	return store_user_calendar_set(a->store, &who, user, hash, err);
}
