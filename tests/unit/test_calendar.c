/* Appointments as iCalendar (core/calendar.h), read back by libical's own parser: valid
 * per RFC 5545's restrictions, each zone's VTIMEZONE once under its IANA name, each start
 * back at the same instant through that VTIMEZONE (winter, summer, overseas), text with
 * commas, semicolons and new lines unchanged, a cancelled one with its higher SEQUENCE. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "core/calendar.h"

/* 2026-12-20 09:00 UTC (10:00 in Paris, winter), 2027-07-01 08:00 UTC (10:00, summer),
 * 2026-12-21 13:00 UTC (10:00 in Cayenne, UTC-3). */
#define WINTER 1797757200
#define SUMMER 1814428800
#define CAYENNE 1797858000

static icalcomponent *event_of(icalcomponent *cal, const char *uid)
{
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (strcmp(icalcomponent_get_uid(e), uid) == 0)
			return e;
	return NULL;
}

/* The instant a VEVENT's DTSTART says, through its TZID's VTIMEZONE in cal. */
static int64_t start_of(icalcomponent *cal, icalcomponent *ev, const char *tzid)
{
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalparameter *tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	icaltimezone *z;

	assert_non_null(tz);
	assert_string_equal(icalparameter_get_tzid(tz), tzid);
	z = icalcomponent_get_timezone(cal, tzid);
	assert_non_null(z);
	return (int64_t)icaltime_as_timet_with_zone(icalproperty_get_dtstart(p), z);
}

static void test_round_trip(void **state)
{
	const struct calendar_event ev[] = {
		{1, WINTER, "Europe/Paris", "RDV — Solaire, SARL; siège", "12 rue de la Paix, 69001 Lyon",
			"Contact : Jean Martin\nNotes : rappeler; toit, sud\n", "https://telepro.example/appointments#appointment-1",
			0, 0, WINTER - 86400},
		{2, SUMMER, "Europe/Paris", "RDV — Durand", NULL, "Contact : Ana Durand\n", NULL, 1, 2, SUMMER - 3600},
		{3, CAYENNE, "America/Cayenne", "RDV — Guyane", NULL, NULL, NULL, 0, 0, 0},
	};
	struct tp_error err;
	char *text = calendar_ics(ev, 3, "Telepro — sam", "telepro", WINTER - 7 * 86400, &err);
	icalcomponent *cal, *e;
	int zones = 0;

	(void)state;
	assert_non_null(text);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	/* Valid as RFC 5545 restricts it (icalrestriction_check adds X-LIC-ERROR otherwise). */
	assert_int_equal(icalrestriction_check(cal), 1);
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	for (icalcomponent *z = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT); z;
	     z = icalcomponent_get_next_component(cal, ICAL_VTIMEZONE_COMPONENT))
		zones++;
	assert_int_equal(zones, 2);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 3);

	e = event_of(cal, "appointment-1@telepro");
	assert_non_null(e);
	assert_int_equal(start_of(cal, e, "Europe/Paris"), WINTER);
	assert_string_equal(icalcomponent_get_summary(e), "RDV — Solaire, SARL; siège");
	assert_string_equal(icalcomponent_get_location(e), "12 rue de la Paix, 69001 Lyon");
	assert_string_equal(icalcomponent_get_description(e), "Contact : Jean Martin\nNotes : rappeler; toit, sud\n");
	assert_int_equal(icalcomponent_get_status(e), ICAL_STATUS_CONFIRMED);
	assert_int_equal(icalcomponent_get_sequence(e), 0);
	assert_string_equal(icalproperty_get_url(icalcomponent_get_first_property(e, ICAL_URL_PROPERTY)),
		"https://telepro.example/appointments#appointment-1");
	/* An hour long. */
	assert_int_equal(icaltime_as_timet_with_zone(icalcomponent_get_dtend(e),
		icalcomponent_get_timezone(cal, "Europe/Paris")), WINTER + CALENDAR_EVENT_SECONDS);

	e = event_of(cal, "appointment-2@telepro");
	assert_int_equal(start_of(cal, e, "Europe/Paris"), SUMMER);
	assert_int_equal(icalcomponent_get_status(e), ICAL_STATUS_CANCELLED);
	assert_int_equal(icalcomponent_get_sequence(e), 2);

	e = event_of(cal, "appointment-3@telepro");
	assert_int_equal(start_of(cal, e, "America/Cayenne"), CAYENNE);
	assert_null(icalcomponent_get_first_property(e, ICAL_LOCATION_PROPERTY));
	icalcomponent_free(cal);
	/* The wall-clock times as written. */
	assert_non_null(strstr(text, "DTSTART;TZID=Europe/Paris:20261220T100000\r\n"));
	assert_non_null(strstr(text, "DTSTART;TZID=Europe/Paris:20270701T100000\r\n"));
	assert_non_null(strstr(text, "DTSTART;TZID=America/Cayenne:20261221T100000\r\n"));
	assert_non_null(strstr(text, "X-WR-CALNAME:Telepro — sam\r\n"));
	free(text);
}

static void test_unknown_zone(void **state)
{
	const struct calendar_event ev = {1, WINTER, "Mars/Olympus", "RDV", NULL, NULL, NULL, 0, 0, 0};
	struct tp_error err;

	(void)state;
	assert_null(calendar_ics(&ev, 1, NULL, "telepro", WINTER, &err));
	assert_int_equal(err.code, TP_EUSAGE);
	assert_string_equal(err.reason, "'Mars/Olympus': a time zone libical does not know");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_unknown_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
