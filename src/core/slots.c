#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/slots.h"

static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
/* French users write their days in French: "lun-ven 14:00-16:00" reads the same. */
static const char *const day_names_fr[] = {"dim", "lun", "mar", "mer", "jeu", "ven", "sam"};

const struct slots_hours slots_fr_consumer[SLOTS_FR_CONSUMER_N] = {{10 * 60, 13 * 60}, {14 * 60, 20 * 60}};

static int parse_hhmm(const char *s, const char **end)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	*end = s + 5;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int day_index(const char *s, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (len == 3 && (strncmp(s, day_names[i], 3) == 0 || strncmp(s, day_names_fr[i], 3) == 0))
			return i;
	return -1;
}

/* Parses "mon-fri", "mon,wed,fri", "sat" into a 7-bit set; 0 on error. */
static int parse_days(const char *s, size_t len)
{
	int set = 0;
	size_t i = 0;

	while (i < len) {
		int a = day_index(s + i, len - i >= 3 ? 3 : len - i), b;

		if (a < 0)
			return 0;
		i += 3;
		b = a;
		if (i < len && s[i] == '-') {
			b = day_index(s + i + 1, len - i - 1 >= 3 ? 3 : len - i - 1);
			if (b < 0)
				return 0;
			i += 4;
		}
		for (int d = a;; d = (d + 1) % 7) {
			set |= 1 << d;
			if (d == b)
				break;
		}
		if (i < len && s[i] != ',')
			return 0;
		if (i < len)
			i++;
	}
	return set;
}

int slots_add(struct calling_block *slots, int *n, const char *text, const char *field, struct tp_error *err)
{
	const char *p = text, *sp = strchr(text, ' ');
	int days = 0x3E; /* Monday..Friday */
	int start, end;

	if (sp) {
		days = parse_days(text, (size_t)(sp - text));
		if (!days)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0,
				TP_MSG("'%s': days are written mon-fri, mon,wed,fri or sat (lun-ven, lun,mer,ven or sam)"), 1, text);
		p = sp + 1;
	}
	start = parse_hhmm(p, &p);
	if (start < 0 || *p != '-')
		goto bad;
	end = parse_hhmm(p + 1, &p);
	if (end < 0 || *p != '\0')
		goto bad;
	if (end <= start)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': it ends before it starts"), 1, text);
	for (int d = 0; d < 7; d++) {
		if (!(days & (1 << d)))
			continue;
		if (*n == SLOTS_MAX)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("at most %s a campaign"), 1, TP_STR(SLOTS_MAX));
		slots[*n].weekday = d;
		slots[*n].start_minute = start;
		slots[*n].end_minute = end;
		(*n)++;
	}
	return 0;
bad:
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': expected HH:MM-HH:MM, e.g. 14:00-16:00"), 1,
		text);
}

/* Blocks with the same hours on consecutive days are written once: "mon-fri 14:00-16:00". */
void slots_format(const struct calling_block *b, int n, const char *sep, char *buf, size_t size)
{
	size_t len = 0;
	bool done[SLOTS_MAX] = {false};

	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++) {
		int days = 0, first = -1, last = -1;
		char daytext[64];

		if (done[i])
			continue;
		for (int j = i; j < n; j++) {
			if (!done[j] && b[j].start_minute == b[i].start_minute && b[j].end_minute == b[i].end_minute) {
				days |= 1 << b[j].weekday;
				done[j] = true;
			}
		}
		/* A run of consecutive days (Monday first) is a range, anything else a list. */
		for (int k = 1; k <= 7; k++) {
			int d = k % 7;

			if (days & (1 << d)) {
				if (first < 0)
					first = k;
				last = k;
			}
		}
		if (last - first + 1 == __builtin_popcount((unsigned)days) && last > first)
			snprintf(daytext, sizeof(daytext), "%s-%s", day_names[first % 7], day_names[last % 7]);
		else {
			size_t dl = 0;

			daytext[0] = '\0';
			for (int k = 1; k <= 7; k++)
				if (days & (1 << (k % 7)))
					dl += (size_t)snprintf(daytext + dl, sizeof(daytext) - dl, "%s%s", dl ? "," : "",
						day_names[k % 7]);
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s %02d:%02d-%02d:%02d", len ? sep : "", daytext,
			b[i].start_minute / 60, b[i].start_minute % 60, b[i].end_minute / 60, b[i].end_minute % 60);
	}
}

bool slots_in(const struct calling_block *b, int n, int weekday, int minute)
{
	for (int i = 0; i < n; i++)
		if (b[i].weekday == weekday && minute >= b[i].start_minute && minute < b[i].end_minute)
			return true;
	return false;
}

void slots_default_windows(const char *audience, struct calling_block b[SLOTS_MAX], int *n)
{
	bool consumers = audience && strcmp(audience, "b2c") == 0;

	*n = 0;
	for (int k = 0; k < (consumers ? SLOTS_FR_CONSUMER_N : 1); k++)
		for (int d = 1; d <= 5; d++)
			b[(*n)++] = consumers ? (struct calling_block){d, slots_fr_consumer[k].start_minute,
				slots_fr_consumer[k].end_minute} : (struct calling_block){d, 9 * 60, 19 * 60};
}
