#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight.h"
#include "core/scripts.h"
#include "core/stats.h"
#include "core/xalloc.h"

int script_name_check(const char *name, struct tp_error *err)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
			n = 0;
	if (n == 0 || n > SCRIPT_NAME_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "variant", 0,
			TP_MSG("'%s': a variant's name is 1 to 16 letters, digits, '-' or '_'"), 1, name);
	return 0;
}

int script_ref_parse(const char *text, char name[SCRIPT_NAME_MAX + 1], int64_t *version, struct tp_error *err)
{
	const char *at = strchr(text, '@');
	size_t len = at ? (size_t)(at - text) : strlen(text);
	char *end;

	*version = 0;
	if (len > SCRIPT_NAME_MAX)
		len = SCRIPT_NAME_MAX + 1;     /* too long: refused by the name's check */
	snprintf(name, SCRIPT_NAME_MAX + 1, "%.*s", (int)(len > SCRIPT_NAME_MAX ? SCRIPT_NAME_MAX : len), text);
	if (len > SCRIPT_NAME_MAX)
		return script_name_check(text, err);
	if (script_name_check(name, err))
		return err->code;
	if (at) {
		long long v = strtoll(at + 1, &end, 10);

		if (end == at + 1 || *end || v < 1)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "script", 0,
				TP_MSG("'%s': a script variant, or a variant and its version: B, B@2"), 1, text);
		*version = v;
	}
	return 0;
}

int script_weights_parse(const char *text, int *weights, int n, struct tp_error *err)
{
	const char *p = text;

	for (int i = 0; i < n; i++) {
		char *end;
		long w = strtol(p, &end, 10);

		if (end == p || w < 1 || w > 1000 || (i < n - 1 && *end != ',') || (i == n - 1 && *end))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "weights", 0,
				TP_MSG("'%s': one whole weight from 1 to 1000 per variant, in their order, e.g. 50,50"), 1, text);
		weights[i] = (int)w;
		p = end + 1;
	}
	return 0;
}

/* True when the lowercased ASCII of [s, s+n) holds needle. */
static bool holds(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;

		while (j < k && tolower((unsigned char)s[i + j]) == needle[j])
			j++;
		if (j == k)
			return true;
	}
	return false;
}

int script_opening_check(const char *body, struct tp_error *err)
{
	static const char *const whom[] = {"pour le compte", "de la part", "au nom de"};
	static const char *const commercial[] = {"commercial", "marchage", "prospection"};
	size_t n = strlen(body), headings = 0;
	bool for_whom = false, is_commercial = false;

	/* The opening: up to the second heading, within the first 1,000 bytes. */
	for (size_t i = 0; i < n; i++) {
		if ((i == 0 || body[i - 1] == '\n') && body[i] == '#' && ++headings == 2) {
			n = i;
			break;
		}
	}
	if (n > 1000)
		n = 1000;
	for (size_t i = 0; i < 3; i++) {
		for_whom = for_whom || holds(body, n, whom[i]);
		is_commercial = is_commercial || holds(body, n, commercial[i]);
	}
	if (!holds(body, n, "{{agent}}"))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "script", 0, TP_MSG("a consumer campaign's script opens by"
			" saying who calls ({{agent}}), for whom, and that the call is commercial (Code de la consommation,"
			" art. L.221-16): its opening lacks who calls"), 0);
	if (!for_whom)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "script", 0, TP_MSG("a consumer campaign's script opens by"
			" saying who calls ({{agent}}), for whom, and that the call is commercial (Code de la consommation,"
			" art. L.221-16): its opening lacks for whom (\"pour le compte de\")"), 0);
	if (!is_commercial)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "script", 0, TP_MSG("a consumer campaign's script opens by"
			" saying who calls ({{agent}}), for whom, and that the call is commercial (Code de la consommation,"
			" art. L.221-16): its opening does not say the call is commercial"), 0);
	return 0;
}

int64_t script_words(const char *body)
{
	int64_t words = 0;
	bool in = false, wordy = false;

	for (const unsigned char *p = (const unsigned char *)body;; p++) {
		if (!*p || isspace(*p)) {
			words += in && wordy;
			in = wordy = false;
			if (!*p)
				break;
			continue;
		}
		in = true;
		wordy = wordy || isalnum(*p) || *p >= 0x80;
	}
	return words;
}

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int script_pick(uint64_t seed, int64_t lead_id, const struct script_arm *arms, int n)
{
	uint64_t total = 0, u;

	for (int i = 0; i < n; i++)
		total += arms[i].stopped || arms[i].weight <= 0 ? 0 : (uint64_t)arms[i].weight;
	if (total == 0)
		return -1;
	/* 53 bits of the hash, uniform in [0, total). */
	u = (uint64_t)((double)(mix64(seed ^ mix64((uint64_t)lead_id)) >> 11) / 9007199254740992.0 * (double)total);
	for (int i = 0; i < n; i++) {
		uint64_t w = arms[i].stopped || arms[i].weight <= 0 ? 0 : (uint64_t)arms[i].weight;

		if (u < w)
			return i;
		u -= w;
	}
	return -1;
}

static const char *const rate_names[SCRIPT_RATE_COUNT] = {"contact_rate", "conversations_per_hour",
	"qualification_rate", "appointments_per_conversation", "relevant_appointments_per_conversation",
	"relevant_appointment_rate", "sales_per_appointment"};

const char *script_rate_name(enum script_rate r)
{
	return r >= 0 && r < SCRIPT_RATE_COUNT ? rate_names[r] : "";
}

int script_rate_parse(const char *name, enum script_rate *out, struct tp_error *err)
{
	for (int r = 0; r < SCRIPT_RATE_COUNT; r++)
		if (strcmp(name, rate_names[r]) == 0) {
			*out = (enum script_rate)r;
			return 0;
		}
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, "primary", 0, TP_MSG("'%s': contact_rate, conversations_per_hour,"
		" qualification_rate, appointments_per_conversation, relevant_appointments_per_conversation,"
		" relevant_appointment_rate or sales_per_appointment"), 1, name);
}

const char *script_trials_unit(enum script_rate r)
{
	switch (r) {
	case SCRIPT_CONTACT_RATE:
		return "calls";
	case SCRIPT_RELEVANT_APPOINTMENT_RATE:
	case SCRIPT_SALES_PER_APPOINTMENT:
		return "appointments";
	default:
		return "conversations";
	}
}

void script_rate_parts(const struct script_counts *c, enum script_rate r, int64_t *hits, int64_t *trials)
{
	switch (r) {
	case SCRIPT_CONTACT_RATE:
		*hits = c->conversations, *trials = c->calls;
		return;
	case SCRIPT_CONVERSATIONS_PER_HOUR:
		*hits = c->conversations, *trials = c->calling_seconds;
		return;
	case SCRIPT_QUALIFICATION_RATE:
		*hits = c->qualified, *trials = c->conversations;
		return;
	case SCRIPT_APPOINTMENTS_PER_CONVERSATION:
		*hits = c->appointments, *trials = c->conversations;
		return;
	case SCRIPT_RELEVANT_PER_CONVERSATION:
		*hits = c->relevant, *trials = c->conversations;
		return;
	case SCRIPT_RELEVANT_APPOINTMENT_RATE:
		*hits = c->relevant, *trials = c->rated;
		return;
	case SCRIPT_SALES_PER_APPOINTMENT:
		*hits = c->won, *trials = c->known;
		return;
	default:
		*hits = *trials = 0;
		return;
	}
}

struct kpi_interval script_rate_of(const struct script_counts *c, enum script_rate r)
{
	int64_t hits, trials;

	script_rate_parts(c, r, &hits, &trials);
	return r == SCRIPT_CONVERSATIONS_PER_HOUR ? kpi_per_hour(hits, trials) : kpi_wilson(hits, trials);
}

void script_compare_init(struct script_compare *c, int narms, enum script_rate primary)
{
	memset(c, 0, sizeof(*c));
	c->narms = narms < 0 ? 0 : narms > SCRIPT_VARIANTS_MAX ? SCRIPT_VARIANTS_MAX : narms;
	c->primary = primary;
}

void script_compare_release(struct script_compare *c)
{
	free(c->last);
	c->last = NULL;
	c->nlast = c->caplast = 0;
}

static double threshold(const struct script_compare *c)
{
	return (c->narms > 2 ? c->narms - 1 : 1) / SCRIPT_ALPHA;
}

/* The log ratio of b's rate to a's and its variance (delta method): false while either
 * has too few hits (or, for a proportion, too few misses) to be looked at. */
static bool log_ratio(const struct script_compare *c, const struct script_seq_arm *a, const struct script_seq_arm *b,
	double *theta, double *v)
{
	bool per_hour = c->primary == SCRIPT_CONVERSATIONS_PER_HOUR;

	if (a->hits < SCRIPT_MIN_HITS || b->hits < SCRIPT_MIN_HITS || a->trials <= 0 || b->trials <= 0)
		return false;
	if (!per_hour && (a->trials - a->hits < SCRIPT_MIN_HITS || b->trials - b->hits < SCRIPT_MIN_HITS))
		return false;
	*theta = log((b->hits / b->trials) / (a->hits / a->trials));
	*v = per_hour ? 1 / a->hits + 1 / b->hits
		: (1 - a->hits / a->trials) / a->hits + (1 - b->hits / b->trials) / b->hits;
	return *v > 0;
}

static void look(struct script_compare *c, int j)
{
	struct script_seq_arm *b = &c->seq[j];
	double theta, v, lambda;

	if (!log_ratio(c, &c->seq[0], b, &theta, &v))
		return;
	lambda = stats_msprt(theta, v, SCRIPT_TAU * SCRIPT_TAU);
	if (lambda > b->best_lambda)
		b->best_lambda = lambda;
	if (!b->sign && lambda >= threshold(c))
		b->sign = theta > 0 ? 1 : -1;
}

/* Seconds of calling the call took: ring, talk, and the gap since the end of the same
 * agent's previous call that day when it is under KPI_IDLE_GAP_MAX. */
static int64_t call_seconds(struct script_compare *c, const struct script_call *call)
{
	int64_t own = call->ring_seconds + call->talk_seconds, gap = 0;
	size_t i;

	if (!call->timed)
		return 0;
	for (i = 0; i < c->nlast && c->last[i].agent_id != call->agent_id; i++)
		;
	if (i == c->nlast) {
		if (c->nlast == c->caplast) {
			c->caplast = c->caplast ? 2 * c->caplast : 16;
			c->last = xrealloc(c->last, c->caplast * sizeof(*c->last));
		}
		c->nlast++;
	} else if (c->last[i].local_day == call->local_day) {
		gap = call->started_at - c->last[i].end;
		if (gap < 0 || gap > KPI_IDLE_GAP_MAX)
			gap = 0;
	}
	c->last[i].agent_id = call->agent_id;
	c->last[i].local_day = call->local_day;
	c->last[i].end = call->started_at + own;
	return own + gap;
}

void script_compare_add(struct script_compare *c, const struct script_call *call)
{
	int64_t seconds = call_seconds(c, call);
	struct script_counts *k;
	double hits = 0, trials = 0;

	if (call->arm < 0 || call->arm >= c->narms) {
		c->unassigned++;
		return;
	}
	k = &c->counts[call->arm];
	k->calls++;
	k->calling_seconds += seconds;
	if (call->conversation) {
		k->conversations++;
		k->talk_seconds += call->talk_seconds;
		k->talk_seconds_sq += call->talk_seconds * call->talk_seconds;
		k->qualified += call->qualified;
	}
	if (call->appointment) {
		k->appointments++;
		k->rated += call->relevant >= 0;
		k->relevant += call->relevant == 1;
		k->known += call->won >= 0;
		k->won += call->won == 1;
	}
	switch (c->primary) {
	case SCRIPT_CONTACT_RATE:
		trials = 1, hits = call->conversation;
		break;
	case SCRIPT_CONVERSATIONS_PER_HOUR:
		trials = (double)seconds / 3600, hits = call->conversation;
		break;
	case SCRIPT_QUALIFICATION_RATE:
		trials = call->conversation, hits = call->conversation && call->qualified;
		break;
	case SCRIPT_APPOINTMENTS_PER_CONVERSATION:
		trials = call->conversation, hits = call->appointment;
		break;
	case SCRIPT_RELEVANT_PER_CONVERSATION:
		trials = call->conversation, hits = call->appointment && call->relevant == 1;
		break;
	case SCRIPT_RELEVANT_APPOINTMENT_RATE:
		trials = call->appointment && call->relevant >= 0, hits = call->appointment && call->relevant == 1;
		break;
	case SCRIPT_SALES_PER_APPOINTMENT:
		trials = call->appointment && call->won >= 0, hits = call->appointment && call->won == 1;
		break;
	default:
		break;
	}
	if (trials <= 0 && hits <= 0)
		return;
	c->seq[call->arm].trials += trials;
	c->seq[call->arm].hits += hits;
	/* A look after every call that changed an arm's count. */
	if (call->arm == 0)
		for (int j = 1; j < c->narms; j++)
			look(c, j);
	else
		look(c, call->arm);
}

/* Trials per variant at which a true 1.25x difference of a rate p reaches the threshold,
 * on average (per hour: p unused, in conversations); -1 when p says nothing. */
static int64_t trials_to_decide(const struct script_compare *c, double p)
{
	double t = threshold(c), tau2 = SCRIPT_TAU * SCRIPT_TAU, theta = log(1.25), lo = 1, hi = 1;
	bool per_hour = c->primary == SCRIPT_CONVERSATIONS_PER_HOUR;

	if (!per_hour && (p <= 0 || p >= 1))
		return -1;
	/* v(n): two arms of n trials (per hour: n conversations each). */
#define V(n) (per_hour ? 2 / (n) : 2 * (1 - p) / ((n) * p))
	while (stats_msprt(theta, V(hi), tau2) < t) {
		lo = hi;
		hi *= 2;
		if (hi > 1e12)
			return -1;
	}
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		if (stats_msprt(theta, V(mid), tau2) < t)
			lo = mid;
		else
			hi = mid;
	}
#undef V
	return (int64_t)hi;
}

void script_verdict(const struct script_compare *c, struct script_verdict *v)
{
	int better = -1, worse = -1, closest = -1;

	*v = (struct script_verdict){.state = SCRIPT_CONTINUE, .arm = -1, .against = c->narms > 1 ? 0 : -1,
		.needed = -1};
	for (int j = 1; j < c->narms; j++) {
		const struct script_seq_arm *s = &c->seq[j];

		if (s->sign > 0 && (better < 0 || s->best_lambda > c->seq[better].best_lambda))
			better = j;
		if (s->sign < 0 && (worse < 0 || s->best_lambda > c->seq[worse].best_lambda))
			worse = j;
		if (closest < 0 || s->best_lambda > c->seq[closest].best_lambda)
			closest = j;
	}
	if (better >= 0)
		v->state = SCRIPT_DECIDED, v->arm = better;
	else if (worse >= 0)
		v->state = SCRIPT_STOP, v->arm = worse;
	else
		v->arm = closest;
	if (v->arm < 0)
		return;
	v->lambda = c->seq[v->arm].best_lambda;
	{
		const struct script_seq_arm *a = &c->seq[0], *b = &c->seq[v->arm];

		v->ratio = a->trials > 0 && b->trials > 0 && a->hits > 0 ? (b->hits / b->trials) / (a->hits / a->trials) : 0;
	}
	if (v->state != SCRIPT_CONTINUE) {
		v->needed = 0;
		return;
	}
	{
		double hits = 0, trials = 0, have = -1;
		int64_t need;

		for (int j = 0; j < c->narms; j++) {
			double n = c->primary == SCRIPT_CONVERSATIONS_PER_HOUR ? c->seq[j].hits : c->seq[j].trials;

			hits += c->seq[j].hits;
			trials += c->seq[j].trials;
			if (have < 0 || n < have)
				have = n;
		}
		need = trials > 0 ? trials_to_decide(c, hits / trials) : -1;
		v->needed = need < 0 ? -1 : need > (int64_t)have ? need - (int64_t)have : 0;
	}
}

static const char *const rate_words_fr[SCRIPT_RATE_COUNT] = {"le taux de contact", "les conversations par heure",
	"le taux de qualification", "les rendez-vous par conversation", "les rendez-vous pertinents par conversation",
	"la part de rendez-vous pertinents", "les ventes par rendez-vous"};
static const char *const rate_words_en[SCRIPT_RATE_COUNT] = {"the contact rate", "conversations per hour",
	"the qualification rate", "appointments per conversation", "relevant appointments per conversation",
	"the share of relevant appointments", "sales per appointment"};
static const char *const unit_fr[] = {"appels", "conversations", "rendez-vous"};

void script_verdict_words(const struct script_compare *c, const struct script_verdict *v, const char *const *names,
	bool french, char *buf, size_t size)
{
	const char *rate = c->primary >= 0 && c->primary < SCRIPT_RATE_COUNT ?
		(french ? rate_words_fr : rate_words_en)[c->primary] : "";
	const char *unit = script_trials_unit(c->primary);
	char ratio[32];

	if (v->arm < 0) {
		snprintf(buf, size, "%s", french ? "une seule variante : rien à comparer" : "one variant: nothing to compare");
		return;
	}
	insight_decimal(v->ratio, 2, french, ratio, sizeof(ratio));
	if (french)
		unit = unit_fr[unit[0] == 'c' && unit[1] == 'a' ? 0 : unit[0] == 'c' ? 1 : 2];
	switch (v->state) {
	case SCRIPT_DECIDED:
		snprintf(buf, size, french ? "%s : %s× %s de %s — décidé" : "%s: %s× %s of %s — decided", names[v->arm], ratio,
			rate, names[v->against]);
		return;
	case SCRIPT_STOP:
		snprintf(buf, size, french ? "arrêter %s : %s× %s de %s — moins bon" : "stop %s: %s× %s of %s — worse",
			names[v->arm], ratio, rate, names[v->against]);
		return;
	default:
		if (v->needed > 0)
			snprintf(buf, size, french ? "pas encore de différence sur %s : environ %lld %s de plus par variante"
				: "no difference yet in %s: about %lld more %s per variant", rate, (long long)v->needed, unit);
		else
			snprintf(buf, size, french ? "pas encore de différence sur %s" : "no difference yet in %s", rate);
		return;
	}
}
