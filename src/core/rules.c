#include <stdarg.h>
/* The rules of the trade (rules.h, docs/RULES.md). */
#include <stdio.h>
#include <string.h>

#include "core/slots.h"
#include "core/rules.h"
#include "core/tz.h"

static const char *const set_names[] = {"none", "fr-b2c"};

int rules_set_of(const char *name)
{
	for (int i = 0; i < (int)(sizeof(set_names) / sizeof(set_names[0])); i++)
		if (name && strcmp(name, set_names[i]) == 0)
			return i;
	return -1;
}

const char *rules_set_name(int set)
{
	return set >= 0 && set < (int)(sizeof(set_names) / sizeof(set_names[0])) ? set_names[set] : "none";
}

int rules_default_for(const char *audience, const char *region)
{
	return audience && strcmp(audience, "b2c") == 0 && region && strcmp(region, "FR") == 0 ? RULES_FR_B2C : RULES_NONE;
}

/* Easter Sunday of a Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher). */
static int easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;

	return y * 10000 + month * 100 + day;
}

static int plus_days(int ymd, int days)
{
	return tz_day_from_number(tz_day_number(ymd) + days);
}

const char *rules_fr_holiday(int ymd, const struct place *where)
{
	/* Code du travail, art. L.3133-1; Alsace-Moselle: art. L.3134-13; the abolition of
	 * slavery: loi 83-550 and décret 83-1003, art. 1 as amended, one day per territory
	 * (docs/RULES.md lists them with their sources). */
	static const struct {
		int mmdd;
		const char *name;
	} fixed[] = {
		{101, "New Year's Day (1er janvier)"}, {501, "Labour Day (1er mai)"},
		{508, "Victory in Europe Day (8 mai 1945)"}, {714, "Bastille Day (14 juillet)"},
		{815, "Assumption (15 août)"}, {1101, "All Saints' Day (Toussaint)"}, {1111, "Armistice Day (11 novembre)"},
		{1225, "Christmas (Noël)"},
	};
	static const struct {
		const char *territory;
		int mmdd;
	} slavery[] = {
		{"GP", 527}, {"MF", 528}, {"MQ", 522}, {"GF", 610}, {"RE", 1220}, {"YT", 427}, {"BL", 1009},
	};
	const char *territory = where && where->country && *where->country ? where->country : "FR";
	const char *dep = where ? where->dep : "";
	int y = ymd / 10000, e = easter(y);

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (ymd % 10000 == fixed[i].mmdd)
			return fixed[i].name;
	if (ymd == plus_days(e, 1))
		return "Easter Monday (lundi de Pâques)";
	if (ymd == plus_days(e, 39))
		return "Ascension Day (Ascension)";
	if (ymd == plus_days(e, 50))
		return "Whit Monday (lundi de Pentecôte)";
	if (strcmp(territory, "FR") == 0 && (strcmp(dep, "57") == 0 || strcmp(dep, "67") == 0 || strcmp(dep, "68") == 0)) {
		if (ymd == plus_days(e, -2))
			return "Good Friday in Alsace-Moselle (Vendredi saint)";
		if (ymd % 10000 == 1226)
			return "St Stephen's Day in Alsace-Moselle (26 décembre)";
	}
	for (size_t i = 0; i < sizeof(slavery) / sizeof(slavery[0]); i++)
		if (strcmp(territory, slavery[i].territory) == 0 && ymd % 10000 == slavery[i].mmdd)
			return "Abolition of slavery (abolition de l'esclavage)";
	return NULL;
}

void rules_consumer_of(const struct rules_facts *f, const char *region, const char *campaign_zone,
	struct rules_consumer *out)
{
	out->f = *f;
	place_decide(out->f.country, out->f.postcode, out->f.phone, region, campaign_zone, &out->where);
}

static struct rule_verdict *add(struct rules_result *out, const char *rule, const char *source)
{
	if (out->n == RULES_MAX)
		out->n--;   /* never happens with the sets here; the last verdict is then overwritten */
	struct rule_verdict *v = &out->v[out->n++];

	memset(v, 0, sizeof(*v));
	v->rule = rule;
	v->source = source;
	v->ok = true;
	return v;
}

static const char *const weekdays[] = {RULES_MSG("Sunday"), RULES_MSG("Monday"), RULES_MSG("Tuesday"),
	RULES_MSG("Wednesday"), RULES_MSG("Thursday"), RULES_MSG("Friday"), RULES_MSG("Saturday")};

void rules_format(const char *fmt, const struct rule_verdict *v, char *out, size_t size)
{
	const char *args[RULES_ARGS];

	for (int i = 0; i < v->nargs && i < RULES_ARGS; i++)
		args[i] = v->args[i];
	tp_format_args(fmt, args, v->nargs, out, size);
}

/* The verdict refuses, for the reason fmt (a message id with a %s for each of the n
 * string arguments); its English text is rendered in v->reason. */
static void say(struct rule_verdict *v, const char *fmt, int n, ...)
{
	va_list ap;

	v->ok = false;
	v->fmt = fmt;
	v->nargs = n < RULES_ARGS ? n : RULES_ARGS;
	va_start(ap, n);
	for (int i = 0; i < v->nargs; i++)
		snprintf(v->args[i], sizeof(v->args[i]), "%s", va_arg(ap, const char *));
	va_end(ap);
	rules_format(fmt, v, v->reason, sizeof(v->reason));
}

const char *rules_label(const char *rule)
{
	static const struct {
		const char *rule, *label;
	} labels[] = {
		{"lead.state", RULES_MSG("The lead's state")}, {"lead.due", RULES_MSG("The lead's next call")},
		{"lead.held", RULES_MSG("Another agent's lead")}, {"opposition", RULES_MSG("Opposition lists")},
		{"campaign.windows", RULES_MSG("The campaign's calling windows")},
		{"fr.days", RULES_MSG("Days consumers are called")}, {"fr.hours", RULES_MSG("Hours consumers are called")},
		{"fr.holidays", RULES_MSG("Public holidays")}, {"fr.frequency", RULES_MSG("Calls in 30 days")},
		{"fr.refusal", RULES_MSG("After a refusal")}, {"fr.bloctel", RULES_MSG("Bloctel screening")},
		{"fr.consent", RULES_MSG("The consumer's consent")},
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].rule, rule) == 0)
			return labels[i].label;
	return rule;
}

/* Calendar days in the consumer's zone (docs/RULES.md, "Days are calendar days"): the
 * day an instant falls on, as a day number, and the instant a day begins. */
static int64_t local_day(const char *zone, int64_t t)
{
	struct tz_local l;

	tz_local(zone, t, &l);
	return tz_day_number(l.yyyymmdd);
}

static int64_t day_start(const char *zone, int64_t day)
{
	int ymd = tz_day_from_number(day);

	return tz_utc(zone, ymd / 10000, ymd / 100 % 100, ymd % 100, 0, 0, 0);
}

static void day_text(int64_t day, char buf[16])
{
	int ymd = tz_day_from_number(day);

	snprintf(buf, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* Appends the rules of set to out (which may hold verdicts already). */
static void check_set(int set, int64_t at, const struct rules_consumer *c, struct rules_result *out)
{
	static const char d223_9[] = "Code de la consommation, art. D.223-9 (décret 2022-1313)";
	const char *zone = c->where.zone;
	struct rule_verdict *v;
	struct tz_local l;
	const char *holiday;
	char from[16], until[16], hm[8], count[16], most[16];
	int64_t today;
	int minute, n;
	bool inside;

	if (set != RULES_FR_B2C)
		return;
	tz_local(zone, at, &l);
	minute = l.hour * 60 + l.minute;
	today = tz_day_number(l.yyyymmdd);

	v = add(out, "fr.days", d223_9);
	if (l.weekday == 0 || l.weekday == 6) {
		snprintf(hm, sizeof(hm), "%02d:%02d", l.hour, l.minute);
		say(v, RULES_MSG("%s %s in %s: consumers are called Monday to Friday only"), 3, weekdays[l.weekday], hm, zone);
	}
	v = add(out, "fr.hours", d223_9);
	inside = false;
	for (int k = 0; k < SLOTS_FR_CONSUMER_N; k++)
		inside = inside || (minute >= slots_fr_consumer[k].start_minute && minute < slots_fr_consumer[k].end_minute);
	if (!inside) {
		snprintf(hm, sizeof(hm), "%02d:%02d", l.hour, l.minute);
		say(v, RULES_MSG("%s in %s: consumers are called 10:00-13:00 and 14:00-20:00 only"), 2, hm, zone);
	}
	v = add(out, "fr.holidays", d223_9);
	if ((holiday = rules_fr_holiday(l.yyyymmdd, &c->where)) != NULL) {
		day_text(today, from);
		say(v, RULES_MSG("%s is a public holiday where the consumer lives: %s"), 2, from, holiday);
	}
	/* A call on day D counts in the 30 days that follow it (D + 1 .. D + 30): with four
	 * of them on days D >= today - 30, a fifth waits for the day after the fourth latest's
	 * thirtieth. */
	v = add(out, "fr.frequency", d223_9);
	n = 0;
	for (int i = 0; i < c->f.nrecent && i < RULES_CALLS_30D; i++)
		if (c->f.recent[i] <= at && local_day(zone, c->f.recent[i]) >= today - 30)
			n++;
	if (n >= RULES_CALLS_30D) {
		int64_t oldest = local_day(zone, c->f.recent[RULES_CALLS_30D - 1]);

		v->allowed_from = day_start(zone, oldest + 31);
		day_text(oldest, until);
		day_text(oldest + 31, from);
		snprintf(count, sizeof(count), "%d", n);
		snprintf(most, sizeof(most), "%d", RULES_CALLS_30D);
		say(v, RULES_MSG("%s calls or attempts to this number since %s (at most %s in 30 calendar days): the first"
			" day allowed is %s"), 4, count, until, most, from);
	}
	/* A refusal on day R: none on R + 1 .. R + 60; calls again from R + 61. */
	v = add(out, "fr.refusal", d223_9);
	if (c->f.last_refusal && c->f.last_refusal <= at) {
		int64_t refused = local_day(zone, c->f.last_refusal);

		if (today <= refused + RULES_REFUSAL_DAYS) {
			v->allowed_from = day_start(zone, refused + RULES_REFUSAL_DAYS + 1);
			day_text(refused, until);
			day_text(refused + RULES_REFUSAL_DAYS + 1, from);
			snprintf(most, sizeof(most), "%d", RULES_REFUSAL_DAYS);
			say(v, RULES_MSG("refused during a call on %s: none for %s calendar days after a refusal: the first day"
				" allowed is %s"), 3, until, most, from);
		}
	}
	/* A screening on day S is good through S + 30. */
	v = add(out, "fr.bloctel", "Code de la consommation, art. L.223-1 ff. (Bloctel)");
	if (!c->f.screened_at || c->f.screened_at < c->f.created_at) {
		say(v, RULES_MSG("the number was not screened against Bloctel since its file came in: telepro export"
			" screening, then telepro import dnc --source bloctel"), 0);
	} else if (today > local_day(zone, c->f.screened_at) + RULES_SCREENING_DAYS) {
		int64_t screened = local_day(zone, c->f.screened_at);

		day_text(screened, from);
		day_text(screened + RULES_SCREENING_DAYS, until);
		snprintf(most, sizeof(most), "%d", RULES_SCREENING_DAYS);
		say(v, RULES_MSG("the file was last screened against Bloctel on %s, good through %s (%s calendar days):"
			" screen it again"), 3, from, until, most);
	}
	v = add(out, "fr.consent", RULES_MSG("loi 2025-594, Code de la consommation, art. L.223-1 (since 2026-08-11)"));
	if (at >= RULES_CONSENT_FROM && !c->f.consent_at) {
		say(v, RULES_MSG("no recorded consent of this consumer to be called (required since 2026-08-11; import it"
			" with the file or record it at the desk)"), 0);
	}
}

static void conclude(struct rules_result *out)
{
	out->callable = true;
	for (int i = 0; i < out->n; i++)
		if (!out->v[i].ok)
			out->callable = false;
}

void rules_check(int set, int64_t at, const struct rules_consumer *c, struct rules_result *out)
{
	memset(out, 0, sizeof(*out));
	check_set(set, at, c, out);
	conclude(out);
}

void rules_explain(int set, int64_t at, const struct rules_lead *l, const struct rules_consumer *c,
	struct rules_result *out)
{
	static const char *const open_states[] = {"new", "in_progress", "callback", "hot"};
	struct rule_verdict *v;
	struct tz_local lt;
	bool open = false;
	char when[32];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(open_states) / sizeof(open_states[0]); i++)
		if (l->state && strcmp(l->state, open_states[i]) == 0)
			open = true;
	v = add(out, "lead.state", RULES_MSG("the campaign's calling rules"));
	if (!open) {
		say(v, RULES_MSG("the lead is %s: it is not called again"), 1, l->state ? l->state : "?");
	}
	v = add(out, "lead.due", RULES_MSG("the campaign's retry delays, callbacks and follow-ups"));
	if (open && l->next_call_at > at) {
		v->allowed_from = l->next_call_at;
		tz_format(l->campaign_zone, l->next_call_at, when, sizeof(when));
		say(v, RULES_MSG("its next call is due at %s"), 1, when);
	}
	v = add(out, "lead.held", RULES_MSG("the desk: a lead is given to one agent at a time"));
	if (l->held_by && l->held_until > at) {
		v->allowed_from = l->held_until;
		tz_format(l->campaign_zone, l->held_until, when, sizeof(when));
		say(v, RULES_MSG("%s holds it until %s"), 2, l->held_by, when);
	}
	v = add(out, "opposition", RULES_MSG("Code de la consommation, art. L.223-1 (Bloctel); the internal do-not-call list"));
	if (l->opposition) {
		say(v, strcmp(l->opposition, "bloctel") == 0 ? RULES_MSG("the number is on the Bloctel opposition list")
			: strcmp(l->opposition, "internal") == 0 ? RULES_MSG("the number is on the internal (do not call) opposition list")
			: RULES_MSG("the number is on the other opposition list"), 0);
	}
	v = add(out, "campaign.windows", RULES_MSG("the campaign's calling windows"));
	tz_local(l->campaign_zone, at, &lt);
	if (!slots_in(l->windows, l->nwindows, lt.weekday, lt.hour * 60 + lt.minute)) {
		snprintf(when, sizeof(when), "%02d:%02d", lt.hour, lt.minute);
		say(v, RULES_MSG("%s %s in %s is outside the campaign's calling windows"), 3, weekdays[lt.weekday], when,
			l->campaign_zone);
	}
	check_set(set, at, c, out);
	conclude(out);
}
