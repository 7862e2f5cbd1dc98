#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/campaign.h"
#include "core/xalloc.h"

static const char *const kinds[] = {"appointment", "event", "qualification", "survey", "sales", "custom"};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

void campaign_init(struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->expected_call_seconds = -1;
	c->daily_calls = -1;
	c->weekly_calls = -1;
	c->daily_appointments = -1;
	c->weekly_appointments = -1;
	c->max_attempts = 6;
	c->hourly_cost_cents = -1;
}

void campaign_release(struct campaign *c)
{
	free(c->name);
	free(c->kind);
	free(c->audience);
	free(c->timezone);
	free(c->region);
	free(c->script);
	campaign_init(c);
}

void campaign_set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

bool campaign_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

bool campaign_audience_valid(const char *audience)
{
	return audience && (strcmp(audience, "b2b") == 0 || strcmp(audience, "b2c") == 0);
}

bool campaign_timezone_valid(const char *name)
{
	char path[512];

	if (!name || !*name || name[0] == '/' || strstr(name, ".."))
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	return access(path, R_OK) == 0;
}

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
		if (len == 3 && strncmp(s, day_names[i], 3) == 0)
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

int campaign_add_blocks(struct campaign *c, const char *text, struct tp_error *err)
{
	const char *p = text, *sp = strchr(text, ' ');
	int days = 0x3E; /* Monday..Friday */
	int start, end;

	if (sp) {
		days = parse_days(text, (size_t)(sp - text));
		if (!days)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "block",
				"'%s': days are written mon-fri, mon,wed,fri or sat", text);
		p = sp + 1;
	}
	start = parse_hhmm(p, &p);
	if (start < 0 || *p != '-')
		goto bad;
	end = parse_hhmm(p + 1, &p);
	if (end < 0 || *p != '\0')
		goto bad;
	if (end <= start)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "block", "'%s': the block ends before it starts", text);
	for (int d = 0; d < 7; d++) {
		if (!(days & (1 << d)))
			continue;
		if (c->nblocks == CAMPAIGN_BLOCKS_MAX)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "block", "at most %d calling blocks a campaign",
				CAMPAIGN_BLOCKS_MAX);
		c->blocks[c->nblocks].weekday = d;
		c->blocks[c->nblocks].start_minute = start;
		c->blocks[c->nblocks].end_minute = end;
		c->nblocks++;
	}
	return 0;
bad:
	return tp_error_at(err, TP_EUSAGE, NULL, 0, "block", "'%s': expected HH:MM-HH:MM, e.g. 14:00-16:00", text);
}

void campaign_format_blocks(const struct campaign *c, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->nblocks && n < size; i++) {
		const struct calling_block *b = &c->blocks[i];

		n += snprintf(buf + n, size - n, "%s%s %02d:%02d-%02d:%02d", i ? ", " : "", day_names[b->weekday],
			b->start_minute / 60, b->start_minute % 60, b->end_minute / 60, b->end_minute % 60);
	}
}

int campaign_validate(const struct campaign *c, struct tp_error *err)
{
	if (!c->name || !*c->name)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "name", "a campaign needs a name");
	if (strlen(c->name) > 200)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "name", "at most 200 bytes");
	if (!campaign_kind_valid(c->kind))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "kind",
			"'%s': use appointment, event, qualification, survey, sales or custom",
			c->kind ? c->kind : "");
	if (!campaign_audience_valid(c->audience))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "audience", "'%s': use b2b or b2c",
			c->audience ? c->audience : "");
	if (!campaign_timezone_valid(c->timezone))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "timezone",
			"'%s': not a time zone this system knows (e.g. Europe/Paris)", c->timezone ? c->timezone : "");
	if (!c->region || strlen(c->region) != 2 || !isupper((unsigned char)c->region[0]) ||
	    !isupper((unsigned char)c->region[1]))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "region", "'%s': a two-letter country code such as FR",
			c->region ? c->region : "");
	if (c->max_attempts < 1 || c->max_attempts > 100)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "max-attempts", "between 1 and 100");
	return 0;
}
