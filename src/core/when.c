#include <string.h>

#include "core/date.h"
#include "core/fields.h"
#include "core/tz.h"
#include "core/when.h"

int when_day_code(enum when_known known, int day, int weekday)
{
	int month = day / 100 * 100;

	switch (known) {
	case WHEN_WEEKDAY:
		return month + WHEN_WEEKDAY_BASE + weekday;
	case WHEN_MONTH:
		return month + WHEN_MONTH_ONLY;
	default:
		return day;
	}
}

bool when_day_known(int code)
{
	return code % 100 >= 1 && code % 100 <= 31;
}

int when_weekday(int code)
{
	int d = code % 100;

	if (when_day_known(code))
		return tz_weekday(code);
	if (d >= WHEN_WEEKDAY_BASE && d < WHEN_WEEKDAY_BASE + 7)
		return d - WHEN_WEEKDAY_BASE;
	return -1;
}

enum when_known when_of(int code, int hour)
{
	if (when_day_known(code))
		return hour >= 0 ? WHEN_FULL : WHEN_DAY;
	return when_weekday(code) >= 0 ? WHEN_WEEKDAY : WHEN_MONTH;
}

int when_period_from(int day)
{
	int y = day / 10000, m = day / 100 % 100;

	if (day % 100 == 1)
		return day;
	return m == 12 ? (y + 1) * 10000 + 101 : day / 100 * 100 + 101;
}

int when_period_to(int day)
{
	int y = day / 10000, m = day / 100 % 100;

	return day % 100 == date_days_in_month(y, m) ? day / 100 * 100 + 99 : day;
}

int when_weekday_parse(const char *text)
{
	/* Monday first, as ISO numbers them; the stored weekday is 0 = Sunday. */
	static const char *const en[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	static const char *const en_full[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
	static const char *const fr[] = {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"};
	static const char *const fr_full[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
	char folded[32];

	field_fold(text, folded, sizeof(folded));
	if (folded[0] >= '1' && folded[0] <= '7' && !folded[1])
		return (folded[0] - '0') % 7;
	for (int i = 0; i < 7; i++)
		if (!strcmp(folded, en[i]) || !strcmp(folded, en_full[i]) || !strcmp(folded, fr[i]) ||
		    !strcmp(folded, fr_full[i]))
			return (i + 1) % 7;
	return -1;
}
