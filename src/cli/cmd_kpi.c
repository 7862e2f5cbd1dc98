/* telepro kpi: the KPIs of docs/KPI.md from the counters, as a table, JSON or CSV. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char usage[] =
	"usage: telepro kpi [--campaign NAME] [--agent NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                   [--by hour|weekday|weekday-hour|day|week|month|agent|campaign|outcome|block|dialing]\n"
	"                   [--format table|json|csv|xlsx] [--output FILE] [--excel]\n";
static const char about[] =
	"Every KPI of the design with its denominator; each rate as value, 95% interval and n\n"
	"(Wilson for proportions, Poisson for per-hour rates, normal for the mean duration).\n"
	"Days are local days of each campaign. --by block splits inside and outside the\n"
	"campaign's calling blocks (an hour counts as inside when a block covers its first\n"
	"minute). With --campaign, progress against the daily and weekly objectives (of the\n"
	"--to day, default today) is shown too. --by dialing: how the calls were dialed\n"
	"(manual, click, progressive), each with its calls, share connected, mean ring, talk and\n"
	"idle time between calls, and calls per busy hour (docs/KPI.md).\n"
	"JSON: {\"filter\":{...},\"totals\":{KPIS},\"groups\":[{\"key\":\"...\",KPIS}],\"objectives\":{...}}\n"
	"xlsx: a workbook for Excel (--output FILE required): numbers as numbers, rates as\n"
	"percentages, the header frozen and filtered. --excel: CSV as French Excel opens it\n"
	"(';', UTF-8 with its BOM, decimal comma).\n";

static const char *const rate_keys[] = {"calls_per_hour", "conversations_per_hour", "contact_rate",
	"appointment_rate", "appointments_per_conversation", "sales_per_appointment", "sales_per_known_appointment",
	"sales_per_conversation", "avg_conversation_seconds", "qualification_rate", "relevant_appointment_rate",
	"show_rate"};
static const char *const count_keys[] = {"calls", "conversations", "appointments", "sales", "calling_seconds",
	"talk_seconds", "hot_prospects", "callbacks", "refusals", "appointments_won", "appointments_held",
	"appointments_no_show", "amount_cents"};
/* Columns added since, after the costs so that the first ones keep their places. */
static const char *const later_rate_keys[] = {"appointments_per_call", "sales_per_call"};
#define N(a) (sizeof(a) / sizeof(a[0]))

/* CSV as written: ',' and '.'; --excel: ';' and a decimal comma, as French Excel reads it. */
static char csv_sep = ',';
static bool csv_comma;

/* The separator, then v with digits decimals. */
static void csv_real(double v, int digits)
{
	char buf[64], *dot;

	snprintf(buf, sizeof(buf), "%.*f", digits, v);
	if (csv_comma && (dot = strchr(buf, '.')))
		*dot = ',';
	printf("%c%s", csv_sep, buf);
}

static void csv_rate(json_t *r)
{
	if (json_is_null(json_object_get(r, "value"))) {
		printf("%c%c%c%c%lld", csv_sep, csv_sep, csv_sep, csv_sep, (long long)json_integer_value(json_object_get(r, "n")));
		return;
	}
	csv_real(json_real_value(json_object_get(r, "value")), 6);
	csv_real(json_real_value(json_object_get(r, "low")), 6);
	csv_real(json_real_value(json_object_get(r, "high")), 6);
	printf("%c%lld", csv_sep, (long long)json_integer_value(json_object_get(r, "n")));
}

static void csv_row(const char *key, json_t *k, bool header)
{
	const char c = csv_sep;

	if (header) {
		fputs("key", stdout);
		for (size_t i = 0; i < N(count_keys); i++)
			printf("%c%s", c, count_keys[i]);
		for (size_t i = 0; i < N(rate_keys); i++)
			printf("%c%s%c%s_low%c%s_high%c%s_n", c, rate_keys[i], c, rate_keys[i], c, rate_keys[i], c, rate_keys[i]);
		printf("%ccost_per_appointment%ccost_per_sale%cuntimed_calls", c, c, c);
		for (size_t i = 0; i < N(later_rate_keys); i++)
			printf("%c%s%c%s_low%c%s_high%c%s_n", c, later_rate_keys[i], c, later_rate_keys[i], c, later_rate_keys[i],
				c, later_rate_keys[i]);
		fputs("\r\n", stdout);
	}
	cli_csv_field(stdout, key, c, false);
	/* A count the history does not know (calling time without times of day) is empty. */
	for (size_t i = 0; i < N(count_keys); i++)
		if (json_is_null(json_object_get(k, count_keys[i])))
			putchar(c);
		else
			printf("%c%lld", c, (long long)json_integer_value(json_object_get(k, count_keys[i])));
	for (size_t i = 0; i < N(rate_keys); i++)
		csv_rate(json_object_get(k, rate_keys[i]));
	for (int i = 0; i < 2; i++) {
		json_t *cost = json_object_get(k, i ? "cost_per_sale" : "cost_per_appointment");

		if (json_is_null(cost))
			putchar(c);
		else
			csv_real(json_real_value(cost), 2);
	}
	printf("%c%lld", c, (long long)json_integer_value(json_object_get(k, "untimed_calls")));
	for (size_t i = 0; i < N(later_rate_keys); i++)
		csv_rate(json_object_get(k, later_rate_keys[i]));
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

/* The dialing breakdown's own columns (its groups are not KPI groups). */
static void dialing_rows(json_t *groups, bool csv)
{
	static const char *const means[] = {"ring_seconds_mean", "talk_seconds_mean", "idle_seconds_mean",
		"calls_per_busy_hour"};
	size_t i;
	json_t *g;

	if (csv)
		puts("key,calls,conversations,connected,connected_low,connected_high,ring_seconds_mean,"
			"talk_seconds_mean,idle_seconds_mean,calls_per_busy_hour");
	else
		printf("%-12s %7s %7s %-22s %7s %7s %7s %9s\n", "dialing", "calls", "conv", "connected", "ring s", "talk s",
			"idle s", "calls/h*");
	json_array_foreach(groups, i, g) {
		json_t *c = json_object_get(g, "connected");
		char cell[64];

		if (csv) {
			printf("%s,%lld,%lld,%f,%f,%f", json_string_value(json_object_get(g, "key")),
				(long long)json_integer_value(json_object_get(g, "calls")),
				(long long)json_integer_value(json_object_get(g, "conversations")),
				json_number_value(json_object_get(c, "value")), json_number_value(json_object_get(c, "low")),
				json_number_value(json_object_get(c, "high")));
			for (size_t k = 0; k < sizeof(means) / sizeof(means[0]); k++)
				if (json_is_number(json_object_get(g, means[k])))
					printf(",%f", json_number_value(json_object_get(g, means[k])));
				else
					printf(",");
			putchar('\n');
			continue;
		}
		pct(c, cell, sizeof(cell));
		printf("%-12s %7lld %7lld %-22s", json_string_value(json_object_get(g, "key")),
			(long long)json_integer_value(json_object_get(g, "calls")),
			(long long)json_integer_value(json_object_get(g, "conversations")), cell);
		for (size_t k = 0; k < sizeof(means) / sizeof(means[0]); k++) {
			json_t *m = json_object_get(g, means[k]);

			if (json_is_number(m))
				printf(k == 3 ? " %9.1f" : " %7.1f", json_number_value(m));
			else
				printf(k == 3 ? " %9s" : " %7s", "—");
		}
		putchar('\n');
	}
	if (!csv)
		puts("* calls per hour of the agents' busy time: ringing, talking and waiting between calls");
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

int cmd_kpi(int argc, char **argv)
{
	struct app_kpi_query q = {0};
	enum output_format format = FORMAT_TEXT;
	const char *output = NULL;
	bool excel = false;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &q.campaign, "NAME", "one campaign (default: all)"),
		CLI_OPT_STRING("agent", &q.agent, "NAME", "one agent (an agent sees their own only)"),
		CLI_OPT_STRING("from", &q.from, "YYYY-MM-DD", "first local day of the period"),
		CLI_OPT_STRING("to", &q.to, "YYYY-MM-DD", "last local day of the period"),
		CLI_OPT_STRING("by", &q.by, "GROUPING", "groups of the report (see usage)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV | 1u << FORMAT_XLSX,
			"table (default), json, csv or xlsx"),
		CLI_OPT_STRING("output", &output, "FILE", "xlsx: the workbook to write"),
		CLI_OPT_FLAG("excel", &excel, "csv: for French Excel (';', BOM, decimal comma)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"kpi", usage, about, opts};
	struct tp_error err;
	json_t *out = NULL, *g;
	struct app *a = NULL;
	size_t i;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("kpi", "unexpected argument '%s'", argv[1]);
	if ((format == FORMAT_XLSX) != (output != NULL))
		return cli_usage("kpi", "--format xlsx and --output FILE go together");
	if (excel && format != FORMAT_CSV)
		return cli_usage("kpi", "--excel goes with --format csv");
	if (excel && q.by && strcmp(q.by, "dialing") == 0)
		return cli_usage("kpi", "--excel does not go with --by dialing");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (format == FORMAT_XLSX) {
		if (app_kpi_xlsx(a, &q, output, &err))
			rc = cli_fail(&err);
		goto out;
	}
	if (excel) {
		csv_sep = ';';
		csv_comma = true;
		fputs("\xEF\xBB\xBF", stdout);   /* UTF-8, as Excel knows it by its BOM */
	}
	if (app_kpi(a, &q, &out, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (format == FORMAT_JSON) {
		cli_print_json(out);
		goto out;
	}
	if (q.by && strcmp(q.by, "dialing") == 0) {
		dialing_rows(json_object_get(out, "groups"), format == FORMAT_CSV);
		goto out;
	}
	json_array_foreach(json_object_get(out, "groups"), i, g) {
		if (format == FORMAT_CSV)
			csv_row(json_string_value(json_object_get(g, "key")), g, i == 0);
		else
			table_row(json_string_value(json_object_get(g, "key")), g, i == 0);
	}
	if (format == FORMAT_CSV && !q.by)
		csv_row("total", json_object_get(out, "totals"), true);
	else if (format == FORMAT_TEXT)
		table_row("total", json_object_get(out, "totals"), json_array_size(json_object_get(out, "groups")) == 0);
	if (format == FORMAT_TEXT) {
		json_t *obj = json_object_get(out, "objectives"), *v, *totals = json_object_get(out, "totals");
		const char *key;

		/* What the history did not say, instead of figures made up. */
		if (json_object_get(out, "unplaced_calls"))
			printf("not in the groups: %lld calls (%s)\n",
				(long long)json_integer_value(json_object_get(out, "unplaced_calls")),
				json_string_value(json_object_get(out, "unknown")));
		if (json_object_get(totals, "unknown"))
			printf("calls/h, conv/h: %s (%lld of %lld calls)\n", json_string_value(json_object_get(totals, "unknown")),
				(long long)json_integer_value(json_object_get(totals, "untimed_calls")),
				(long long)json_integer_value(json_object_get(totals, "calls")));

		json_object_foreach(obj, key, v)
			if (json_is_object(v))
				printf("objective %s: %lld / %lld\n", key, (long long)json_integer_value(json_object_get(v, "done")),
					(long long)json_integer_value(json_object_get(v, "target")));
	}
out:
	json_decref(out);
	app_close(a);
	return rc;
}
