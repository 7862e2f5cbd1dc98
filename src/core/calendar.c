#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "core/calendar.h"
#include "core/xalloc.h"

/* libical's built-in zones are a cache shared by every thread: one calendar at a time. */
static pthread_mutex_t ical_lock = PTHREAD_MUTEX_INITIALIZER;

static struct icaltimetype utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* A local time of zone z: the time as the zone's clock says it, with the zone's TZID, its
 * IANA name (its VTIMEZONE, in the calendar, says its rules). */
static icalproperty *local(icalproperty *(*make)(struct icaltimetype), int64_t t, icaltimezone *z,
	const char *tzid)
{
	struct icaltimetype at = icaltime_from_timet_with_zone((time_t)t, 0, z);
	icalproperty *p;

	at.zone = NULL;     /* the wall-clock time; its zone is the TZID parameter */
	p = make(at);
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

/* Zone z's rules from a year before from on, under its IANA name (libical names it with a
 * prefix of its own; calendars know "Europe/Paris"), as Outlook reads them too. */
static icalcomponent *vtimezone(icaltimezone *z, const char *tzid, int64_t from)
{
	icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
	icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);

	if (p)
		icalproperty_set_tzid(p, tzid);
	icaltimezone_truncate_vtimezone(vtz, utc(from - 366 * 86400), icaltime_null_time(), 1);
	return vtz;
}

char *calendar_ics(const struct calendar_event *events, size_t n, const char *name, const char *domain, int64_t now,
	struct tp_error *err)
{
	icalcomponent *cal;
	const char **zones = xcalloc(n + 1, sizeof(*zones));
	size_t nzones = 0;
	char *text = NULL, *out = NULL;

	pthread_mutex_lock(&ical_lock);
	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
		icalproperty_new_prodid("-//Telepro//Telepro//FR"), icalproperty_new_calscale("GREGORIAN"), (void *)0);
	if (name) {
		icalproperty *p = icalproperty_new_x(name);

		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
	}
	for (size_t i = 0; i < n; i++) {
		const struct calendar_event *e = &events[i];
		icaltimezone *z = icaltimezone_get_builtin_timezone(e->timezone);
		icalcomponent *ev;
		char uid[160];
		size_t k;

		if (!z) {
			tp_error_at(err, TP_EUSAGE, NULL, 0, "timezone", "'%s': a time zone libical does not know", e->timezone);
			goto out;
		}
		/* Each zone's rules once. */
		for (k = 0; k < nzones && strcmp(zones[k], e->timezone) != 0; k++)
			;
		if (k == nzones) {
			int64_t first = e->start;

			for (size_t j = i + 1; j < n; j++)
				if (strcmp(events[j].timezone, e->timezone) == 0 && events[j].start < first)
					first = events[j].start;
			zones[nzones++] = e->timezone;
			icalcomponent_add_component(cal, vtimezone(z, e->timezone, first));
		}
		snprintf(uid, sizeof(uid), "appointment-%lld@%s", (long long)e->id, domain);
		ev = icalcomponent_new_vevent();
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(now)));
		icalcomponent_add_property(ev, local(icalproperty_new_dtstart, e->start, z, e->timezone));
		icalcomponent_add_property(ev, local(icalproperty_new_dtend, e->start + CALENDAR_EVENT_SECONDS, z,
			e->timezone));
		icalcomponent_add_property(ev, icalproperty_new_summary(e->summary ? e->summary : ""));
		if (e->location && *e->location)
			icalcomponent_add_property(ev, icalproperty_new_location(e->location));
		if (e->description && *e->description)
			icalcomponent_add_property(ev, icalproperty_new_description(e->description));
		if (e->url && *e->url)
			icalcomponent_add_property(ev, icalproperty_new_url(e->url));
		icalcomponent_add_property(ev, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED
			: ICAL_STATUS_CONFIRMED));
		icalcomponent_add_property(ev, icalproperty_new_sequence((int)e->sequence));
		if (e->modified > 0)
			icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc(e->modified)));
		icalcomponent_add_component(cal, ev);
	}
	text = icalcomponent_as_ical_string_r(cal);
	if (text)
		out = xstrdup(text);
	else
		tp_error_set(err, TP_ERR, "libical could not write the calendar");
out:
	free(text);
	icalcomponent_free(cal);
	pthread_mutex_unlock(&ical_lock);
	free(zones);
	return out;
}
