/* The rules of the trade (rules.h, docs/RULES.md). */
#include <stdio.h>
#include <string.h>

#include "core/calling.h"
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

/* The département of a French postcode: "971".."988" overseas, "57" etc. in mainland
 * France, "" when unknown. */
static void departement(const char *postcode, char out[4])
{
	out[0] = '\0';
	if (!postcode || strlen(postcode) != 5 || strspn(postcode, "0123456789") != 5)
		return;
	if (postcode[0] == '9' && (postcode[1] == '7' || postcode[1] == '8'))
		snprintf(out, 4, "%.3s", postcode);
	else
		snprintf(out, 4, "%.2s", postcode);
}

const char *rules_fr_holiday(int ymd, const char *postcode)
{
	/* Code du travail, art. L.3133-1; Alsace-Moselle: art. L.3134-13; overseas: décret
	 * 83-1003 (abolition of slavery) and loi 2011-1062 (Mayotte). */
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
		const char *dep;
		int mmdd;
	} slavery[] = {{"971", 527}, {"972", 522}, {"973", 610}, {"974", 1220}, {"976", 427}};
	int y = ymd / 10000, e = easter(y);
	char dep[4];

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (ymd % 10000 == fixed[i].mmdd)
			return fixed[i].name;
	if (ymd == plus_days(e, 1))
		return "Easter Monday (lundi de Pâques)";
	if (ymd == plus_days(e, 39))
		return "Ascension Day (Ascension)";
	if (ymd == plus_days(e, 50))
		return "Whit Monday (lundi de Pentecôte)";
	departement(postcode, dep);
	if (strcmp(dep, "57") == 0 || strcmp(dep, "67") == 0 || strcmp(dep, "68") == 0) {
		if (ymd == plus_days(e, -2))
			return "Good Friday in Alsace-Moselle (Vendredi saint)";
		if (ymd % 10000 == 1226)
			return "St Stephen's Day in Alsace-Moselle (26 décembre)";
	}
	for (size_t i = 0; i < sizeof(slavery) / sizeof(slavery[0]); i++)
		if (strcmp(dep, slavery[i].dep) == 0 && ymd % 10000 == slavery[i].mmdd)
			return "Abolition of slavery (abolition de l'esclavage)";
	return NULL;
}

const char *rules_consumer_zone(const char *country, const char *postcode, const char *fallback)
{
	static const struct {
		const char *dep, *zone;
	} overseas[] = {
		{"971", "America/Guadeloupe"}, {"972", "America/Martinique"}, {"973", "America/Cayenne"},
		{"974", "Indian/Reunion"}, {"975", "America/Miquelon"}, {"976", "Indian/Mayotte"},
		{"977", "America/St_Barthelemy"}, {"978", "America/Marigot"}, {"986", "Pacific/Wallis"},
		{"987", "Pacific/Tahiti"}, {"988", "Pacific/Noumea"},
	};
	char dep[4];

	if (!country || strcmp(country, "FR") != 0)
		return fallback;
	departement(postcode, dep);
	for (size_t i = 0; i < sizeof(overseas) / sizeof(overseas[0]); i++)
		if (strcmp(dep, overseas[i].dep) == 0)
			return overseas[i].zone;
	return "Europe/Paris";
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

static const char *const weekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

/* Appends the rules of set to out (which may hold verdicts already). */
static void check_set(int set, int64_t at, const struct rules_consumer *c, struct rules_result *out)
{
	static const char d223_9[] = "Code de la consommation, art. D.223-9 (décret 2022-1313)";
	struct rule_verdict *v;
	struct tz_local l;
	const char *holiday;
	int minute;

	if (set != RULES_FR_B2C)
		return;
	tz_local(c->zone, at, &l);
	minute = l.hour * 60 + l.minute;

	v = add(out, "fr.days", d223_9);
	if (l.weekday == 0 || l.weekday == 6) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "%s %02d:%02d in %s: consumers are called Monday to Friday only",
			weekdays[l.weekday], l.hour, l.minute, c->zone);
	}
	v = add(out, "fr.hours", d223_9);
	if (!((minute >= 600 && minute < 780) || (minute >= 840 && minute < 1200))) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "%02d:%02d in %s: consumers are called 10:00-13:00 and 14:00-20:00 only",
			l.hour, l.minute, c->zone);
	}
	v = add(out, "fr.holidays", d223_9);
	if ((holiday = rules_fr_holiday(l.yyyymmdd, c->postcode)) != NULL) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "%04d-%02d-%02d is a public holiday where the consumer lives: %s",
			l.year, l.month, l.day, holiday);
	}
	v = add(out, "fr.frequency", d223_9);
	if (c->calls_30d >= RULES_CALLS_30D) {
		v->ok = false;
		v->allowed_from = c->oldest_30d ? c->oldest_30d + 30 * 86400 : 0;
		snprintf(v->reason, sizeof(v->reason), "%d calls or attempts to this number in the last 30 days (at most %d)",
			c->calls_30d, RULES_CALLS_30D);
	}
	v = add(out, "fr.refusal", d223_9);
	if (c->last_refusal && at < c->last_refusal + RULES_REFUSAL_DAYS * 86400) {
		v->ok = false;
		v->allowed_from = c->last_refusal + RULES_REFUSAL_DAYS * 86400;
		snprintf(v->reason, sizeof(v->reason), "refused during a call %lld days ago: none for %d days after a refusal",
			(long long)((at - c->last_refusal) / 86400), RULES_REFUSAL_DAYS);
	}
	v = add(out, "fr.bloctel", "Code de la consommation, art. L.223-1 ff. (Bloctel)");
	if (!c->screened_at || c->screened_at < c->lead_created_at) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "the number was not screened against Bloctel since its file came in:"
			" telepro export screening, then telepro import dnc --source bloctel");
	} else if (at - c->screened_at > RULES_SCREENING_DAYS * 86400) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "the file was last screened against Bloctel %lld days ago (at most %d):"
			" screen it again", (long long)((at - c->screened_at) / 86400), RULES_SCREENING_DAYS);
	}
	v = add(out, "fr.consent", "loi 2025-594, Code de la consommation, art. L.223-1 (since 2026-08-11)");
	if (at >= RULES_CONSENT_FROM && !c->consent_at) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "no recorded consent of this consumer to be called (required since"
			" 2026-08-11; import it with the file or record it at the desk)");
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
	v = add(out, "lead.state", "the campaign's calling rules (docs/CALLING.md)");
	if (!open) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "the lead is %s: it is not called again", l->state ? l->state : "?");
	}
	v = add(out, "lead.due", "the campaign's retry delays, callbacks and follow-ups");
	if (open && l->next_call_at > at) {
		v->ok = false;
		v->allowed_from = l->next_call_at;
		tz_format(l->campaign_zone, l->next_call_at, when, sizeof(when));
		snprintf(v->reason, sizeof(v->reason), "its next call is due at %s", when);
	}
	v = add(out, "lead.held", "the desk: a lead is given to one agent at a time");
	if (l->held_by && l->held_until > at) {
		v->ok = false;
		v->allowed_from = l->held_until;
		tz_format(l->campaign_zone, l->held_until, when, sizeof(when));
		snprintf(v->reason, sizeof(v->reason), "%s holds it until %s", l->held_by, when);
	}
	v = add(out, "opposition", "Code de la consommation, art. L.223-1 (Bloctel); the internal do-not-call list");
	if (l->opposition) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "the number is on the %s opposition list",
			strcmp(l->opposition, "bloctel") == 0 ? "Bloctel" : strcmp(l->opposition, "internal") == 0
				? "internal (do not call)" : "other");
	}
	v = add(out, "campaign.windows", "the campaign's calling windows");
	tz_local(l->campaign_zone, at, &lt);
	if (!calling_in_blocks(l->windows, l->nwindows, lt.weekday, lt.hour * 60 + lt.minute)) {
		v->ok = false;
		snprintf(v->reason, sizeof(v->reason), "%s %02d:%02d in %s is outside the campaign's calling windows",
			weekdays[lt.weekday], lt.hour, lt.minute, l->campaign_zone);
	}
	check_set(set, at, c, out);
	conclude(out);
}
