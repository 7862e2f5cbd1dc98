#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calling.h"
#include "core/campaign.h"
#include "core/dialing.h"
#include "core/phone.h"
#include "core/rules.h"
#include "core/slots.h"
#include "core/tz.h"
#include "core/units.h"
#include "core/xalloc.h"

static const char *const kinds[] = {"appointment", "event", "qualification", "survey", "sales", "custom"};

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
	c->hold_seconds = 900;
	c->idle_limit_seconds = 1800;
	c->rule_set = -1;
	c->ring_timeout_seconds = 25;
}

void campaign_release(struct campaign *c)
{
	free(c->name);
	free(c->kind);
	free(c->audience);
	free(c->timezone);
	free(c->region);
	free(c->script);
	free(c->caller_id);
	campaign_init(c);
}

void campaign_copy(struct campaign *dst, const struct campaign *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->kind = src->kind ? xstrdup(src->kind) : NULL;
	dst->audience = src->audience ? xstrdup(src->audience) : NULL;
	dst->timezone = src->timezone ? xstrdup(src->timezone) : NULL;
	dst->region = src->region ? xstrdup(src->region) : NULL;
	dst->script = src->script ? xstrdup(src->script) : NULL;
	dst->caller_id = src->caller_id ? xstrdup(src->caller_id) : NULL;
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
	return tz_known(name);
}

int campaign_add_blocks(struct campaign *c, const char *text, struct tp_error *err)
{
	return slots_add(c->blocks, &c->nblocks, text, "block", err);
}

int campaign_add_windows(struct campaign *c, const char *text, struct tp_error *err)
{
	return slots_add(c->windows, &c->nwindows, text, "window", err);
}

void campaign_format_slots(const struct calling_block *b, int n, char *buf, size_t size)
{
	slots_format(b, n, ", ", buf, size);
}

void campaign_format_slots_sep(const struct calling_block *b, int n, const char *sep, char *buf, size_t size)
{
	slots_format(b, n, sep, buf, size);
}


int64_t campaign_retry_seconds(const struct campaign *c, const char *result)
{
	for (int i = 0; i < c->nretry; i++)
		if (strcmp(c->retry[i].result, result) == 0)
			return c->retry[i].seconds;
	return calling_default_retry(result);
}

int campaign_set_retry(struct campaign *c, const char *text, struct tp_error *err)
{
	struct retry_rule r;
	int i;

	if (calling_parse_retry(text, r.result, sizeof(r.result), &r.seconds, err))
		return TP_EUSAGE;
	for (i = 0; i < c->nretry; i++)
		if (strcmp(c->retry[i].result, r.result) == 0)
			break;
	if (i == CAMPAIGN_RETRY_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "retry", 0, TP_MSG("too many retry rules"), 0);
	c->retry[i] = r;
	if (i == c->nretry)
		c->nretry++;
	return 0;
}

void campaign_field_labels_read(struct qual_field *f, const char *text)
{
	const char *bar = text ? strchr(text, '|') : NULL;

	f->label_fr[0] = f->label_en[0] = '\0';
	if (!text || !*text || strcmp(text, f->key) == 0)
		return;
	if (bar) {
		snprintf(f->label_fr, sizeof(f->label_fr), "%.*s", (int)(bar - text), text);
		snprintf(f->label_en, sizeof(f->label_en), "%s", bar + 1);
	} else {
		snprintf(f->label_fr, sizeof(f->label_fr), "%s", text);
		snprintf(f->label_en, sizeof(f->label_en), "%s", text);
	}
}

void campaign_field_labels_text(const struct qual_field *f, char *buf, size_t size)
{
	if (!f->label_fr[0])
		snprintf(buf, size, "%s", f->key);
	else if (strcmp(f->label_fr, f->label_en) == 0)
		snprintf(buf, size, "%s", f->label_fr);
	else
		snprintf(buf, size, "%s|%s", f->label_fr, f->label_en);
}

void campaign_format_field(const struct qual_field *f, char *buf, size_t size)
{
	char labels[200];

	campaign_field_labels_text(f, labels, sizeof(labels));
	snprintf(buf, size, "%s=%s%s%s%s%s", f->key, f->type, f->choices[0] ? ":" : "", f->choices,
		f->label_fr[0] ? ";" : "", f->label_fr[0] ? labels : "");
}

int campaign_set_field(struct campaign *c, const char *text, struct tp_error *err)
{
	static const char *const types[] = {"text", "number", "date", "yesno", "choice"};
	const char *eq = strchr(text, '='), *semi;
	struct qual_field f;
	const char *type;
	char typetext[300];
	bool known = false;
	int i;

	memset(&f, 0, sizeof(f));
	/* Its labels after a ';' ("date_projet=date;Date du projet|Project date"). */
	if (eq && (semi = strchr(eq, ';')) != NULL) {
		const char *bar = strchr(semi + 1, '|');
		size_t lf = bar ? (size_t)(bar - semi - 1) : strlen(semi + 1), le = bar ? strlen(bar + 1) : lf;

		if (lf == 0 || lf >= sizeof(f.label_fr) || le == 0 || le >= sizeof(f.label_en))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0, TP_MSG("'%s': a label has 1 to 95 bytes"), 1,
				text);
		memcpy(f.label_fr, semi + 1, lf);
		memcpy(f.label_en, bar ? bar + 1 : semi + 1, le);
		if ((size_t)(semi - text) >= sizeof(typetext))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0,
				TP_MSG("'%s': expected KEY=TYPE, e.g. effectif=number"), 1, text);
		snprintf(typetext, sizeof(typetext), "%.*s", (int)(semi - text), text);
		text = typetext;
		eq = strchr(text, '=');
	}
	if (!eq || eq == text || (size_t)(eq - text) >= sizeof(f.key))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0, TP_MSG("'%s': expected KEY=TYPE, e.g. effectif=number"), 1, text);
	memcpy(f.key, text, (size_t)(eq - text));
	type = eq + 1;
	if (strncmp(type, "choice:", 7) == 0) {
		snprintf(f.type, sizeof(f.type), "choice");
		if (snprintf(f.choices, sizeof(f.choices), "%s", type + 7) >= (int)sizeof(f.choices) || !f.choices[0])
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0, TP_MSG("'%s': choices are a|b|c, under 255 bytes"), 1, text);
		known = true;
	} else {
		for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
			if (strcmp(type, types[k]) == 0 && strcmp(type, "choice") != 0)
				known = true;
		snprintf(f.type, sizeof(f.type), "%s", type);
	}
	if (!known)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0,
			TP_MSG("'%s': the type is text, number, date, yesno or choice:a|b|c"), 1, text);
	for (i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, f.key) == 0)
			break;
	if (i == CAMPAIGN_FIELDS_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "field", 0, TP_MSG("at most %s qualification fields"), 1,
			TP_STR(CAMPAIGN_FIELDS_MAX));
	c->fields[i] = f;
	if (i == c->nfields)
		c->nfields++;
	return 0;
}

static const char *const flag_names[OUTCOME_FLAG_COUNT] = {"refusal", "final", "callback", "appointment", "sale",
	"do_not_call"};
/* The built-in outcomes every campaign has (migration 1 adds them). */
static const char *const builtin_outcomes[] = {"refused", "hot_short", "hot_medium", "hot_long", "callback",
	"appointment", "sale", "do_not_call", "not_target"};

const char *campaign_outcome_flag_name(int i)
{
	return i >= 0 && i < OUTCOME_FLAG_COUNT ? flag_names[i] : NULL;
}

/* Copies [from, to) into out (size bytes), trimmed of spaces; false when empty or too long. */
static bool copy_trimmed(const char *from, const char *to, char *out, size_t size)
{
	while (from < to && *from == ' ')
		from++;
	while (to > from && to[-1] == ' ')
		to--;
	if (to == from || (size_t)(to - from) >= size)
		return false;
	memcpy(out, from, (size_t)(to - from));
	out[to - from] = '\0';
	return true;
}

int campaign_set_outcome(struct campaign *c, const char *text, struct tp_error *err)
{
	const char *eq = strchr(text, '='), *semi, *bar, *end = text + strlen(text);
	struct outcome_def o;
	int i;

	memset(&o, 0, sizeof(o));
	if (!eq || !copy_trimmed(text, eq, o.code, sizeof(o.code)))
		goto bad;
	for (const char *p = o.code; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("'%s': a code has a-z, 0-9 and _ only"), 1,
				o.code);
	for (size_t k = 0; k < sizeof(builtin_outcomes) / sizeof(builtin_outcomes[0]); k++)
		if (strcmp(o.code, builtin_outcomes[k]) == 0)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0,
				TP_MSG("'%s' is a built-in outcome: choose another code"), 1, o.code);
	semi = strchr(eq + 1, ';');
	if (!semi)
		semi = end;
	bar = memchr(eq + 1, '|', (size_t)(semi - eq - 1));
	if (!copy_trimmed(eq + 1, bar ? bar : semi, o.label_fr, sizeof(o.label_fr)) ||
	    !copy_trimmed(bar ? bar + 1 : eq + 1, semi, o.label_en, sizeof(o.label_en)))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("'%s': a label has 1 to 95 bytes"), 1, text);
	for (const char *p = semi; p < end;) {
		const char *q;
		char flag[32];
		int f = -1;

		p++;
		q = strchr(p, ',');
		if (!q)
			q = end;
		if (!copy_trimmed(p, q, flag, sizeof(flag)))
			goto bad;
		for (int k = 0; k < OUTCOME_FLAG_COUNT; k++)
			if (strcmp(flag, flag_names[k]) == 0)
				f = k;
		if (f < 0)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0,
				TP_MSG("'%s': flags are refusal, final, callback, appointment, sale and do_not_call"), 1, flag);
		o.flags |= 1u << f;
		p = q;
	}
	if ((o.flags & OUTCOME_CALLBACK) && (o.flags & OUTCOME_APPOINTMENT))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("'%s': a callback or an appointment, not both"), 1,
			o.code);
	for (i = 0; i < c->noutcomes; i++)
		if (strcmp(c->outcomes[i].code, o.code) == 0)
			break;
	if (i == CAMPAIGN_OUTCOMES_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("at most %s outcomes of a campaign's own"), 1,
			TP_STR(CAMPAIGN_OUTCOMES_MAX));
	c->outcomes[i] = o;
	if (i == c->noutcomes)
		c->noutcomes++;
	return 0;
bad:
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0,
		TP_MSG("'%s': expected CODE=Libellé|Label;flags, e.g. already_customer=Déjà client|Already a customer;final"), 1,
		text);
}

void campaign_format_outcome(const struct outcome_def *o, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s=%s|%s", o->code, o->label_fr, o->label_en);
	const char *sep = ";";

	for (int k = 0; k < OUTCOME_FLAG_COUNT && n >= 0 && (size_t)n < size; k++) {
		if (o->flags & (1u << k)) {
			n += snprintf(buf + n, size - (size_t)n, "%s%s", sep, flag_names[k]);
			sep = ",";
		}
	}
}

const char campaign_b2c_script[] =
	"## Présentation (obligatoire)\n"
	"\n"
	"Bonjour {{civility}} {{last_name}}, je suis {{agent}}, je vous appelle pour le compte de\n"
	"**[votre société]**. Il s'agit d'un appel commercial : avez-vous quelques instants ?\n"
	"\n"
	"*Code de la consommation, art. L.221-16 : dès le début de l'appel, dire qui appelle, pour\n"
	"le compte de qui, et que l'appel est commercial.*\n"
	"\n"
	"## Découverte\n"
	"\n"
	"- …\n"
	"\n"
	"## Si la personne refuse\n"
	"\n"
	"Remercier, noter le refus (issue « Pas intéressé ») : elle ne sera pas rappelée avant 60 jours.\n"
	"Si elle demande à ne plus être appelée : issue « Ne plus appeler ».\n";

int campaign_rules(const struct campaign *c)
{
	return c->rule_set >= 0 ? c->rule_set : rules_default_for(c->audience, c->region);
}

const struct qual_field *campaign_field(const struct campaign *c, const char *key)
{
	for (int i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return &c->fields[i];
	return NULL;
}

int campaign_validate(const struct campaign *c, struct tp_error *err)
{
	if (!c->name || !*c->name)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "name", 0, TP_MSG("a campaign needs a name"), 0);
	if (strlen(c->name) > 200)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "name", 0, TP_MSG("at most 200 bytes"), 0);
	if (!campaign_kind_valid(c->kind))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "kind", 0,
			TP_MSG("'%s': use appointment, event, qualification, survey, sales or custom"), 1,
			c->kind ? c->kind : "");
	if (!campaign_audience_valid(c->audience))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "audience", 0, TP_MSG("'%s': use b2b or b2c"), 1,
			c->audience ? c->audience : "");
	if (!campaign_timezone_valid(c->timezone))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "timezone", 0,
			TP_MSG("'%s': not a time zone this system knows (e.g. Europe/Paris)"), 1,
			c->timezone ? c->timezone : "");
	if (!c->region || strlen(c->region) != 2 || !isupper((unsigned char)c->region[0]) ||
	    !isupper((unsigned char)c->region[1]))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "region", 0, TP_MSG("'%s': a two-letter country code such as FR"), 1,
			c->region ? c->region : "");
	if (c->hold_seconds < 60 || c->hold_seconds > 86400)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "hold", 0, TP_MSG("between 1m and 1d"), 0);
	if (c->idle_limit_seconds < 60 || c->idle_limit_seconds > 86400)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "idle-limit", 0, TP_MSG("between 1m and 1d"), 0);
	if (c->max_attempts < 1 || c->max_attempts > 100)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "max-attempts", 0, TP_MSG("between 1 and 100"), 0);
	/* The number it presents, under the rule of its country (core/dialing.h). */
	if (dialing_check_caller_id(c->caller_id, c->region, (enum dialing)c->dialing, NULL, err))
		return err->code;
	return 0;
}

void campaign_defaults(struct campaign *c)
{
	campaign_set_str(&c->kind, "appointment");
	campaign_set_str(&c->audience, "b2b");
	campaign_set_str(&c->timezone, "Europe/Paris");
	campaign_set_str(&c->region, "FR");
}

enum setting_id {
	S_KIND, S_AUDIENCE, S_TIMEZONE, S_REGION, S_SCRIPT, S_CALL_LENGTH, S_DAILY_CALLS, S_WEEKLY_CALLS,
	S_DAILY_APPTS, S_WEEKLY_APPTS, S_MAX_ATTEMPTS, S_HOURLY_COST, S_BLOCK, S_NO_BLOCKS, S_WINDOW, S_NO_WINDOWS,
	S_RETRY, S_FIELD, S_HOLD, S_IDLE, S_ARCHIVE, S_UNARCHIVE, S_OUTCOME, S_RULES, S_NAME, S_DIALING, S_CALLER_ID,
	S_RING_TIMEOUT,
};

static const struct {
	const char *key;
	bool takes_value;
} settings[] = {
	[S_KIND] = {"kind", true}, [S_AUDIENCE] = {"audience", true}, [S_TIMEZONE] = {"timezone", true},
	[S_REGION] = {"region", true}, [S_SCRIPT] = {"script", true}, [S_CALL_LENGTH] = {"call-length", true},
	[S_DAILY_CALLS] = {"daily-calls", true}, [S_WEEKLY_CALLS] = {"weekly-calls", true},
	[S_DAILY_APPTS] = {"daily-appointments", true}, [S_WEEKLY_APPTS] = {"weekly-appointments", true},
	[S_MAX_ATTEMPTS] = {"max-attempts", true}, [S_HOURLY_COST] = {"hourly-cost", true},
	[S_BLOCK] = {"block", true}, [S_NO_BLOCKS] = {"no-blocks", false}, [S_WINDOW] = {"window", true},
	[S_NO_WINDOWS] = {"no-windows", false}, [S_RETRY] = {"retry", true}, [S_FIELD] = {"field", true},
	[S_HOLD] = {"hold", true}, [S_IDLE] = {"idle-limit", true}, [S_ARCHIVE] = {"archive", false},
	[S_UNARCHIVE] = {"unarchive", false}, [S_OUTCOME] = {"outcome", true},
	[S_RULES] = {"rules", true}, [S_NAME] = {"name", true}, [S_DIALING] = {"dialing", true},
	[S_CALLER_ID] = {"caller-id", true}, [S_RING_TIMEOUT] = {"ring-timeout", true},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

int campaign_setting_find(const char *key, bool *takes_value)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (strcmp(settings[i].key, key) == 0) {
			if (takes_value)
				*takes_value = settings[i].takes_value;
			return (int)i;
		}
	}
	return -1;
}

const char *campaign_setting_name(int i)
{
	return i >= 0 && (size_t)i < NSETTINGS ? settings[i].key : NULL;
}

/* An objective: a whole number, 0 removes it (stored as "not set"). */
static int objective(const char *key, const char *v, int64_t *out, struct tp_error *err)
{
	char *end;
	long long n;

	if (!*v || !isdigit((unsigned char)*v) || (n = strtoll(v, &end, 10), *end) || n > 1000000)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("'%s': a whole number from 0 to 1000000 (0 removes"
			" it)"), 1, v);
	*out = n == 0 ? -1 : n;
	return 0;
}

int campaign_apply_settings(struct campaign *c, const struct campaign_setting *set, size_t n,
	struct tp_error *err)
{
	bool blocks_given = false, windows_given = false;

	for (size_t i = 0; i < n; i++) {
		bool takes_value;
		int id = campaign_setting_find(set[i].key, &takes_value);
		const char *v = set[i].value;
		const char *key = set[i].key;
		int rc = 0;

		if (id < 0)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("not a campaign setting"), 0);
		if (takes_value && !v)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("needs a value"), 0);
		switch ((enum setting_id)id) {
		case S_NAME:
			/* A new name: the calls, leads and KPIs stay the campaign's (they hold its id). */
			if (!*v || strlen(v) > 200)
				return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("a campaign's name has 1 to 200 characters"), 0);
			campaign_set_str(&c->name, v);
			break;
		case S_KIND: campaign_set_str(&c->kind, v); break;
		case S_AUDIENCE: campaign_set_str(&c->audience, v); break;
		case S_TIMEZONE: campaign_set_str(&c->timezone, v); break;
		case S_REGION: campaign_set_str(&c->region, v); break;
		case S_SCRIPT:
			if (strlen(v) > CAMPAIGN_SCRIPT_MAX)
				return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("a script has at most %s KiB"), 1,
					CAMPAIGN_SCRIPT_KIB);
			campaign_set_str(&c->script, *v ? v : NULL);
			break;
		case S_CALL_LENGTH:
			rc = units_parse_duration(v, key, 1, 86400, &c->expected_call_seconds, err);
			break;
		case S_DAILY_CALLS: rc = objective(key, v, &c->daily_calls, err); break;
		case S_WEEKLY_CALLS: rc = objective(key, v, &c->weekly_calls, err); break;
		case S_DAILY_APPTS: rc = objective(key, v, &c->daily_appointments, err); break;
		case S_WEEKLY_APPTS: rc = objective(key, v, &c->weekly_appointments, err); break;
		case S_MAX_ATTEMPTS: {
			char *end;
			long long m = isdigit((unsigned char)*v) ? strtoll(v, &end, 10) : -1;

			if (m < 1 || m > 100 || *end)
				return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("'%s': a number of calls from 1 to 100"), 1, v);
			c->max_attempts = m;
			break;
		}
		case S_HOURLY_COST:
			rc = units_parse_money(v, key, 100000000, &c->hourly_cost_cents, err);
			break;
		case S_BLOCK:
			if (!blocks_given)
				c->nblocks = 0;
			blocks_given = true;
			rc = campaign_add_blocks(c, v, err);
			break;
		case S_NO_BLOCKS: c->nblocks = 0; break;
		case S_WINDOW:
			if (!windows_given)
				c->nwindows = 0;
			windows_given = true;
			rc = campaign_add_windows(c, v, err);
			break;
		case S_NO_WINDOWS: c->nwindows = 0; break;
		case S_RETRY: rc = campaign_set_retry(c, v, err); break;
		case S_FIELD: rc = campaign_set_field(c, v, err); break;
		case S_HOLD: rc = units_parse_duration(v, key, 60, 86400, &c->hold_seconds, err); break;
		case S_IDLE: rc = units_parse_duration(v, key, 60, 86400, &c->idle_limit_seconds, err); break;
		case S_ARCHIVE: c->archived = true; break;
		case S_UNARCHIVE: c->archived = false; break;
		case S_OUTCOME: rc = campaign_set_outcome(c, v, err); break;
		case S_DIALING: {
			enum dialing d;

			if (dialing_parse(v, &d))
				return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("'%s': manual, click or progressive"), 1,
					v);
			c->dialing = (int)d;
			break;
		}
		case S_CALLER_ID: {
			char e164[PHONE_E164_MAX];
			const char *why = NULL;

			/* As typed, in the campaign's region; empty or "none" removes it. */
			if (!*v || strcmp(v, "none") == 0) {
				campaign_set_str(&c->caller_id, NULL);
				break;
			}
			if (phone_normalize(v, strlen(v), c->region ? c->region : "FR", e164, &why) != PHONE_OK)
				return tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 2, TP_MSG("'%s': %s"), 2, v,
					why ? why : TP_MSG("not a phone number"));
			campaign_set_str(&c->caller_id, e164);
			break;
		}
		case S_RING_TIMEOUT:
			rc = units_parse_duration(v, key, CAMPAIGN_RING_MIN, CAMPAIGN_RING_MAX, &c->ring_timeout_seconds, err);
			break;
		case S_RULES:
			if (strcmp(v, "default") == 0)
				c->rule_set = -1;
			else if ((c->rule_set = rules_set_of(v)) < 0)
				rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, key, 0, TP_MSG("'%s': fr-b2c, none or default (of the audience)"), 1,
					v);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}
