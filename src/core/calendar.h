#ifndef TP_CALENDAR_H
#define TP_CALENDAR_H
/*
 * Appointments as iCalendar (RFC 5545; docs/CALENDARS.md): what a sales person's calendar
 * (Outlook, Google Calendar, Thunderbird) reads from a downloaded .ics or a subscription
 * feed. Written by libical (Debian's libical-dev): one VEVENT per appointment, its start
 * in the campaign's zone with that zone's VTIMEZONE, a stable UID, and a SEQUENCE that goes
 * up each time the appointment changes, so that a subscriber updates (or cancels) the
 * event it has instead of adding one. Text work, no I/O.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CALENDAR_EVENT_SECONDS 3600     /* an appointment's length in calendars */

struct calendar_event {
	int64_t id;                 /* the appointment's: its UID is appointment-ID@DOMAIN */
	int64_t start;              /* UTC seconds */
	const char *timezone;       /* the campaign's (IANA) */
	const char *summary;        /* "RDV Société X — Jean Martin" */
	const char *location;       /* the address, NULL when none */
	const char *description;    /* contact, phone, the agent's notes... */
	const char *url;            /* the appointment's page, NULL when not known */
	int cancelled;              /* STATUS:CANCELLED */
	int64_t sequence;           /* its changes so far */
	int64_t modified;           /* UTC seconds of its last change */
};

/* The calendar of events[0..n) as text (the caller frees it); name: the calendar's name
 * (X-WR-CALNAME), domain: the UIDs' right side. NULL with TP_EUSAGE when a time zone is
 * unknown. */
char *calendar_ics(const struct calendar_event *events, size_t n, const char *name, const char *domain, int64_t now,
	struct tp_error *err);

#endif
