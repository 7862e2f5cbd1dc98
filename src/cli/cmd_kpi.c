/* telepro kpi: the KPIs of DESIGN.md from the counters, as a table, JSON or CSV. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli/cli.h"
#include "core/tz.h"

static const char help[] =
	"usage: telepro kpi [--campaign NAME] [--agent NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                   [--by hour|weekday-hour|day|week|month|agent|campaign|outcome|block]\n"
	"                   [--format table|json|csv]\n"
	"\n"
	"Every KPI of the design with its denominator; each rate as value, 95% interval and n\n"
	"(Wilson for proportions, Poisson for per-hour rates, normal for the mean duration).\n"
	"Days are local days of each campaign. --by block splits inside and outside the\n"
	"campaign's calling blocks (an hour counts as inside when a block covers its first\n"
	"minute). With --campaign, progress against the daily and weekly objectives (of the\n"
	"--to day, default today) is shown too.\n"
	"JSON: {\"filter\":{...},\"totals\":{KPIS},\"groups\":[{\"key\":\"...\",KPIS}],\"objectives\":{...}}\n";

static const struct {
	const char *name;
	enum kpi_group by;
} groupings[] = {
	{"hour", KPI_BY_HOUR}, {"weekday-hour", KPI_BY_WEEKDAY_HOUR}, {"day", KPI_BY_DAY}, {"week", KPI_BY_WEEK},
	{"month", KPI_BY_MONTH}, {"agent", KPI_BY_AGENT}, {"campaign", KPI_BY_CAMPAIGN}, {"outcome", KPI_BY_OUTCOME},
	{"block", KPI_BY_BLOCK},
};

static bool parse_day(const char *text, int *day)
{
	int y, m, d, n = 0;

	if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || text[n] || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*day = y * 10000 + m * 100 + d;
	return true;
}

struct run {
	enum output_format format;
	int64_t hourly_cost_cents;
	json_t *groups;
	bool header_done;
	struct kpi_counts sum;      /* of the groups: the totals, for groupings that partition */
};

static const char *const rate_keys[] = {"calls_per_hour", "conversations_per_hour", "contact_rate",
	"appointment_rate", "appointments_per_conversation", "sales_per_appointment", "sales_per_known_appointment",
	"sales_per_conversation", "avg_conversation_seconds", "qualification_rate", "relevant_appointment_rate",
	"show_rate"};
static const char *const count_keys[] = {"calls", "conversations", "appointments", "sales", "calling_seconds",
	"talk_seconds", "hot_prospects", "callbacks", "refusals", "appointments_won", "appointments_held",
	"appointments_no_show", "amount_cents"};
#define N(a) (sizeof(a) / sizeof(a[0]))

static void csv_row(const char *key, json_t *k, bool header)
{
	if (header) {
		fputs("key", stdout);
		for (size_t i = 0; i < N(count_keys); i++)
			printf(",%s", count_keys[i]);
		for (size_t i = 0; i < N(rate_keys); i++)
			printf(",%s,%s_low,%s_high,%s_n", rate_keys[i], rate_keys[i], rate_keys[i], rate_keys[i]);
		fputs(",cost_per_appointment,cost_per_sale\r\n", stdout);
	}
	cli_csv_field(stdout, key, ',');
	for (size_t i = 0; i < N(count_keys); i++)
		printf(",%lld", (long long)json_integer_value(json_object_get(k, count_keys[i])));
	for (size_t i = 0; i < N(rate_keys); i++) {
		json_t *r = json_object_get(k, rate_keys[i]);

		if (json_is_null(json_object_get(r, "value")))
			printf(",,,,%lld", (long long)json_integer_value(json_object_get(r, "n")));
		else
			printf(",%.6f,%.6f,%.6f,%lld", json_real_value(json_object_get(r, "value")),
				json_real_value(json_object_get(r, "low")), json_real_value(json_object_get(r, "high")),
				(long long)json_integer_value(json_object_get(r, "n")));
	}
	for (int i = 0; i < 2; i++) {
		json_t *c = json_object_get(k, i ? "cost_per_sale" : "cost_per_appointment");

		if (json_is_null(c))
			fputs(",", stdout);
		else
			printf(",%.2f", json_real_value(c));
	}
	fputs("\r\n", stdout);
}

static void pct(json_t *r, char *buf, size_t size)
{
	json_t *v = json_object_get(r, "value");

	if (json_is_null(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%% [%.1f-%.1f]", 100 * json_real_value(v),
			100 * json_real_value(json_object_get(r, "low")), 100 * json_real_value(json_object_get(r, "high")));
}

static void num(json_t *r, char *buf, size_t size)
{
	json_t *v = json_object_get(r, "value");

	if (json_is_null(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f", json_real_value(v));
}

static void table_row(const char *key, json_t *k, bool header)
{
	char contact[40], appt[40], perconv[40], sales[40], cph[16], convph[16], avg[16];

	if (header)
		printf("%-16s %7s %7s %-22s %6s %-22s %-22s %5s %-22s %7s %7s %7s\n", "", "calls", "conv",
			"contact rate", "appts", "appointment rate", "appts/conversation", "sales", "sales/appointment",
			"calls/h", "conv/h", "avg s");
	pct(json_object_get(k, "contact_rate"), contact, sizeof(contact));
	pct(json_object_get(k, "appointment_rate"), appt, sizeof(appt));
	pct(json_object_get(k, "appointments_per_conversation"), perconv, sizeof(perconv));
	pct(json_object_get(k, "sales_per_appointment"), sales, sizeof(sales));
	num(json_object_get(k, "calls_per_hour"), cph, sizeof(cph));
	num(json_object_get(k, "conversations_per_hour"), convph, sizeof(convph));
	num(json_object_get(k, "avg_conversation_seconds"), avg, sizeof(avg));
	printf("%-16s %7lld %7lld %-22s %6lld %-22s %-22s %5lld %-22s %7s %7s %7s\n", key,
		(long long)json_integer_value(json_object_get(k, "calls")),
		(long long)json_integer_value(json_object_get(k, "conversations")), contact,
		(long long)json_integer_value(json_object_get(k, "appointments")), appt, perconv,
		(long long)json_integer_value(json_object_get(k, "sales")), sales, cph, convph, avg);
}

static int on_group(void *ctx, const char *key, const struct kpi_counts *c)
{
	struct run *r = ctx;
	json_t *k = kpi_json(c, r->hourly_cost_cents);

	kpi_add(&r->sum, c);
	if (r->format == FORMAT_JSON) {
		json_t *g = json_pack("{s:s}", "key", key);

		json_object_update(g, k);
		json_array_append_new(r->groups, g);
	} else if (r->format == FORMAT_CSV) {
		csv_row(key, k, !r->header_done);
	} else {
		table_row(key, k, !r->header_done);
	}
	r->header_done = true;
	json_decref(k);
	return 0;
}

/* Progress against the campaign's objectives on day (and its ISO week). */
static json_t *objectives(struct store *s, const struct campaign *c, int day, struct tp_error *err)
{
	struct kpi_filter f = {c->id, 0, day, day};
	struct kpi_counts today, week;
	int64_t n = tz_day_number(day);
	int wd = tz_weekday(day), monday = tz_day_from_number(n - (wd + 6) % 7);
	json_t *o;

	if (store_kpi_totals(s, &f, &today, err))
		return NULL;
	f.from_day = monday;
	f.to_day = tz_day_from_number(tz_day_number(monday) + 6);
	if (store_kpi_totals(s, &f, &week, err))
		return NULL;
	o = json_object();
#define OBJ(name, target, done) \
	if ((target) >= 0) \
		json_object_set_new(o, name, json_pack("{s:I,s:I,s:f}", "target", (json_int_t)(target), "done", \
			(json_int_t)(done), "progress", (double)(done) / (double)(target)));
	OBJ("daily_calls", c->daily_calls, today.calls)
	OBJ("weekly_calls", c->weekly_calls, week.calls)
	OBJ("daily_appointments", c->daily_appointments, today.appointments)
	OBJ("weekly_appointments", c->weekly_appointments, week.appointments)
#undef OBJ
	json_object_set_new(o, "day", json_sprintf("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100));
	return o;
}

int cmd_kpi(int argc, char **argv)
{
	static const struct option opts[] = {
		{"campaign", required_argument, NULL, 'c'},
		{"agent", required_argument, NULL, 'a'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"by", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *campaign = NULL, *agent = NULL, *by_name = NULL;
	struct kpi_filter f = {0};
	enum kpi_group by = KPI_BY_NONE;
	struct run r = {FORMAT_TEXT, -1, NULL, false, {0}};
	struct campaign c;
	struct kpi_counts totals;
	struct tp_error err;
	struct store *s;
	json_t *out = NULL, *filter, *t, *obj = NULL;
	int opt, rc;

	if (cli_wants_help(argc, argv))
		return cli_help(help);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': campaign = optarg; break;
		case 'a': agent = optarg; break;
		case 'f':
			if (!parse_day(optarg, &f.from_day))
				return cli_usage("kpi", "--from takes YYYY-MM-DD");
			break;
		case 't':
			if (!parse_day(optarg, &f.to_day))
				return cli_usage("kpi", "--to takes YYYY-MM-DD");
			break;
		case 'b':
			by_name = optarg;
			for (size_t i = 0; i < N(groupings); i++)
				if (strcmp(optarg, groupings[i].name) == 0)
					by = groupings[i].by;
			if (by == KPI_BY_NONE)
				return cli_usage("kpi", "--by hour|weekday-hour|day|week|month|agent|campaign|outcome|block");
			break;
		case 'o':
			if (!cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV, &r.format))
				return cli_usage("kpi", "--format table|json|csv");
			break;
		default:
			return cli_usage("kpi", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage("kpi", "unexpected argument '%s'", argv[optind]);
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	rc = 0;
	if (campaign) {
		if ((rc = store_campaign_get(s, campaign, &c, &err)))
			goto fail;
		f.campaign_id = c.id;
		r.hourly_cost_cents = c.hourly_cost_cents;
	}
	if (agent) {
		struct user u;

		if ((rc = store_user_get(s, agent, &u, &err)))
			goto fail;
		f.agent_id = u.id;
	}
	r.groups = json_array();
	/* Every grouping but outcome partitions the calls and the calling time: its groups
	 * add up to the totals (tests/unit/test_counters.c checks it), one read fewer. */
	if (by != KPI_BY_NONE && (rc = store_kpi_groups(s, &f, by, on_group, &r, &err)))
		goto fail;
	if (by == KPI_BY_NONE || by == KPI_BY_OUTCOME) {
		if ((rc = store_kpi_totals(s, &f, &totals, &err)))
			goto fail;
	} else {
		totals = r.sum;
	}
	if (r.format != FORMAT_JSON && by == KPI_BY_NONE)
		on_group(&r, "total", &totals);
	if (campaign) {
		int day = f.to_day;

		if (!day) {
			struct tz_local l;

			tz_local(c.timezone, (int64_t)time(NULL), &l);
			day = l.yyyymmdd;
		}
		if (!(obj = objectives(s, &c, day, &err))) {
			rc = err.code;
			goto fail;
		}
	}
	if (r.format == FORMAT_JSON) {
		filter = json_pack("{s:o,s:o,s:o,s:o,s:o}", "campaign", campaign ? json_string(campaign) : json_null(),
			"agent", agent ? json_string(agent) : json_null(),
			"from", f.from_day ? json_sprintf("%04d-%02d-%02d", f.from_day / 10000, f.from_day / 100 % 100,
				f.from_day % 100) : json_null(),
			"to", f.to_day ? json_sprintf("%04d-%02d-%02d", f.to_day / 10000, f.to_day / 100 % 100,
				f.to_day % 100) : json_null(),
			"by", by_name ? json_string(by_name) : json_null());
		t = kpi_json(&totals, r.hourly_cost_cents);
		out = json_pack("{s:o,s:o,s:O}", "filter", filter, "totals", t, "groups", r.groups);
		if (obj)
			json_object_set(out, "objectives", obj);
		cli_print_json(out);
	} else if (r.format == FORMAT_TEXT && by != KPI_BY_NONE) {
		on_group(&r, "total", &totals);
	}
	if (r.format == FORMAT_TEXT && obj) {
		const char *key;
		json_t *v;

		json_object_foreach(obj, key, v)
			if (json_is_object(v))
				printf("objective %s: %lld / %lld\n", key, (long long)json_integer_value(json_object_get(v, "done")),
					(long long)json_integer_value(json_object_get(v, "target")));
	}
fail:
	if (rc)
		rc = cli_fail(&err);
	json_decref(out);
	json_decref(obj);
	json_decref(r.groups);
	campaign_release(&c);
	store_close(s);
	return rc;
}
