#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"

/* Writes a duration the way users write them (the largest unit that divides it). */
static void duration_text(int64_t s, char *buf, size_t size)
{
	if (s >= 86400 && s % 86400 == 0)
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
	else if (s >= 3600 && s % 3600 == 0)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, size, "%llds", (long long)s);
}

int units_parse_duration(const char *text, const char *field, int64_t min, int64_t max, int64_t *seconds,
	struct tp_error *err)
{
	const char *p = text ? text : "";
	int64_t v = 0, mult = 1;
	char lo[32], hi[32], shown[48];
	int ndigits = 0;

	for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
		if (v > (INT64_C(1) << 40))
			goto range;
		v = v * 10 + (*p - '0');
	}
	if (ndigits == 0)
		goto bad;
	switch (*p) {
	case '\0': break;
	case 's': p++; break;
	case 'm': mult = 60; p++; break;
	case 'h': mult = 3600; p++; break;
	case 'd': mult = 86400; p++; break;
	default: goto bad;
	}
	if (*p)
		goto bad;
	v *= mult;
	if (v < min || v > max)
		goto range;
	*seconds = v;
	return 0;
bad:
	snprintf(shown, sizeof(shown), "%.40s", text ? text : "");
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0,
		TP_MSG("'%s': expected a duration such as 90 (seconds), 90s, 15m, 2h or 3d"), 1, shown);
range:
	duration_text(min, lo, sizeof(lo));
	duration_text(max, hi, sizeof(hi));
	snprintf(shown, sizeof(shown), "%.40s", text);
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': the duration must be from %s to %s"), 3, shown,
		lo, hi);
}

int units_parse_money(const char *text, const char *field, int64_t max_cents, int64_t *cents, struct tp_error *err)
{
	const char *p = text ? text : "";
	int64_t units = 0, frac = 0;
	int ndigits = 0, nfrac = 0;
	bool group = false;
	char shown[48], most[32];

	for (; (*p >= '0' && *p <= '9') || (*p == ' ' && ndigits > 0 && p[1] >= '0' && p[1] <= '9'); p++) {
		if (*p == ' ') {
			group = true;
			continue;
		}
		if (units > max_cents)
			goto range;
		units = units * 10 + (*p - '0');
		ndigits++;
	}
	if (ndigits == 0)
		goto bad;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			if (nfrac == 2)
				goto decimals;
			frac = frac * 10 + (*p - '0');
		}
		if (nfrac == 0)
			goto bad;
	}
	if (*p || (group && ndigits < 4))
		goto bad;
	if (units > max_cents / 100)
		goto range;
	*cents = units * 100 + (nfrac == 1 ? frac * 10 : frac);
	if (*cents > max_cents)
		goto range;
	return 0;
bad:
	snprintf(shown, sizeof(shown), "%.40s", text ? text : "");
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': expected an amount in euros, e.g. 4800 or"
		" 4800,50"), 1, shown);
decimals:
	snprintf(shown, sizeof(shown), "%.40s", text);
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': at most two decimals (cents)"), 1, shown);
range:
	snprintf(shown, sizeof(shown), "%.40s", text);
	snprintf(most, sizeof(most), "%lld", (long long)(max_cents / 100));
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': at most %s euros"), 2, shown, most);
}
